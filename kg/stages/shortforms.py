"""Short forms of a body's name inside one article, resolved to the body named in full.

`proper` maps the key of each body the article names by a proper name (a company, a school, a
newspaper; no place or parent in its key) to its first reading (an `orgs.OrgHit`).
"""

from __future__ import annotations

import re

from ..model import Doc
from ..text import match_key

_ALIAS = re.compile(r"[ ]*\((?P<alias>[A-Z0-9][^,;()]{1,40}?)[ ]*[,)]")


def merge_short_forms(doc: Doc, proper: dict) -> None:
    """One body, one node, however an article names it: by the short name it gives in brackets ("Công
    ty CP Tập đoàn Mặt Trời (Sun Group)" ... "Tập đoàn Sun Group"), or by the end of its name under the
    same head ("Công ty CP Đầu tư và Xây dựng 501" ... "Công ty 501", when no other body fits)."""
    text = doc.article.text
    alias_of: dict[str, str] = {}
    for key, hit in proper.items():
        am = _ALIAS.match(text, hit.span.end)
        if am and match_key(am.group("alias")) != match_key(hit.name):
            alias_of.setdefault(match_key(am.group("alias")), key)
            doc.entities[key].alt_labels.append(am.group("alias"))
    for key, hit in proper.items():
        name = match_key(hit.name)
        target = alias_of.get(name) or alias_of.get(match_key(hit.span.text))
        if target is None:
            longer = [k for k, h in proper.items() if k != key and match_key(h.head) == match_key(hit.head)
                      and len(match_key(h.name)) > len(name) and f" {match_key(h.name)}".endswith(f" {name}")]
            target = longer[0] if len(longer) == 1 else None
        if target and target != key and target in doc.entities and key in doc.entities:
            _merge_into(doc, key, target)


def _merge_into(doc: Doc, key: str, target: str) -> None:
    gone, into = doc.entities.pop(key), doc.entities[target]
    for label in [gone.label, *gone.alt_labels]:
        if label != into.label and label not in into.alt_labels:
            into.alt_labels.append(label)
    into.spans.extend(gone.spans)
    doc.org_mentions = [(s, target if k == key else k) for s, k in doc.org_mentions]
    doc.mentions = [(s, target if k == key else k) for s, k in doc.mentions]
    for ent in doc.entities.values():
        if ent.parent == key:
            ent.parent = target

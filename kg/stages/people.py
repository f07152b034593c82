"""People and their posts.

"ông Vi Văn Quỳnh – PGĐ Sở Lao động ... tỉnh Nghệ An", "Chủ tịch UBND huyện Hoàng Danh Lai",
"đồng chí Nguyễn Văn A, Bí thư Huyện ủy": a person is a name of two to four capitalised syllables
introduced by an honorific or a post; a post followed by an organisation is a membership.
A later "ông Quỳnh" is the same person. People are keyed by name and organisation, so the same
name in the same body is one person across articles, and otherwise kept apart.
"""

from __future__ import annotations

import hashlib
import re

from ..model import Doc, Entity, Membership, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify
from .patterns import CAP, HONORIFIC_RE, PERSON_NAME

_POST_CACHE: dict[int, re.Pattern] = {}


def post_pattern(res: Resources) -> re.Pattern:
    pat = _POST_CACHE.get(id(res.lexicon))
    if pat is None:
        forms = set()
        for c in res.lexicon.posts.values():
            for f in c.forms:
                forms.add(f)
                forms.add(f[:1].lower() + f[1:])
                forms.add(f[:1].upper() + f[1:])
        body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        pat = re.compile(rf"(?<![\w])(?:{body})(?![\w])")
        _POST_CACHE[id(res.lexicon)] = pat
    return pat


def _org_at(doc: Doc, pos: int, limit: int = 2):
    """The organisation mention starting at `pos` (allowing a space)."""
    for span, key in doc.org_mentions:
        if pos <= span.start <= pos + limit:
            return span, key
    return None


def person_key(name: str, org: str, doc: Doc) -> str:
    basis = org or doc.key
    return f"{slugify(name)}.{hashlib.sha1(basis.encode()).hexdigest()[:8]}"


def _is_name(name: str, res: Resources) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(w.isupper() and len(w) > 1 for w in words):  # "UBND", "THPT"
        return False
    if res.gazetteer.lookup(name):  # a place, not a person
        return False
    return True


@stage(requires=("orgs",), assigns=("people", "memberships"))
def people(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    posts = post_pattern(res)
    found: list[tuple[Span, str, tuple | None]] = []  # (name span, name, (post concept, post span, org key))
    for sent in doc.sentences:
        for m in HONORIFIC_RE.finditer(text, sent.start, sent.end):
            name = m.group(2)
            s = m.start(2)
            if len(name.split()) == 1:
                found.append((Span(s, s + len(name), name), name, None))
                continue
            if not _is_name(name, res):
                continue
            span = Span(s, s + len(name), name)
            # "ông X – PGĐ Sở ...", "ông X, Chủ tịch UBND ..."
            post = None
            pm = re.compile(r"\s*[,–—-]\s*").match(text, span.end, sent.end)
            if pm:
                pm2 = posts.match(text, pm.end(), sent.end)
                if pm2:
                    org = _org_at(doc, pm2.end() + 1)
                    post = (pm2.group(0), Span(pm2.start(), org[0].end if org else pm2.end(), text[pm2.start():org[0].end if org else pm2.end()]), org[1] if org else "")
            found.append((span, name, post))
        # "Chủ tịch UBND huyện Hoàng Danh Lai": post, organisation, name
        for pm in posts.finditer(text, sent.start, sent.end):
            org = _org_at(doc, pm.end() + 1)
            after = org[0].end if org else pm.end()
            nm = re.compile(rf"[ ]+({PERSON_NAME})").match(text, after, sent.end)
            if not nm or not _is_name(nm.group(1), res):
                continue
            s = nm.start(1)
            if any(f[0].start == s for f in found):
                continue
            span = Span(s, s + len(nm.group(1)), nm.group(1))
            found.append((span, nm.group(1), (pm.group(0), Span(pm.start(), after, text[pm.start():after]), org[1] if org else "")))
    found.sort(key=lambda f: f[0].start)
    by_given: dict[str, str] = {}
    for span, name, post in found:
        if len(name.split()) == 1:
            key = by_given.get(name)
            if key:
                doc.add_entity(doc.entities[key], span)
                doc.person_mentions.append((span, key))
            continue
        concept = res.lexicon.post_by_key.get(match_key(post[0])) if post else None
        org = post[2] if post else ""
        key = person_key(name, org, doc)
        ent = doc.add_entity(Entity(kind="person", label=name, key=key, cls="Person"), span)
        doc.person_mentions.append((span, key))
        by_given[name.split()[-1]] = key
        if concept is not None:
            doc.memberships.append(Membership(person=key, org=org, role=concept.label, role_key=concept.slug,
                                              role_alt=[post[0]] if post[0] != concept.label else [],
                                              span=Span(span.start, max(span.end, post[1].end), text[min(span.start, post[1].start):max(span.end, post[1].end)]),
                                              date=doc.date))

"""Organisations: a head noun from the agency-type dictionary, then a name, then a place.

The name's abbreviations are expanded (VSTBPN → vì sự tiến bộ phụ nữ) for the full label; the form
as written is kept as an alternative label. Generic mentions ("Hội Liên hiệp Phụ nữ các cấp",
"Ban vì sự tiến bộ phụ nữ cơ sở") are not entities.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..lexicon import Concept
from ..model import Doc, Entity, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify
from .names import GENERIC_TAILS, MAX_NAME_WORDS, STOP, TYPE_WORD_LEVEL, _home_key, _type_of
from .patterns import BARE_LEVEL_RE, CAP, CAPSEQ, PLACE_RE

COMMITTEE_LEVEL = {"tỉnh": "province", "huyện": "district", "thành": None, "thị": "district", "quận": "district", "đảng": None}
_HEAD_CACHE: dict[int, re.Pattern] = {}


def head_pattern(res: Resources) -> re.Pattern:
    pat = _HEAD_CACHE.get(id(res.lexicon))
    if pat is None:
        forms = []
        for c in res.lexicon.agency_types.values():
            if not c.shape:
                continue
            for f in c.forms:
                forms.append(f)
        forms.sort(key=len, reverse=True)
        body = "|".join(re.escape(f) for f in forms)
        pat = re.compile(rf"(?<![\w])(?:{body})(?![\w])")
        _HEAD_CACHE[id(res.lexicon)] = pat
    return pat


def head_concept(res: Resources, form: str) -> Concept | None:
    return res.lexicon.agency_by_key.get(match_key(form))


@dataclass
class OrgHit:
    span: Span
    concept: Concept
    head: str  # head as written
    name: str  # sector / proper name as written ("vì sự tiến bộ phụ nữ", "Lao động thương binh và xã hội")
    place_key: str = ""  # jurisdiction
    parent_key: str = ""  # a committee the body belongs to ("Ban Dân vận Tỉnh ủy")
    written: str = ""


def _stop_at(text: str, pos: int, end: int, res: Resources) -> bool:
    """Does a name end before position `pos`?"""
    rest = text[pos:end]
    if not rest.strip():
        return True
    low = rest.lower()
    for stop in STOP:
        if low.startswith(stop) and (len(low) == len(stop) or not low[len(stop)].isalnum()):
            if stop == "và":
                # "Giáo dục và Đào tạo", "Lao động thương binh và xã hội": a name may go on after "và"
                nxt = rest[2:].lstrip()
                if head_pattern(res).match(nxt) or PLACE_RE.match(nxt) or BARE_LEVEL_RE.match(nxt):
                    return True
                continue
            return True
    return bool(head_pattern(res).match(rest)) and pos > 0


def parse_org(doc: Doc, res: Resources, m: re.Match, sent_end: int) -> OrgHit | None:
    text = doc.article.text
    concept = head_concept(res, m.group(0))
    if concept is None:
        return None
    linker = doc.linker
    pos = m.end()
    name_words: list[tuple[int, int]] = []
    place_key = parent_key = ""
    end = pos
    shape = concept.shape

    def at_place(p: int):
        ws = len(text[p:sent_end]) - len(text[p:sent_end].lstrip())
        p2 = p + ws
        pm = PLACE_RE.match(text, p2, sent_end)
        if pm:
            span = next(((s, k) for s, k in doc.place_mentions if s.start == p2), None)
            if span:
                return span[0].end, span[1]
            amb = next((s for s, _ in doc.ambiguous if s.start == p2), None)
            if amb:
                return amb.end, ""
        bm = BARE_LEVEL_RE.match(text, p2, sent_end)
        if bm:
            type_word, _ = _type_of(bm.group(1))
            level = TYPE_WORD_LEVEL.get(type_word)
            return bm.end(), _home_key(doc, res, level) if level else ""
        return None

    def at_committee(p: int):
        ws = len(text[p:sent_end]) - len(text[p:sent_end].lstrip())
        hm = head_pattern(res).match(text, p + ws, sent_end)
        if hm and (c := head_concept(res, hm.group(0))) and c.shape == "committee":
            return hm
        return None

    if shape == "committee":
        level = COMMITTEE_LEVEL.get(m.group(0).split()[0].lower().replace("uỷ", "ủy").removesuffix("ủy"), None)
        word = m.group(0).lower()
        level = {"tỉnh ủy": "province", "tỉnh uỷ": "province", "huyện ủy": "district", "huyện uỷ": "district",
                 "thị ủy": "district", "thị uỷ": "district", "quận ủy": "district", "quận uỷ": "district",
                 "thành ủy": None, "thành uỷ": None}.get(word, None)
        nm = re.compile(rf"[ ]+({CAPSEQ})").match(text, pos, sent_end)
        if nm:
            r = linker.resolve(nm.group(1), "", level)
            if r.unit is not None:
                place_key = r.unit.key
                end = nm.start(1) + len(nm.group(1))
        if not place_key:
            found = at_place(pos)
            if found:
                end, place_key = found
            elif level:
                place_key = _home_key(doc, res, level)
            elif word.startswith("thành"):
                place_key = _home_key(doc, res, "province") or _home_key(doc, res, "district")
        if not place_key:
            return None
        return OrgHit(Span(m.start(), end, text[m.start():end]), concept, m.group(0), "", place_key, "", text[m.start():end])

    if shape == "national":
        return OrgHit(Span(m.start(), m.end(), m.group(0)), concept, m.group(0), "", "", "", m.group(0))

    # territorial / sectoral / named: read name words until a place, a committee, a stop or punctuation
    p = pos
    while True:
        if shape != "named" or name_words:
            found = at_place(p)
            if found:
                end, place_key = found
                break
            cm = at_committee(p)
            if cm:
                committee = parse_org(doc, res, cm, sent_end)
                if committee:
                    parent_key = org_key(doc, res, committee)
                    place_key = committee.place_key
                    end = committee.span.end
                break
        if shape == "territorial":
            break
        if _PUNCT(text, p):
            break
        wm = re.compile(r"[ ]+([^\s,.;:!?()\[\]\"“”‘’«»]+)").match(text, p, sent_end)
        if not wm or len(name_words) >= MAX_NAME_WORDS:
            break
        word_start = wm.start(1)
        if _stop_at(text, word_start, sent_end, res):
            break
        if shape == "named" and not (wm.group(1)[:1].isupper() or wm.group(1)[:1].isdigit()):
            break
        name_words.append((word_start, wm.end(1)))
        p = end = wm.end(1)
    name = text[name_words[0][0]:name_words[-1][1]] if name_words else ""
    if shape in ("sectoral", "named") and not name and concept.slug in ("so", "phong", "bo", "ban", "hoi", "cuc",
                                                                          "chi-cuc", "trung-tam", "vien", "van-phong",
                                                                          "hoi-dong", "truong", "benh-vien", "bao",
                                                                          "cong-ty", "htx", "ngan-hang"):
        return None
    span_end = end
    full = text[m.start():span_end]
    if any(full.lower().endswith(t) for t in GENERIC_TAILS) or any(f" {t}" in name.lower() + " " for t in GENERIC_TAILS):
        return None
    if shape == "territorial" and not place_key:
        return None
    if not place_key and concept.slug == "so":
        place_key = _home_key(doc, res, "province")
    if not place_key and concept.slug == "phong":
        place_key = _home_key(doc, res, "district")
    return OrgHit(Span(m.start(), span_end, full), concept, m.group(0), name, place_key, parent_key, full)


def _PUNCT(text: str, p: int) -> bool:
    return p >= len(text) or bool(re.match(r"\s*[,.;:!?()\[\]\"“”«»…]|\s+[-–—]\s", text[p:p + 3]))


def canonical_name(res: Resources, hit: OrgHit) -> str:
    """Full form: head (prefLabel), expanded name, place's full name."""
    lex = res.lexicon
    parts = [hit.concept.label if hit.concept.shape != "committee" else _committee_word(hit.head)]
    if hit.name:
        parts.append(lex.expand(hit.name))
    return " ".join(parts)


def _committee_word(head: str) -> str:
    return head.replace("uỷ", "ủy")


def org_key(doc: Doc, res: Resources, hit: OrgHit) -> str:
    sector = slugify(res.lexicon.expand(hit.name)) if hit.name else ""
    kind = hit.concept.slug
    if hit.concept.shape == "committee":
        kind = slugify(_committee_word(hit.head))
    local = kind + (f"-{sector}" if sector else "")
    if hit.parent_key:
        return f"{hit.parent_key}.{local}"
    if hit.place_key:
        return f"{hit.place_key}.{local}"
    if hit.concept.shape == "national":
        return f"vn.{local}"
    return local


def place_label(doc: Doc, res: Resources, key: str) -> str:
    ent = doc.entities.get(key)
    if ent:
        return ent.label
    unit = res.gazetteer.get(key)
    return unit.full_name if unit else ""


@stage(requires=("places", "home"), assigns=("orgs",))
def orgs(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    pat = head_pattern(res)
    for sent in doc.sentences:
        pos = sent.start
        while True:
            m = pat.search(text, pos, sent.end)
            if not m:
                break
            hit = parse_org(doc, res, m, sent.end)
            if hit is None:
                pos = m.end()
                continue
            pos = max(hit.span.end, m.end())
            key = org_key(doc, res, hit)
            base = canonical_name(res, hit)
            label = base
            alts = [hit.written]
            if hit.parent_key and hit.parent_key in doc.entities:
                label = f"{base} {doc.entities[hit.parent_key].label}"
            elif hit.place_key:
                place = place_label(doc, res, hit.place_key)
                if place:
                    label = f"{base} {place}"
                    if hit.concept.shape == "committee":
                        label = f"{base} {place.split(' ', 1)[-1] if ' ' in place else place}"
                written_head = hit.written
                # the written form with its place made explicit ("Ban vì sự tiến bộ phụ nữ huyện Quỳnh Lưu")
                alts.append(f"{hit.head} {hit.name} {place}".replace("  ", " ").strip() if hit.name else f"{hit.head} {place}")
                alts.append(f"{hit.head} {res.lexicon.expand(hit.name)} {place}".replace("  ", " ").strip())
            for form in hit.concept.forms:
                if form != hit.head and form.isupper():
                    alts.append(label.replace(hit.concept.label, form, 1))
            public = res.lexicon.is_public(hit.concept.slug)
            ent = Entity(kind="org", label=label, key=key, cls="Agency" if public else "Organization",
                         alt_labels=[a for a in dict.fromkeys(alts) if a and a != label],
                         jurisdiction=hit.place_key, parent=hit.parent_key, agency_type=hit.concept.slug)
            ent = doc.add_entity(ent, hit.span)
            doc.org_mentions.append((hit.span, ent.key))

"""People and their posts.

"ông Vi Văn Quỳnh – PGĐ Sở Lao động ... tỉnh Nghệ An", "Chủ tịch UBND huyện Hoàng Danh Lai",
"đồng chí Nguyễn Văn A, Bí thư Huyện ủy": a person is a name of two to four capitalised syllables
introduced by an honorific or a post, or three or four beginning with a common surname. A post next
to an organisation is a membership. Within an article one name is one person, and a later "ông
Quỳnh" is that person too. Across articles people are keyed by name and organisation, so the same
name in the same body is one person, and otherwise they are kept apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..model import Doc, Entity, Membership, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify, unify_tones
from .patterns import CAP, HONORIFIC_RE, PERSON_NAME, SURNAME_NAME_RE

_POST_CACHE: dict[int, re.Pattern] = {}
# A name after these words names a street, a school, a prize or a temple, not a person here.
_NOT_PERSON_BEFORE = re.compile(
    r"(?i)(?:đường|phố|cầu|trường|tuyến|giải|quỳ|quỹ|đền|chùa|tượng|hẻm|kiệt|ngõ|khu|bến|chợ|số|nhà|sân|"
    r"công viên|quảng trường|lăng|tư tưởng|di tích|mang tên|tên|xã|phường|huyện|tỉnh|thôn|bản|làng)\s+$")
_SEP = re.compile(r"\s*[,–—-]\s*|\s+")


def post_pattern(res: Resources) -> re.Pattern:
    pat = _POST_CACHE.get(id(res.lexicon))
    if pat is None:
        forms = set()
        for c in res.lexicon.posts.values():
            for f in c.forms:
                f = unify_tones(f)
                forms |= {f, f[:1].lower() + f[1:], f[:1].upper() + f[1:]}
        body = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        pat = re.compile(rf"(?<![\w])(?:{body})(?![\w])")
        _POST_CACHE[id(res.lexicon)] = pat
    return pat


@dataclass
class PersonHit:
    span: Span
    name: str
    post: str = ""  # the post as written
    post_span: Span | None = None
    org: str = ""  # organisation key


def _org_at(doc: Doc, pos: int, limit: int = 2):
    for span, key in doc.org_mentions:
        if pos <= span.start <= pos + limit:
            return span, key
    return None


def _inside(doc: Doc, a: int, b: int) -> bool:
    for span, _ in doc.org_mentions + doc.place_mentions:
        if span.start <= a and b <= span.end:
            return True
    return False


def person_key(name: str, org: str, doc: Doc) -> str:
    basis = org or doc.key
    return f"{slugify(name)}.{hashlib.sha1(basis.encode()).hexdigest()[:8]}"


def _is_name(name: str, res: Resources) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(w.isupper() and len(w) > 1 for w in words) and not all(w.isupper() for w in words):
        return False  # "UBND", "THPT" inside
    if res.gazetteer.lookup(name):  # a place, not a person
        return False
    return True


def _clean(name: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in name.split())


def find_people(doc: Doc, res: Resources) -> list[PersonHit]:
    text, norm = doc.article.text, doc.norm or doc.article.text
    posts = post_pattern(res)
    hits: dict[int, PersonHit] = {}

    def post_after(end: int, sent_end: int):
        """", PGĐ Sở ..." / " – Chủ tịch UBND ..." right after a name."""
        sep = re.compile(r"\s*[,–—-]\s*").match(norm, end, sent_end)
        if not sep:
            return None
        pm = posts.match(norm, sep.end(), sent_end)
        if not pm:
            return None
        org = _org_at(doc, pm.end() + 1)
        stop = org[0].end if org else pm.end()
        return pm.group(0), Span(pm.start(), stop, text[pm.start():stop]), org[1] if org else ""

    for sent in doc.sentences:
        if sent.start < len(doc.article.title) and sent.end <= len(doc.article.title) + 1:
            pass
        for m in HONORIFIC_RE.finditer(norm, sent.start, sent.end):
            s, name = m.start(2), text[m.start(2):m.end(2)]
            if len(name.split()) == 1:
                hits.setdefault(s, PersonHit(Span(s, m.end(2), name), name))
                continue
            if not _is_name(name, res) or _inside(doc, s, m.end(2)):
                continue
            hit = PersonHit(Span(s, m.end(2), name), name)
            post = post_after(m.end(2), sent.end)
            if post:
                hit.post, hit.post_span, hit.org = post
            hits[s] = hit
        # "Chủ tịch UBND huyện Hoàng Danh Lai": post, organisation, name
        for pm in posts.finditer(norm, sent.start, sent.end):
            org = _org_at(doc, pm.end() + 1)
            after = org[0].end if org else pm.end()
            nm = re.compile(rf"[ ]+({PERSON_NAME})").match(norm, after, sent.end)
            if not nm or not _is_name(nm.group(1), res):
                continue
            s = nm.start(1)
            name = text[s:nm.end(1)]
            hit = hits.get(s)
            if hit is None:
                hit = hits[s] = PersonHit(Span(s, nm.end(1), name), name)
            if not hit.post:
                hit.post, hit.post_span, hit.org = pm.group(0), Span(pm.start(), after, text[pm.start():after]), org[1] if org else ""
        # a full name that begins with a common surname
        for nm in SURNAME_NAME_RE.finditer(norm, sent.start, sent.end):
            s, e = nm.start(), nm.end()
            if any(h.span.start <= s < h.span.end for h in hits.values()):
                continue
            name = text[s:e]
            if len(name.split()) < 3 and not post_after(e, sent.end):
                continue
            if not _is_name(name, res) or _inside(doc, s, e) or _NOT_PERSON_BEFORE.search(norm[max(sent.start, s - 20):s]):
                continue
            hit = hits[s] = PersonHit(Span(s, e, name), name)
            post = post_after(e, sent.end)
            if post:
                hit.post, hit.post_span, hit.org = post
    return [hits[k] for k in sorted(hits)]


@stage(requires=("orgs", "norm"), assigns=("people", "memberships"))
def people(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    hits = find_people(doc, res)
    full = [h for h in hits if len(h.name.split()) > 1]
    # one name, one person in an article: its key takes the first organisation it is tied to
    org_of: dict[str, str] = {}
    for h in full:
        k = match_key(h.name)
        if h.org and k not in org_of:
            org_of[k] = h.org
    keys: dict[str, str] = {}
    by_given: dict[str, str] = {}
    for h in hits:
        k = match_key(h.name)
        if len(h.name.split()) == 1:
            key = by_given.get(k)
            if key:
                doc.add_entity(doc.entities[key], h.span)
                doc.person_mentions.append((h.span, key))
            continue
        key = keys.get(k)
        if key is None:
            key = keys[k] = person_key(_clean(h.name), org_of.get(k, ""), doc)
        doc.add_entity(Entity(kind="person", label=_clean(h.name), key=key, cls="Person"), h.span)
        doc.person_mentions.append((h.span, key))
        by_given[match_key(h.name.split()[-1])] = key
        concept = res.lexicon.post_by_key.get(match_key(h.post)) if h.post else None
        if concept is None:
            continue
        a, b = min(h.span.start, h.post_span.start), max(h.span.end, h.post_span.end)
        if any(m.person == key and m.org == h.org and m.role_key == concept.slug for m in doc.memberships):
            continue
        doc.memberships.append(Membership(person=key, org=h.org, role=concept.label, role_key=concept.slug,
                                          role_alt=[h.post] if h.post != concept.label else [],
                                          span=Span(a, b, text[a:b]), date=doc.date))

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
from .patterns import HONORIFIC_RE, PERSON_NAME, SURNAME_NAME_RE, SURNAMES, words_pattern
from .spans import SpanIndex

_POST_CACHE: dict[int, re.Pattern] = {}
# A name after these words names a street, a school, a prize or a temple, not a person here.
_NOT_PERSON_BEFORE = re.compile(
    r"(?i)(?:đường|phố|cầu|trường|tuyến|giải|quỳ|quỹ|đền|chùa|tượng|hẻm|kiệt|ngõ|khu|bến|chợ|số|nhà|sân|"
    r"công viên|quảng trường|lăng|tư tưởng|di tích|mang tên|tên|xã|phường|huyện|tỉnh|thôn|bản|làng|dòng họ|dòng tộc|gia tộc)\s+$")
_SEP = re.compile(r"\s*[,–—-]\s*|\s+")


def post_pattern(res: Resources) -> re.Pattern:
    pat = _POST_CACHE.get(id(res.lexicon))
    if pat is None:  # "Phó bí thư", "phó giám đốc": any case
        forms = (unify_tones(f) for c in res.lexicon.posts.values() for f in c.forms)
        pat = _POST_CACHE[id(res.lexicon)] = words_pattern(forms)
    return pat


# Named but not taking part: poets, heroes and scholars of the past a report speaks about.
ABSENT = {"nhà thơ", "nhà văn", "nhà nghiên cứu", "nhà sử học", "cụ", "mẹ", "mẹ việt nam anh hùng", "anh hùng",
          "giáo sư", "gs", "gs.", "liệt sĩ", "liệt sỹ", "vua", "danh nhân"}
_LIFESPAN = re.compile(r"\s*\(\s*\d{1,2}?[/-]?\d{0,2}[/-]?\d{4}\s*[-–]")


@dataclass
class PersonHit:
    span: Span
    name: str
    present: bool = False  # introduced as someone taking part ("ông", "bà", "đồng chí"), not a poet of 1822
    posts: list = None  # [(post as written, Span, organisation key)], in the order written

    def __post_init__(self):
        self.posts = self.posts or []

    @property
    def org(self) -> str:
        return next((o for _, _, o in self.posts if o), "")


def _org_at(doc: Doc, pos: int, limit: int = 2, post_start: int | None = None):
    """The body right after a post, or one the post's own words begin ("Trưởng ban Tuyên giáo ...")."""
    for span, key in doc.org_mentions:
        if pos <= span.start <= pos + limit or (post_start is not None and post_start < span.start < pos):
            return span, key
    return None


def _inside(index: SpanIndex, a: int, b: int) -> bool:
    return index.covers(a, b)


def person_key(name: str, org: str, doc: Doc) -> str:
    basis = org or doc.key
    return f"{slugify(name)}.{hashlib.sha1(basis.encode()).hexdigest()[:8]}"


def _is_name(name: str, res: Resources) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4:
        return False
    if any(w.isupper() and len(w) > 1 for w in words):
        if not all(w.isupper() for w in words):
            return False  # "UBND", "THPT" inside
        if any(w in res.lexicon.expansions or not re.search("[AEIOUYĂÂÊÔƠƯÀ-Ỹ]", w[1:] or w) for w in words):
            return False  # "UBND TP": abbreviations, not a name in capitals
    if res.gazetteer.lookup(name) or res.gazetteer.lookup(" ".join(words[:2]), level="province"):
        return False  # a place ("Hà Nội Ngô Thị ..." is a place then a name), not a person
    if any(res.gazetteer.lookup(" ".join(words[:n]), level="country") for n in (1, 2)):
        return False  # "Quốc hội Lào Pany Yathotou": the country, then the name
    if words[0].lower() in _not_surnames(res):
        return False  # "Phó Trưởng Ban Chỉ đạo", "Tổng Liên đoàn": a body's or a post's first word
    return True


_NOT_SURNAME_CACHE: dict[int, frozenset] = {}


def _not_surnames(res: Resources) -> frozenset:
    """First words of bodies' and posts' names ("ban", "vụ", "phó", "tổng" ...) that are no surname."""
    found = _NOT_SURNAME_CACHE.get(id(res.lexicon))
    if found is None:
        lex = res.lexicon
        firsts = {f.split()[0].lower() for c in [*lex.agency_types.values(), *lex.posts.values()] for f in c.forms if f}
        surnames = {s.lower() for s in SURNAMES} | {"đoàn", "văn", "thanh"}  # (also heads: "Đoàn Thanh niên")
        found = _NOT_SURNAME_CACHE[id(res.lexicon)] = frozenset(firsts - surnames)
    return found


def _clean(name: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in name.split())


def find_people(doc: Doc, res: Resources) -> list[PersonHit]:
    text, norm = doc.article.text, doc.norm or doc.article.text
    posts = post_pattern(res)
    hits: dict[int, PersonHit] = {}
    named = SpanIndex((sp.start, sp.end) for sp, _ in doc.org_mentions + doc.place_mentions)

    def post_chain(end: int, sent_end: int, first=None) -> list:
        """", PGĐ Sở ..." / " – Phó Bí thư, Chủ tịch UBND huyện ..." right after a name: every post in
        the chain with its organisation. A party post written without its body ("Phó Bí thư, Chủ tịch
        UBND huyện X") is that of the party committee of the next body's territory."""
        chain = [first] if first else []
        pos = end
        while len(chain) < 5:
            sep = re.compile(r"\s*[,–—-]\s*|\s+kiêm\s+|\s+và\s+" if chain else r"\s*[,–—-]\s*").match(norm, pos, sent_end)
            if not sep:
                break
            pm = posts.match(norm, sep.end(), sent_end)
            if not pm:
                break
            org = _org_at(doc, pm.end() + 1, post_start=pm.start())
            stop = org[0].end if org else pm.end()
            if person_next(stop, sent_end):
                break  # "Nguyễn Văn A, Phó Giám đốc Sở Tài chính Trần Văn B": the next person's post
            chain.append((pm.group(0), Span(pm.start(), stop, text[pm.start():stop]), org[1] if org else ""))
            pos = stop
        return party_bodies(chain)

    def person_next(pos: int, sent_end: int) -> bool:
        """Does a Vietnamese full name (a common surname first, no post in it) follow at `pos`?"""
        nm = SURNAME_NAME_RE.match(norm, pos + 1, sent_end) if norm[pos:pos + 1] == " " else None
        return bool(nm) and len(nm.group(0).split()) >= 2 and not posts.search(norm, nm.start(), nm.end()) \
            and _is_name(nm.group(0), res)

    def party_bodies(chain: list) -> list:
        for i, (post, span, org) in enumerate(chain):
            if not org and i + 1 < len(chain) and chain[i + 1][2]:
                chain[i] = (post, span, _committee_for(doc, res, post, chain[i + 1][2]))
        return chain

    for sent in doc.sentences:
        if sent.start < len(doc.article.title) and sent.end <= len(doc.article.title) + 1:
            pass
        for m in HONORIFIC_RE.finditer(norm, sent.start, sent.end):
            s, name = m.start(2), text[m.start(2):m.end(2)]
            if len(name.split()) == 1:
                hits.setdefault(s, PersonHit(Span(s, m.end(2), name), name, m.group(1).lower() not in ABSENT))
                continue
            if not _is_name(name, res) or _inside(named, s, m.end(2)):
                continue
            hit = PersonHit(Span(s, m.end(2), name), name, m.group(1).lower() not in ABSENT and not _LIFESPAN.match(norm, m.end(2)),
                            post_chain(m.end(2), sent.end))
            hits[s] = hit
        # "Chủ tịch UBND huyện Hoàng Danh Lai": post, organisation, name; and the posts listed before
        # it ("Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Nguyễn Xuân Đường")
        before: list = []  # (post, span, org) of the posts read so far in the sentence
        for pm in posts.finditer(norm, sent.start, sent.end):
            org = _org_at(doc, pm.end() + 1, post_start=pm.start())
            after = org[0].end if org else pm.end()
            listed = before if before and _POST_SEPARATOR.fullmatch(norm, before[-1][1].end, pm.start()) else []
            before = [*listed, (pm.group(0), Span(pm.start(), after, text[pm.start():after]), org[1] if org else "")]
            nm = _NAME_AFTER.match(norm, after, sent.end)
            if not nm or not _is_name(nm.group(1), res):
                continue
            last = nm.start(1) + nm.group(1).rfind(" ") + 1
            if posts.match(norm, last, sent.end) or posts.match(norm, nm.start(1), sent.end):
                continue  # "Ủy viên Đoàn Chủ tịch": a post, not a name
            s = nm.start(1)
            name = text[s:nm.end(1)]
            hit = hits.get(s)
            if hit is None:
                hit = hits[s] = PersonHit(Span(s, nm.end(1), name), name, True)
            if not hit.posts:
                hit.posts = party_bodies(before[:-1] + post_chain(nm.end(1), sent.end, before[-1]))
        # a full name that begins with a common surname
        for nm in SURNAME_NAME_RE.finditer(norm, sent.start, sent.end):
            s, e = nm.start(), nm.end()
            if any(h.span.start <= s < h.span.end for h in hits.values()):
                continue
            name = text[s:e]
            if name.isupper():
                continue  # a line in capitals: every word looks like a name there
            chain = post_chain(e, sent.end)
            if len(name.split()) < 3 and not chain:
                continue
            if not _is_name(name, res) or _inside(named, s, e) or _NOT_PERSON_BEFORE.search(norm[max(sent.start, s - 20):s]):
                continue
            # named with neither an honorific nor a post: spoken about (a poet, a king), not present
            hits[s] = PersonHit(Span(s, e, name), name, bool(chain) and not _LIFESPAN.match(norm, e), chain)
    return [hits[k] for k in sorted(hits)]


def second_opinion(doc: Doc, res: Resources, hits: list[PersonHit]) -> list[PersonHit]:
    """underthesea's NER on the sentences of names found with weak evidence — a surname-first name
    with neither an honorific nor a post — drops those it reads as a place or a body ("Hồ Núi Cốc",
    "Đền Trần Thái Bình"). The rules stay first: NER alone finds two thirds of the gold's people and
    3 % of its organisations (bench/ner_signal.py), so it only ever removes a weak reading."""
    weak = [h for h in hits if not h.present and not h.posts and len(h.name.split()) > 1]
    if res.ner is None or not weak:
        return hits
    text, drop = doc.article.text, set()
    sentences = {(s.start, s.end): s for h in weak if (s := doc.sentence_of(h.span.start)) is not None}
    for sent in sentences.values():
        tagged, pos = res.ner(text[sent.start:sent.end]), sent.start
        other = []  # (start, end) of each word tagged as a place or a body
        for word, *_, tag in tagged:
            at = text.find(word, pos, sent.end)
            if at < 0:
                continue
            pos = at + len(word)
            if tag[2:] in ("LOC", "ORG"):
                other.append((at, pos))
        for h in weak:
            if sent.start <= h.span.start < sent.end and any(a <= h.span.start < b or h.span.start <= a < h.span.end for a, b in other):
                drop.add(h.span.start)
    return [h for h in hits if h.span.start not in drop]


@stage(requires=("orgs", "norm"), assigns=("people", "memberships"))
def people(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    hits = second_opinion(doc, res, find_people(doc, res))
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
        ent = doc.add_entity(Entity(kind="person", label=_clean(h.name), key=key, cls="Person"), h.span)
        if h.present or h.posts:
            ent.extra["present"] = True
        doc.person_mentions.append((h.span, key))
        by_given[match_key(h.name.split()[-1])] = key
        for post, post_span, org in h.posts:
            concept = res.lexicon.post_by_key.get(match_key(post))
            if concept is None:
                continue
            if not org and concept.slug in GOVERNMENT_POSTS and post_span.end + 1 == h.span.start and SURNAME_NAME_RE.fullmatch(h.name):
                org = _government(doc)  # "Phó Thủ tướng Trương Hòa Bình" in a story that names the Government
            a, b = min(h.span.start, post_span.start), max(h.span.end, post_span.end)
            if any(m.person == key and m.org == org and m.role_key == concept.slug for m in doc.memberships):
                continue
            doc.memberships.append(Membership(person=key, org=org, role=concept.label, role_key=concept.slug,
                                              role_alt=[post] if post != concept.label else [],
                                              span=Span(a, b, text[a:b]), date=doc.date))


_NAME_AFTER = re.compile(rf"[ ]+({PERSON_NAME})")
_POST_SEPARATOR = re.compile(r"\s*,\s*|\s+kiêm\s+")
GOVERNMENT_POSTS = {"thu-tuong", "pho-thu-tuong", "pho-thu-tuong-thuong-truc"}


def _government(doc: Doc) -> str:
    """The key of the Government (Chính phủ) when the story names it, else "". Only for a
    Vietnamese name right after the post: a foreign prime minister ("Thủ tướng Theresa May",
    "Thủ tướng Nhật Bản Shinzo Abe") is not linked to it."""
    return next((k for k, e in doc.entities.items() if e.kind == "org" and e.agency_type == "chinh-phu" and not e.jurisdiction), "")


PARTY_POSTS = {"bi-thu", "pho-bi-thu", "pho-bi-thu-thuong-truc", "uy-vien-btv", "thuong-truc"}
COMMITTEE_OF_LEVEL = {"province": "Tỉnh ủy", "district": "Huyện ủy", "commune": "Đảng ủy"}


def _committee_for(doc: Doc, res: Resources, post: str, org_key_: str) -> str:
    """The party committee of the territory of `org_key_`, for a party post written without its body."""
    from .orgs import OrgHit, add_org

    concept = res.lexicon.post_by_key.get(match_key(post))
    org = doc.entities.get(org_key_)
    if concept is None or concept.slug not in PARTY_POSTS or org is None or not org.jurisdiction:
        return ""
    unit = res.gazetteer.get(org.jurisdiction)
    level = unit.level if unit else ""
    word = COMMITTEE_OF_LEVEL.get(level)
    if unit and level == "district" and unit.type_word in ("thành phố", "thị xã", "quận"):
        word = {"thành phố": "Thành ủy", "thị xã": "Thị ủy", "quận": "Quận ủy"}[unit.type_word]
    if unit and level == "province" and unit.type_word == "thành phố":
        word = "Thành ủy"
    if not word:
        return ""
    committee = res.lexicon.agency_types.get("cap-uy")
    hit = OrgHit(Span(0, 0, ""), committee, word, "", org.jurisdiction)
    return add_org(doc, res, hit, with_span=False).key

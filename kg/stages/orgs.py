"""Organisations: a head noun from the agency-type dictionary, then a name, then a place.

    UBND huyện Quỳnh Lưu                     territorial: head + place
    Sở Lao động thương binh và xã hội tỉnh Nghệ An   sectoral: head + sector + place
    Sở GD&ĐT Bến Tre                          sectoral, abbreviated sector, place without type word
    Ban vì sự tiến bộ phụ nữ huyện            bare level word: the article's home district
    Ban Dân vận Tỉnh ủy                       a body of a party committee
    Huyện ủy Quỳnh Lưu                        committee: named by its level
    Công ty CP Dệt may Hòa Thọ                named: head + proper name

The name's abbreviations are expanded (VSTBPN → vì sự tiến bộ phụ nữ) for the full label; the form
as written is kept as an alternative label. Generic mentions ("Hội Liên hiệp Phụ nữ các cấp",
"Ban vì sự tiến bộ phụ nữ cơ sở") are not entities. Keys are type + name + jurisdiction, so every
article that names the same body gets the same IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import Concept
from ..model import Doc, Entity, Span
from .shortforms import merge_short_forms
from ..pipeline import Resources, stage
from ..text import match_key, slugify, unify_tones
from ..words import is_word, second_half
from .names import GENERIC_TAILS, MAX_NAME_WORDS, STOP, STOP_COMPOUNDS, TYPE_WORD_LEVEL, _home_key, _type_of
from .spans import SpanIndex
from .patterns import BARE_LEVEL_RE, PLACE_NAME, PLACE_RE, SURNAME_NAME_RE, UPPER

COMMITTEE_LEVELS = {"tỉnh ủy": "province", "huyện ủy": "district", "thị ủy": "district", "quận ủy": "district",
                    "thành ủy": None, "đảng ủy": None}
# A body's name may not begin with these words after the head ("ban hành" is a verb, "Sở dĩ" a conjunction).
NOT_A_NAME = {"ban": {"hành", "đầu", "ngày", "đêm", "nãy", "sáng", "trưa", "chiều", "tối", "bố", "phát", "cho", "tặng"},
              "sở": {"dĩ", "hữu", "thích", "trường", "tại"}, "hội": {"nghị", "thảo", "thi", "chợ", "diễn", "giảng",
              "trại", "ý", "đủ", "tụ", "họp", "khỏe", "làng", "xuân", "đàm", "kiến", "viên", "nhập", "đồng"},
              "bộ": {"phận", "đội", "máy", "mặt", "trưởng", "ngành", "hồ", "sơ", "đề", "tộc"},
              "phòng": {"chống", "ngừa", "tránh", "học", "khám", "họp", "khách", "ngủ", "ở", "thí", "ban"},
              "trung tâm": {"thành", "của", "huyện", "tỉnh", "xã", "thị"}, "viện": {"trợ", "dẫn", "phí"},
              "cục": {"bộ", "diện"}, "báo": {"cáo", "chí", "động", "hiệu", "giá", "tin", "đảm", "công"},
              "trường": {"hợp", "học", "sa", "thi", "kỳ", "đua", "quay"}}
# Bodies that are often units of a department or a ministry: "Thanh tra Sở Xây dựng", "Văn phòng Bộ",
# "Ban Quản lý dự án Sở NN&PTNT", "Trung tâm Khuyến nông Sở ...".
SUB_UNITS = {"thanh-tra", "van-phong", "ban-quan-ly", "trung-tam", "chi-cuc", "phong", "ban", "cuc"}
SUB_UNIT_PARENTS = ("committee", "so", "bo", "ubnd", "tong-cuc")
SCHOOL_WORDS = ("đại học", "cao đẳng", "trung cấp", "thpt", "thcs", "tiểu học", "mầm non", "phổ thông", "ptdtnt",
                "chính trị", "quân sự", "sĩ quan", "trung học", "dân tộc nội trú", "ptth", "mẫu giáo", "th ", "mn ")
# a word in capitals with a toned vowel is a byline or a heading ("HẢI CHÂU"), never an abbreviation
_BYLINE = re.compile(r"^[A-ZĐ]*[ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ][A-ZĐÀ-Ỹ]*$")
# a lower-case word of a foreign name ("báo Le Monde diplomatique"): no Vietnamese syllable is that long
_FOREIGN = re.compile(r"^[a-z]{8,}$")
_NUMBERED = re.compile(r"[ ]+số[ ]+\d+\b")
LEGAL_FORMS = {"cổ phần", "trách nhiệm hữu hạn", "trách nhiệm hữu hạn một thành viên", "tnhh", "tnhh mtv", "cp", "mtv"}
LEGAL_WORDS = {"cổ", "phần", "trách", "nhiệm", "hữu", "hạn", "tnhh", "cp", "mtv", "một", "thành", "viên", "tập", "đoàn"}
_NAME_WORD = re.compile(r"[ ]+([^\s,.;:!?()\[\]\"“”‘’«»…]+)")
_JOINER = re.compile(r"[ ]*(?:[-–&]|,)[ ]*(?=[" + UPPER + r"0-9])")
_PLACE_AT = re.compile(PLACE_NAME)
_STATE = re.compile(r"nước\b")
_NAME_ENDS = re.compile(r"\s*(?:[,.;:!?()\"“”]|$)")
# Words of a clause that no name has inside it, even when capitals follow: "Tập đoàn ROSATOM là OTEK"
_CLAUSE_WORDS = {"là", "đã", "đang", "sẽ", "được", "bị", "vừa", "mới", "cũng", "đều", "không", "chưa", "vẫn", "còn",
                 "luôn", "rất"}
# After a comma, the rest of a list of sectors that ends in "và ..." ("Bộ Văn hóa, Thể thao và Du lịch")
_SECTOR = rf"[{UPPER}][^\s,.;:!?()]*(?:[ ]+[^\s,.;:!?()]+){{0,3}}?"
_SECTOR_LIST = re.compile(rf"(?:{_SECTOR},[ ]*)*{_SECTOR}[ ]+(?:và|&)[ ]+[{UPPER}]")
_POST_BEFORE = re.compile(r"(?i)(?:chủ tịch|phó chủ tịch|trưởng|phó trưởng|giám đốc|phó giám đốc|chánh văn phòng)\s+$")
_WORD_AT = re.compile(r"([^\s,.;:!?()\[\]\"“”‘’«»…]+)")
_LIST_SEP = re.compile(r"[ ]*(?:,|và|&)[ ]*")
# a level word before a name that is no place ("UBND huyện Đinh Hữu Niên": the chairman's name)
_LEVEL_WORD = re.compile(r"((?i:tỉnh|huyện|xã|thị xã|thành phố|quận|phường|thị trấn)|TP\.?|TX\.?)(?=[ ]+(?:" + SURNAME_NAME_RE.pattern + "))")
_CACHE: dict[int, tuple] = {}


def _patterns(res: Resources) -> tuple[re.Pattern, dict[str, Concept], list[tuple[str, str]]]:
    """Head nouns (case-sensitive; named-shape heads also in lower case) and sector full forms."""
    cached = _CACHE.get(id(res.lexicon))
    if cached:
        return cached
    heads: dict[str, Concept] = {}
    for c in res.lexicon.agency_types.values():
        if not c.shape:
            continue
        for f in c.forms:
            f = unify_tones(f)
            heads.setdefault(f, c)
            if c.shape == "named" and f[:1].isupper() and not f.isupper():
                heads.setdefault(f[:1].lower() + f[1:], c)
                if " " in f:  # "Tổng công ty" is also written "Tổng Công ty"
                    heads.setdefault(" ".join(w[:1].upper() + w[1:] for w in f.split(" ")[:2]) + f[len(" ".join(f.split(" ")[:2])):], c)
    # Multi-word heads match in any case ("Ủy ban Nhân dân", "quận ủy"); one-word heads ("Ban",
    # "Sở", "Hội") only capitalised, since in lower case they are ordinary words.
    def loose(f: str) -> bool:
        return heads[f].shape in ("territorial", "committee") and (" " in f or f.lower().endswith(("ủy", "uỷ")))

    def alt(f: str) -> str:
        return f"(?i:{re.escape(f)})" if loose(f) else re.escape(f)

    for f in list(heads):
        if loose(f):
            heads.setdefault(f.lower(), heads[f])
            heads.setdefault(match_key(f), heads[f])
    body = "|".join(alt(f) for f in sorted(heads, key=len, reverse=True))
    # "Trưởng ban Tuyên giáo Tỉnh ủy", "Phó trưởng phòng Kinh tế huyện": the post names its body
    body += "|(?<=[Tt]rưởng )(?:ban|phòng)(?= [" + UPPER + "])"
    body += "|(?<=[Đđ]ốc )sở(?= [" + UPPER + "])"  # "Phó giám đốc sở Lao động ..."
    body += "|(?<=[Cc]hánh )Thanh tra(?= )"  # "Phó Chánh Thanh tra tỉnh Hòa Bình"
    heads.setdefault("sở", res.lexicon.agency_types["so"])
    heads.setdefault("ban", res.lexicon.agency_types["ban"])
    heads.setdefault("phòng", res.lexicon.agency_types["phong"])
    pat = re.compile(rf"(?<![\w])(?:{body})(?![\w])")
    sectors = sorted({(match_key(f), f) for c in list(res.lexicon.abbreviations.values()) + list(res.lexicon.sectors.values())
                      for f in ([c.label] if c in res.lexicon.abbreviations.values() else c.forms)
                      if len(f.split()) >= 2}, key=lambda x: -len(x[0]))
    _CACHE[id(res.lexicon)] = (pat, heads, sectors)
    return pat, heads, sectors


@dataclass
class OrgHit:
    span: Span
    concept: Concept
    head: str  # head as written
    name: str  # sector / proper name as written
    place_key: str = ""  # jurisdiction
    parent_key: str = ""  # a committee the body belongs to ("Ban Dân vận Tỉnh ủy")
    typed_place: bool = False  # the place is written with its type word ("... huyện Phú Bình")


@lru_cache(maxsize=None)
def _sector_words(n: int) -> re.Pattern:
    """`n` words, as a sector name is written (compiled once: sector_at tries ~80 sectors a call)."""
    return re.compile(r"(?:[^\s,&–-]+(?:[ ]*[,&–-][ ]*|[ ]+)){%d}" % (n - 1) + r"[^\s,.;:&–-]+")


class OrgReader:
    def __init__(self, doc: Doc, res: Resources):
        self.doc, self.res = doc, res
        self.text, self.norm = doc.article.text, doc.norm or doc.article.text
        self.pat, self.heads, self.sectors = _patterns(res)
        self.abbrevs = {unify_tones(a) for a in res.lexicon.expansions}

    def concept_of(self, head: str) -> Concept:
        return self.heads.get(head) or self.heads.get(head.lower()) or self.heads[match_key(head)]

    # --- what may follow a name ----------------------------------------------------------------
    def place_at(self, p: int, end: int, bare: bool = True, any_level: bool = False):
        """A place beginning at p (after spaces): (end, key) — typed, a bare level word, or a bare name."""
        q = p + len(self.norm[p:end]) - len(self.norm[p:end].lstrip(" "))
        if _STATE.match(self.norm, q, end) and self.norm[max(0, q - 4):q].rstrip().lower().endswith("nhà"):
            return None  # "Ngân hàng Nhà nước Việt Nam": "nước" of "Nhà nước" (the State), not "nước Việt Nam"
        if PLACE_RE.match(self.norm, q, end):
            for s, k in self.doc.place_mentions:
                if s.start == q:
                    return s.end, k
            for s, _ in self.doc.ambiguous:
                if s.start == q:
                    return s.end, ""
        bm = BARE_LEVEL_RE.match(self.norm, q, end) or _LEVEL_WORD.match(self.norm, q, end)
        if bm:
            type_word = _type_of(bm.group(1))[0]
            return bm.end(), recent_key(self.doc, self.res, q, TYPE_WORD_LEVEL.get(type_word), type_word)
        if bare:
            cm = _PLACE_AT.match(self.norm, q, end)
            if cm:
                words = re.findall(r"[^\s–-]+", cm.group(0))
                for n in range(min(len(words), 5), 0, -1):
                    cand = _prefix(cm.group(0), words[:n])
                    if n == 1 and len(cand) < 4:
                        continue
                    for level in ("province", "district"):
                        r = self.doc.linker.resolve(cand, "", level)
                        if r.unit is not None and (level == "province" or r.rule == "context" or any_level):
                            return q + len(cand), r.unit.key
        return None

    def committee_at(self, p: int, end: int, parents: tuple = ("committee",)):
        q = p + len(self.norm[p:end]) - len(self.norm[p:end].lstrip(" "))
        hm = self.pat.match(self.norm, q, end)
        if hm and (self.concept_of(hm.group(0)).shape in parents or self.concept_of(hm.group(0)).slug in parents):
            return self.read(hm, end)
        return None

    def sector_at(self, p: int, end: int) -> int | None:
        """A known sector written out ("Lao động thương binh và xã hội", "Văn hóa, Thể thao và Du lịch")."""
        q = p + len(self.norm[p:end]) - len(self.norm[p:end].lstrip(" "))
        window = self.norm[q:min(end, q + 80)]
        read: dict[int, tuple[str, int] | None] = {}  # n -> the window's first n words: (match key, end)
        for key, _label in self.sectors:
            n = len(key.split())
            if n not in read:
                m = _sector_words(n).match(window)
                read[n] = (match_key(m.group(0)), m.end()) if m else None
            if read[n] is not None and read[n][0] == key:
                return q + read[n][1]
        return None

    # --- one organisation ------------------------------------------------------------------------
    def read(self, m: re.Match, end: int) -> OrgHit | None:
        concept = self.concept_of(m.group(0))
        head, pos, shape = m.group(0), m.end(), concept.shape
        following = _NAME_WORD.match(self.norm, pos, end)
        nxt = following.group(1) if following else ""
        if shape != "national" and nxt.lower() in NOT_A_NAME.get(match_key(head).split()[0] if shape != "named" else match_key(head), set()):
            return None
        if shape == "national":
            country = next(((sp, k) for sp, k in self.doc.place_mentions if 0 < sp.start - pos <= 1), None)
            unit = self.res.gazetteer.get(country[1]) if country else None
            if unit is not None and unit.level == "country":  # "Chính phủ Pháp"
                return OrgHit(self.span(m.start(), country[0].end), concept, head, "", unit.key)
            return OrgHit(self.span(m.start(), pos), concept, head, "")
        if following and nxt[:1].isupper() and self.res.gazetteer.lookup(f"{head} {nxt}") and \
                any(match_key(u.name) == match_key(f"{head} {nxt}") for u in self.res.gazetteer.lookup(f"{head} {nxt}")):
            return None  # "Hội An", "Bộ Lạc": a place named like a body
        if shape == "committee":
            return self.read_committee(m, concept, end)
        if match_key(head) == "trường" and not any(self.norm[pos:pos + 20].lower().lstrip().startswith(w) for w in SCHOOL_WORDS):
            return None
        place_key = parent_key = ""
        name_start = name_end = stop = pos
        if shape in ("sectoral", "named"):
            sector_end = self.sector_at(pos, end)
            words = 0
            if shape == "sectoral" and self.committee_at(pos, end) is not None:
                pass  # "Ban Thường vụ Huyện ủy Minh Hóa": a body of the party committee named next, no name of its own
            elif sector_end is not None:
                name_start = pos + 1
                name_end = stop = sector_end
                numbered = _NUMBERED.match(self.norm, stop, end)
                if numbered:
                    name_end = stop = numbered.end()  # "CTCP Xây dựng số 3"
                if concept.slug in ("so", "bo", "phong") and self.country_at(stop, end):
                    stop, place_key = self.country_at(stop, end)  # "Bộ Tư pháp Mỹ"
            elif following and nxt not in _CLAUSE_WORDS and (nxt[:1].isupper() or nxt[:1].isdigit() or nxt in self.abbrevs
                                or self.ends_in_place(following.start(1), end)
                                or (shape == "named" and self._capital_after(following.start(1), end))):
                name_start = following.start(1)
                name_end = stop = following.end(1)
                words = 1
                if nxt in self.abbrevs and shape == "sectoral":
                    words = MAX_NAME_WORDS  # an abbreviated sector is the whole name: only a place may follow
                limit = MAX_NAME_WORDS + (6 if shape == "named" else 0)
                while words < limit:
                    if self.place_at(stop, end, bare=shape != "named") or self.committee_at(stop, end):
                        break
                    pn = SURNAME_NAME_RE.match(self.norm, stop + 1, end)
                    if pn and len(pn.group(0).split()) >= 3:
                        break  # "Bộ Thông tin - Truyền thông Trương Minh Tuấn": the minister's name
                    j = _JOINER.match(self.norm, stop, end)
                    if j and "," in j.group(0) and not _SECTOR_LIST.match(self.norm, j.end(), end):
                        break  # "Trường mầm non Sen Vàng, Hiệu trưởng ...": a comma ends a name but in a list of sectors
                    wm = _NAME_WORD.match(self.norm, j.end() - 1 if j and self.norm[j.end() - 1] == " " else stop, end) if not j else \
                        re.compile(r"([^\s,.;:!?()\[\]\"“”‘’«»…]+)").match(self.norm, j.end(), end)
                    if not wm:
                        break
                    word = wm.group(1)
                    low = word.lower()
                    lower = word[:1].islower()
                    so_far = self.norm[name_start:name_end].split()
                    if _BYLINE.match(word) and not all(_BYLINE.match(w) for w in so_far):
                        break  # "Tổng Công ty Sông Thu HẢI CHÂU": the author's byline in capitals
                    legal_only = all(w.lower() in LEGAL_WORDS for w in so_far)
                    if low == "số" and self.norm[wm.end(1):wm.end(1) + 2].strip()[:1].isdigit():
                        pass  # "Công ty cổ phần Xây dựng số 3", "Trường Tiểu học số 2"
                    elif self._stops(wm.start(1), end, word) and not (shape == "named" and lower and low not in _CLAUSE_WORDS
                                                                      and self._capital_soon(wm.end(1), end)) \
                            and not (legal_only and not lower):
                        break  # (but "Công ty TNHH MTV Điện lực Đà Nẵng": the name begins after its legal form)
                    if shape == "named" and lower and not self.norm[name_start:name_end].split()[-1][:1].isupper() \
                            and not self._capital_soon(wm.end(1), end) and not self.ends_in_place(wm.start(1), end, bare=True) and any(
                                w[:1].isupper() and w.lower() not in LEGAL_WORDS for w in self.norm[name_start:name_end].split()):
                        break  # "Công ty TNHH xây dựng Mai Phương Minh trúng thầu": the clause goes on
                    if shape == "named" and lower and not _FOREIGN.match(word) and len(so_far) >= 2 and all(w[:1].isupper() for w in so_far[-2:]) \
                            and not all(w.lower() in LEGAL_WORDS for w in so_far[-2:]) \
                            and not self._capital_soon(wm.end(1), end) and not self.ends_in_place(wm.start(1), end) \
                            and not self._second_half(so_far[-1], wm, end):
                        break  # a proper name in capitals ends before a lower-case word ("Tập đoàn Sao Biển khai trương")
                    if low == "và" or low == "&":
                        after = _NAME_WORD.match(self.norm, wm.end(1), end)
                        if not after or not after.group(1)[:1].isupper() or self.pat.match(self.norm, after.start(1), end):
                            break  # "Sở Y tế và UBND huyện": the next body begins
                    name_end = stop = wm.end(1)
                    words += 1
                else:  # the longest name read: not ending halfway through a word ("... Kiểm dịch Quốc gia")
                    last = self.norm[name_start:name_end].split()[-1]
                    half = _NAME_WORD.match(self.norm, stop, end)
                    if half and half.group(1)[:1].islower() and self._second_half(last, half, end):
                        name_end = stop = half.end(1)
                if self.norm[name_start:name_end].split()[-1].lower() == "của" and self.place_at(name_end, end):
                    name_end = name_start + max(0, self.norm[name_start:name_end].rstrip().rfind(" "))  # "... của tỉnh"
                if self.norm[name_start:name_end].split()[-1:] in ([], ["và"], ["&"], ["của"]):
                    return None  # no name, or one cut at a joining word
                if all(w.lower() in LEGAL_WORDS for w in self.norm[name_start:name_end].split()):
                    return None  # "Công ty CP", "Công ty TNHH": no name yet
            else:
                return None
        found = self.place_at(stop, end, bare=shape != "named")
        typed = False
        if found:
            typed = bool(PLACE_RE.match(self.norm, stop + 1, end))
            stop, place_key = found
        else:
            committee = self.committee_at(stop, end, SUB_UNIT_PARENTS if concept.slug in SUB_UNITS else ("committee",))
            if committee is not None:
                parent_key = org_key(self.res, committee)
                place_key = committee.place_key
                stop = committee.span.end
                self.doc.pending_parents.append(committee)
        name = self.text[name_start:name_end].strip() if name_end > name_start else ""
        written = self.text[m.start():stop]
        if shape == "named" and not place_key and not parent_key and written == written.lower():
            return None  # "các tập đoàn kinh tế", "một công ty xây dựng": a kind of body, not one body
        after = match_key(self.norm[stop:stop + 20])
        if any(after.startswith(match_key(t)) for t in GENERIC_TAILS):
            return None  # "Ban vì sự tiến bộ phụ nữ cơ sở", "Hội LHPN các cấp": not one body
        if any(match_key(written).endswith(match_key(t)) for t in GENERIC_TAILS) or \
                any(f" {match_key(t)} " in f" {match_key(name)} " for t in GENERIC_TAILS):
            return None
        if not place_key and not parent_key and shape in ("territorial", "committee", "sectoral"):
            place_key = self.shared_place(stop, end)
        if shape == "territorial" and not place_key and _POST_BEFORE.search(self.norm[max(0, m.start() - 24):m.start()]):
            # "Chủ tịch HĐND Trần Văn Hiện" in a Cà Mau story: the council of the story's territory
            place_key = self.doc.home if self.res.gazetteer.get(self.doc.home) and \
                self.res.gazetteer.get(self.doc.home).level in ("province", "district") else ""
        if shape == "territorial" and not place_key:
            return None
        if not place_key and concept.slug == "so":
            place_key = _home_key(self.doc, self.res, "province")
        if not place_key and concept.slug == "phong":
            place_key = _home_key(self.doc, self.res, "district")
        return OrgHit(self.span(m.start(), stop), concept, self.text[m.start():m.end()], name, place_key, parent_key, typed)

    def country_at(self, p: int, end: int):
        for span, key in self.doc.place_mentions:
            if 0 < span.start - p <= 1:
                unit = self.res.gazetteer.get(key)
                return (span.end, key) if unit is not None and unit.level == "country" else None
        return None

    def ends_in_place(self, p: int, end: int, bare: bool = False) -> bool:
        """Lower-case words up to a named place: "Trung tâm dạy nghề huyện Minh Hóa"; with `bare`,
        also a province's bare name that ends the name, before punctuation or the next body ("...
        hàng không sân bay Đà Nẵng, ...", "... sân bay Đà Nẵng Công ty TNHH ...")."""
        pos = p - 1
        for _ in range(MAX_NAME_WORDS + 1):
            found = self.place_at(pos, end, bare=False)
            if self.country_at(pos, end):
                return True  # "Nghiệp đoàn báo chí quốc gia Pháp"
            if found and found[1] and (PLACE_RE.match(self.norm, pos + 1, end)
                                       or self.norm[max(0, pos - 4):pos].lower() == " của"):
                return True  # "... huyện Minh Hóa", "... của tỉnh"
            named = self.place_at(pos, end) if bare and pos > p - 1 else None  # (after a word at least)
            if named and named[1] and (_NAME_ENDS.match(self.norm, named[0], end) or self.pat.match(self.norm, named[0] + 1, end)):
                return True
            j = _JOINER.match(self.norm, pos, end)
            wm = _WORD_AT.match(self.norm, j.end(), end) if j else _NAME_WORD.match(self.norm, pos, end)
            if not wm or self._stops(wm.start(1), end, wm.group(1)):
                return False
            pos = wm.end(1)
        return False

    def shared_place(self, stop: int, end: int, depth: int = 0) -> str:
        """"Tỉnh ủy, HĐND, UBND tỉnh Hà Giang": bodies listed together share the last one's place."""
        sep = _LIST_SEP.match(self.norm, stop, end)
        if not sep or depth > 6:
            return ""
        hm = self.pat.match(self.norm, sep.end(), end)
        if not hm or self.concept_of(hm.group(0)).shape not in ("territorial", "committee"):
            return ""
        found = self.place_at(hm.end(), end)
        if found and found[1]:
            return found[1]
        return self.shared_place(hm.end(), end, depth + 1)

    def read_committee(self, m: re.Match, concept: Concept, end: int) -> OrgHit | None:
        word = match_key(m.group(0))
        level = COMMITTEE_LEVELS.get(word)
        stop = m.end()
        place_key = ""
        found = self.place_at(stop, end, any_level=True)  # "quận ủy Gò Vấp": the name is surely a place
        if found:
            stop, place_key = found
        elif (shared := self.shared_place(stop, end)):
            place_key = shared
        elif level:
            place_key = recent_key(self.doc, self.res, m.start(), level)
        elif word == "thành ủy":
            place_key = _home_key(self.doc, self.res, "province") or _home_key(self.doc, self.res, "district")
        if not place_key:
            return None
        return OrgHit(self.span(m.start(), stop), concept, self.text[m.start():m.end()], "", place_key)

    def _capital_after(self, p: int, end: int) -> bool:
        """A capitalised word soon after the word at `p` — a word later than elsewhere past a legal
        form ("Công ty cổ phần khai khoáng Sahara", "Công ty trách nhiệm hữu hạn My Anh")."""
        wm = _WORD_AT.match(self.norm, p, end)
        stop = wm.end(1) if wm else p
        skipped = []
        while wm and wm.group(1).lower() in LEGAL_WORDS:
            stop = wm.end(1)
            skipped.append(wm.group(1).lower())
            wm = _NAME_WORD.match(self.norm, stop, end)
        return self._capital_soon(stop, end, reach=3 if " ".join(skipped) in LEGAL_FORMS else 2)

    def _capital_soon(self, p: int, end: int, reach: int = 2) -> bool:
        """A proper name goes on over lower-case words before its capitalised part ("Công ty TNHH
        xây dựng Mai Phương Minh"), but not into the clause ("Công ty X xây dựng nhà máy")."""
        for _ in range(reach):
            wm = _NAME_WORD.match(self.norm, p, end)
            if not wm:
                return False
            if wm.group(1)[:1].isupper() and not self.pat.match(self.norm, wm.start(1), end):
                return True
            p = wm.end(1)
        return False

    def _second_half(self, before: str, wm: re.Match, end: int) -> bool:
        """Is the lower-case word at `wm` the second syllable of the capitalised one before it
        ("Nhà hát Chèo Quân đội", "Công ty CP Dịch vụ")? (kg.words)"""
        after = _NAME_WORD.match(self.norm, wm.end(1), end)
        return second_half(before, wm.group(1), after.group(1) if after else None)

    def _stops(self, p: int, end: int, word: str) -> bool:
        if self.pat.match(self.norm, p, end) and word[:1].isupper():
            return True
        if word[:1].isupper() or word[:1].isdigit():
            return False  # a capitalised word goes on a name ("Công ty CP Xây dựng Công trình 545")
        low = self.norm[p:end].lower()
        before = self.norm[max(0, p - 8):p].lower().split()
        if before and f"{before[-1]} {low.split(' ', 1)[0]}" in STOP_COMPOUNDS:
            return False
        for stop in STOP:
            if low.startswith(stop) and (len(low) == len(stop) or not low[len(stop)].isalnum()) and stop != "và":
                return True
        if self.pat.match(self.norm, p, end) and word[:1].isupper():
            return True
        return False

    def span(self, a: int, b: int) -> Span:
        return Span(a, b, self.text[a:b])


def recent_key(doc: Doc, res: Resources, pos: int, level: str | None, type_word: str = "") -> str:
    """What a bare "huyện", "tỉnh", "thành phố" refers to: the last unit of that level named before
    it ("Tại huyện Ba Vì, ... Ủy ban MTTQ huyện hướng dẫn"), else the article's home territory's."""
    gaz = res.gazetteer
    for span, key in reversed(doc.place_mentions):
        if span.start >= pos:
            continue
        unit = gaz.get(key)
        ent = doc.entities.get(key)
        unit_level = unit.level if unit else ({"Province": "province", "District": "district", "Commune": "commune"}.get(ent.cls) if ent else None)
        unit_type = unit.type_word if unit else ""
        if (level and unit_level == level) or (not level and type_word and unit_type == type_word):
            return key
    if level:
        return _home_key(doc, res, level)
    return _home_key(doc, res, "province") if type_word == "thành phố" else ""


def _prefix(written: str, words: list[str]) -> str:
    pos = 0
    for w in words:
        pos = written.index(w, pos) + len(w)
    return written[:pos]


def _sector_label(res: Resources, name: str) -> str:
    """A sector written another way ("Thông tin - Truyền thông") under its standard name."""
    key = match_key(name)
    for c in res.lexicon.sectors.values():
        if any(match_key(f) == key for f in c.forms):
            return c.label
    return name


def canonical_name(res: Resources, hit: OrgHit) -> str:
    """Full form: the head's full form, the expanded name (a known sector under its standard name)."""
    head = hit.concept.label if hit.concept.shape not in ("committee", "named") else _committee_word(hit.head)
    if hit.concept.shape == "named":
        head = hit.head[:1].upper() + hit.head[1:]
        head = res.lexicon.expand(head)
    parts = [head]
    if hit.name:
        name = res.lexicon.expand(hit.name)
        parts.append(_sector_label(res, name) if hit.concept.slug in ("so", "bo", "phong") else name)
    return " ".join(parts)


def _committee_word(head: str) -> str:
    head = unify_tones(head)
    return head[:1].upper() + head[1:]


def org_key(res: Resources, hit: OrgHit) -> str:
    name = res.lexicon.expand(hit.name) if hit.name else ""
    if name and hit.concept.slug in ("so", "bo", "phong"):
        name = _sector_label(res, name)  # "Bộ Thông tin - Truyền thông" is "Bộ Thông tin và Truyền thông"
    sector = slugify(name) if name else ""
    kind = hit.concept.slug
    if hit.concept.shape == "committee":
        kind = slugify(_committee_word(hit.head))
    if hit.concept.shape == "named":
        kind = slugify(res.lexicon.expand(hit.head))
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


def add_org(doc: Doc, res: Resources, hit: OrgHit, with_span: bool = True) -> Entity:
    key = org_key(res, hit)
    base = canonical_name(res, hit)
    national = res.lexicon.agency_by_key.get(match_key(base))
    if national is not None and national.shape == "national" and not hit.place_key:
        # "Ban Tuyên giáo Trung ương" read as Ban + name is the national body of that name
        hit = OrgHit(hit.span, national, national.label, "", "", "")
        key, base = org_key(res, hit), national.label
    # the form as written, unless it is the bare head ("HĐND" alone names no particular council)
    label, alts = base, [hit.span.text] if match_key(hit.span.text) != match_key(hit.head) else []
    if hit.parent_key:
        parent = doc.entities.get(hit.parent_key)
        if parent is not None:
            label = f"{base} {parent.label}"
    elif hit.place_key:
        place = place_label(doc, res, hit.place_key)
        if place:
            if hit.concept.shape == "committee":
                unit = res.gazetteer.get(hit.place_key)
                label = f"{base} {unit.name if unit else place.split(' ', 1)[-1]}"
            elif hit.concept.shape != "named" or match_key(place.split(" ", 1)[-1]) not in match_key(base):
                label = f"{base} {place}"
            # the written form with its place made explicit ("Ban vì sự tiến bộ phụ nữ huyện Quỳnh Lưu")
            if hit.concept.shape != "committee":
                alts.append(" ".join(x for x in (hit.head, hit.name, place) if x))
    for form in hit.concept.forms:  # the abbreviated head ("UBND huyện Quỳnh Lưu")
        if form != hit.concept.label and form.isupper() and label.startswith(hit.concept.label) \
                and match_key(res.lexicon.expansions.get(form, "")) == match_key(hit.concept.label):
            alts.append(form + label[len(hit.concept.label):])
    public = res.lexicon.is_public(hit.concept.slug)
    ent = Entity(kind="org", label=label, key=key, cls="Agency" if public else "Organization",
                 alt_labels=[a for a in dict.fromkeys(alts) if a and a != label],
                 jurisdiction=hit.place_key if hit.concept.shape != "named" or (public and hit.typed_place) else "",
                 parent=hit.parent_key, agency_type=hit.concept.slug)
    return doc.add_entity(ent, hit.span if with_span else None)


@stage(requires=("places", "home", "norm"), assigns=("orgs",))
def orgs(doc: Doc, res: Resources) -> None:
    from .people import post_pattern

    reader = OrgReader(doc, res)
    posts = post_pattern(res)
    places = SpanIndex((s.start, s.end) for s, _ in doc.place_mentions)
    doc.pending_parents = []
    named: list[Span] = []
    proper: dict[str, OrgHit] = {}  # bodies known by a proper name: their first reading
    for sent in doc.sentences:
        pos = sent.start
        while True:
            m = reader.pat.search(reader.norm, pos, sent.end)
            if not m:
                break
            inside_place = places.covers(m.start(), m.start() + 1, strict_start=True)
            hit = None if inside_place or _inside_post(reader, m, posts) or _inside_word(reader.norm, m) \
                else reader.read(m, sent.end)  # "xã Ban Mế" is no "Ban", "thông báo rằng" no newspaper
            if hit is None:
                pos = m.end()
                continue
            pos = max(hit.span.end, m.end())
            for parent in doc.pending_parents:
                # a party committee is a body of its own ("Ban Tuyên giáo Tỉnh ủy Cà Mau" names Tỉnh ủy
                # Cà Mau); a department a unit belongs to ("Sở Tài chính" in "Thanh tra Sở Tài chính")
                # is described, and mentioned only where the text names it on its own
                committee = parent.concept.shape == "committee"
                add_org(doc, res, parent, with_span=committee)
                if committee:
                    doc.org_mentions.append((parent.span, org_key(res, parent)))
            doc.pending_parents = []
            ent = add_org(doc, res, hit)
            doc.org_mentions.append((hit.span, ent.key))
            if hit.concept.shape in ("named", "national"):
                named.append(hit.span)
            if hit.concept.shape == "named" and not hit.place_key and not hit.parent_key and hit.name:
                proper.setdefault(ent.key, hit)
    _drop_places_inside(doc, named)
    merge_short_forms(doc, proper)


def _inside_word(norm: str, m: re.Match) -> bool:
    """Is "báo" (a newspaper) in lower case one half of a word with the syllable before or after it
    ("thông báo rằng", "cảnh báo", "báo cáo", "báo chí")? (kg.words; "tờ báo X" is a newspaper)"""
    if m.group(0) != "báo":
        return False  # (other heads in lower case are mostly bodies named after a post: "Trưởng phòng Y tế")
    before = norm[max(0, m.start() - 12):m.start()].split()
    after = _WORD_AT.match(norm, m.end() + 1) if norm[m.end():m.end() + 1] == " " else None
    return bool(before and norm[m.start() - 1:m.start()] == " " and before[-1].lower() != "tờ" and is_word(before[-1], "báo")) or \
        bool(after and after.group(1)[:1].islower() and is_word("báo", after.group(1)))


POST_HEADS = {"ban", "phòng", "sở", "Thanh tra"}  # heads the head pattern finds inside a post on purpose


def _inside_post(reader: OrgReader, m: re.Match, posts: re.Pattern) -> bool:
    """"Phó Thủ tướng Thường trực Trương Hòa Bình": "Thường trực" is part of the post, not a body."""
    if m.group(0) in POST_HEADS or m.group(0).split()[0].lower() in POST_HEADS:
        return False  # (also "Trưởng Ban Tuyên giáo T.Ư": the national body after the post)
    start = max(0, m.start() - 30)
    return any(p.start() < m.start() < p.end() for p in posts.finditer(reader.norm, start, m.end() + 12))


def _drop_places_inside(doc: Doc, spans: list[Span]) -> None:
    """A place inside a company's or a school's proper name ("Heineken Việt Nam") is part of that
    name, not a mention of the place."""
    inside = lambda s: any(o.start <= s.start and s.end <= o.end for o in spans)  # noqa: E731
    doc.place_mentions = [(s, k) for s, k in doc.place_mentions if not inside(s)]
    doc.mentions = [(s, k) for s, k in doc.mentions if not (inside(s) and k in doc.entities and doc.entities[k].kind == "place")]
    for key, ent in list(doc.entities.items()):
        if ent.kind == "place" and ent.spans:
            ent.spans = [s for s in ent.spans if not inside(s)]
            if not ent.spans:
                del doc.entities[key]

"""Names of places and organisations, linked to the gazetteer and given deterministic keys.

Places: a type word and a name ("huyện Quỳnh Lưu", "TP. Vinh", "tỉnh Xiêng Khoảng"), country names
("Lào", "CHDCND Lào"), and bare names of provinces (and districts of the article's province).
Each is resolved with the gazetteer, using the places named nearby and the article's home
territory as context; a mention that stays ambiguous is kept with its candidates.

Organisations: a head noun from the agency-type dictionary ("UBND", "Sở", "Ban", "Huyện ủy") and
what follows it: a sector or proper name, then a place ("Sở Lao động thương binh và xã hội tỉnh
Nghệ An"), a bare level word ("Ban vì sự tiến bộ phụ nữ huyện" → the home district), or a
party committee ("Ban Dân vận Tỉnh ủy"). Keys are type + jurisdiction, so every article that
names the same body gets the same IRI.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from ..model import Doc, Entity, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify
from .spans import SpanIndex
from .patterns import CAPSEQ, PLACE_RE, PLACE_TYPES, SURNAME_NAME_RE

LEVEL_OF_CLS = {"Country": "country", "Province": "province", "District": "district", "Commune": "commune"}
CLS_OF_LEVEL = {v: k for k, v in LEVEL_OF_CLS.items()}
TYPE_WORD_LEVEL = {"tỉnh": "province", "huyện": "district", "quận": "district", "thị xã": "district",
                   "xã": "commune", "phường": "commune", "thị trấn": "commune", "thành phố": None}

# Words that cannot continue an organisation's name: verbs and function words of the clause.
STOP = {
    "tổ chức", "phối hợp", "đã", "đang", "sẽ", "được", "bị", "cho", "với", "tại", "về", "trong", "để", "là",
    "có", "này", "đó", "kia", "các", "những", "cùng", "theo", "nhằm", "thực hiện", "triển khai", "khi",
    "nhưng", "nên", "thì", "mà", "vừa", "chủ trì", "tham dự", "gặp", "gặp mặt", "làm việc", "tiếp", "thăm",
    "trao", "nhận", "báo cáo", "cho biết", "đề nghị", "yêu cầu", "kiểm tra", "chỉ đạo", "ban hành",
    "phát động", "hỗ trợ", "từ", "đến", "trên", "dưới", "ở", "vào", "ra", "lên", "qua", "như", "sau",
    "trước", "đều", "cũng", "rất", "nhiều", "một", "phải", "cần", "lại", "không", "chưa", "năm", "tháng",
    "ngày", "hôm", "sáng", "chiều", "tối", "do", "bởi", "nay", "hiện", "vẫn", "còn", "luôn", "tiếp tục",
    "đồng thời", "chia sẻ", "trao đổi", "giới thiệu", "đánh giá", "nhấn mạnh", "phát biểu", "quyết định",
    "xây dựng", "tổng kết", "sơ kết", "tăng cường", "đề xuất", "đối với", "gồm", "thuộc", "giữa", "ông",
    "bà", "đồng chí", "và", "hoặc", "hay", "thông qua", "chịu trách nhiệm", "đạt", "chiếm", "lãnh đạo",
    "dự", "tham gia", "nhận", "tặng", "ủng hộ", "đóng góp", "ký", "cam kết", "bày tỏ", "khẳng định", "cho hay",
    "nói", "thông tin", "tiến hành", "hoàn thành", "đầu tư", "thi công", "ban hành", "phân tích", "hướng dẫn",
    "điều hành", "cho rằng", "thông báo", "công bố", "đồng ý", "chấp thuận", "phê duyệt", "giao", "cấp",
    "trao tặng", "khen thưởng", "giám sát", "xử lý", "cho phép", "tiếp nhận", "vừa", "mới", "sớm",
    "thường xuyên", "tích cực", "đặc biệt", "nhanh chóng", "kịp thời", "chủ động", "khác", "nọ", "vừa qua",
    "gửi", "đề ra", "phát hiện", "kiến nghị", "lập", "thành lập", "quản lý", "làm", "đi", "về việc",
    "ngay", "đây", "năm nay", "hiện nay", "nhằm", "bằng", "lúc", "nơi", "thì", "kể", "vốn", "tiền",
    "biểu diễn", "thẩm định", "kiểm định", "tổ chức", "phối hợp", "xác định", "đánh giá",
}
# Compounds whose second word alone would end a name ("hàng không": aviation, not "không")
# a stop word that is the second half of a name's word ("Cục Hậu cần", "Cục Hàng không")
STOP_COMPOUNDS = {"hàng không", "phi chính phủ", "liên hợp quốc", "hậu cần", "thiết yếu", "từ thiện", "tuyên truyền"}
GENERIC_TAILS = ("các cấp", "cơ sở", "các xã", "các huyện", "các tỉnh", "địa phương", "các ngành", "các đơn vị")
MAX_NAME_WORDS = 9
_WORD = re.compile(r"[^\s,.;:!?()\[\]\"“”‘’«»]+")


@dataclass
class PlaceHit:
    span: Span
    name: str  # as written, without the type word
    type_word: str  # canonical type word or "" (what resolution goes by)
    level: str | None
    written_type: str = ""  # the type word as the text gives it


def _home_key(doc: Doc, res: Resources, level: str) -> str:
    """The home territory's unit at `level` (its ancestor at that level), if known."""
    gaz = res.gazetteer
    key = doc.home
    while key:
        ent = doc.entities.get(key)
        unit = gaz.get(key)
        cls = (ent.cls if ent else None) or (unit.cls if unit else None)
        if cls and LEVEL_OF_CLS.get(cls) == level:
            return key
        key = (ent.parent if ent and ent.parent else (unit.parent if unit else ""))
    return ""


class Linker:
    """Resolves place names with the gazetteer, in the context of one article."""

    def __init__(self, doc: Doc, res: Resources):
        self.doc, self.res, self.gaz = doc, res, res.gazetteer
        self.context: list[str] = []  # keys of places resolved so far, most recent first

    def note(self, key: str) -> None:
        if key in self.context:
            self.context.remove(key)
        self.context.insert(0, key)

    def ctx(self) -> list[str]:
        home = [self.doc.home] if self.doc.home else []
        return self.context + [k for k in home if k not in self.context]

    def resolve(self, name: str, type_word: str = "", level: str | None = None, first: list[str] = ()):
        ctx = list(first) + [k for k in self.ctx() if k not in first]
        return self.gaz.resolve(name, type_word=type_word or None, level=level, context=ctx, date=self.doc.date)

    def place_entity(self, unit, span: Span | None) -> Entity:
        ent = Entity(kind="place", label=unit.full_name, key=unit.key, cls=unit.cls,
                     alt_labels=[unit.name], code=unit.code, registered=True)
        ent = self.doc.add_entity(ent, span)
        if span is not None:
            self.doc.place_mentions.append((span, unit.key))
        self.note(unit.key)
        return ent

    def local_place(self, name: str, type_word: str, level: str, span: Span, written_parent: str = "") -> Entity | None:
        """A unit not in the register (e.g. a commune merged away before the register's date), keyed
        under its parent: the one written next to it ("xã Lai Vu, huyện Kim Thành"), else, for a
        commune, the nearest district of the article. A district needs its province written next to it."""
        above = {"commune": "district", "district": "province", "province": "country"}.get(level, "")
        parent = written_parent
        if level == "district" and not parent:
            return None
        for key in ([] if parent else self.ctx()):
            unit = self.gaz.get(key)
            ent = self.doc.entities.get(key)
            cls = unit.cls if unit else (ent.cls if ent else "")
            if LEVEL_OF_CLS.get(cls) == above:
                parent = key
                break
        if not parent.startswith("vn-") or level not in ("commune", "district"):
            return None  # every province is in the register; a foreign unit we do not know stays a mention
        key = f"{parent}.{slugify(type_word + ' ' + name)}"  # as _local_key
        ent = Entity(kind="place", label=f"{type_word} {name}", key=key, cls=CLS_OF_LEVEL[level],
                     alt_labels=[name], parent=parent)
        ent = self.doc.add_entity(ent, span)
        self.doc.place_mentions.append((span, key))
        self.note(key)
        return ent


def _type_of(raw: str) -> tuple[str, str | None]:
    canon, level = PLACE_TYPES.get(raw.lower().rstrip(), (raw.lower(), None))
    return canon, level


def find_typed_places(text: str, start: int, end: int, gaz) -> list[PlaceHit]:
    """'huyện Quỳnh Lưu': the type word and the longest following name the register knows."""
    hits = []
    for m in PLACE_RE.finditer(text, start, end):
        if re.search(r"(?i)thông tấn\s*$", text[max(0, m.start() - 12):m.start()]):
            continue  # "Thông tấn xã Việt Nam" is a news agency
        type_word, level = _type_of(m.group(1))
        words = re.findall(r"[^\s–-]+|[–-]", m.group(2))
        chosen = None
        for n in range(min(len(words), 7), 0, -1):
            if words[n - 1] in "–-":
                continue
            cand = _join(m.group(2), words[:n])
            if exact(gaz.lookup(cand, level=level, type_word=type_word if level != "country" else None), cand) or \
                    exact(gaz.lookup(f"{type_word} {cand}", level=level), f"{type_word} {cand}"):
                chosen = cand
                break
        lookup_type = type_word if level != "country" else ""
        if chosen is None and level in ("district", "commune"):
            # units change type (huyện Tịnh Biên became thị xã Tịnh Biên): the name at the level counts
            for n in range(min(len(words), 7), 0, -1):
                cand = _join(m.group(2), words[:n])
                if words[n - 1] not in "–-" and exact(gaz.lookup(cand, level=level), cand):
                    chosen, lookup_type = cand, ""
                    break
        if chosen is None:
            if level == "country":
                continue
            pn = SURNAME_NAME_RE.match(m.group(2))
            if pn and len(pn.group(0).split()) >= 3:
                continue  # "UBND huyện Đinh Hữu Niên": a person's name after a bare level word
            names = [w for w in m.group(2).replace("–", " - ").split() if w not in "–-"]
            chosen = _join(m.group(2), names[: 3 if len(names) <= 3 else 2])
        name_start = m.start(2)
        s, e = m.start(1), name_start + len(chosen)
        hit = PlaceHit(Span(s, e, text[s:e]), chosen, lookup_type, level)
        hit.written_type = type_word if level != "country" else ""
        hits.append(hit)
    return hits


def exact(units: list, name: str) -> list:
    """Units named exactly so (tone placement and case aside): the register's unaccented fallback
    would read "Ảnh" (photo) as "Anh" (England). Text written without diacritics keeps it."""
    if name.isascii():
        return units
    key = match_key(name)
    out = []
    for u in units:
        names = {match_key(n) for n in (u.name, u.full_name, *u.alt_names)}
        if key in names or match_key(f"{u.type_word} {u.name}") == key:
            out.append(u)
    return out


def _join(written: str, words: list[str]) -> str:
    """The prefix of `written` that holds `words` (keeping its own spacing and hyphens)."""
    pos = 0
    for w in words:
        pos = written.index(w, pos) + len(w)
    return written[:pos]


# A name after these words is a river, a temple, a street ...: not the unit of that name.
_LANDMARK_BEFORE = re.compile(
    r"(?i)(?:sông|đền|chùa|núi|hồ|đường|phố|cầu|đèo|vịnh|biển|bến|cảng|sân bay|nhà máy|chợ|ga|đầm|suối|"
    r"thác|động|hang|đảo|bãi|công viên|quảng trường|khách sạn|bệnh viện|trường|báo|đài|tạp chí|giải|cúp|"
    r"ông|bà|anh|chị|em|cô|chú|bác|đồng chí)\s+$")
_FORMAL = r"(?:CHDCND|CHXHCN|CHLB|Cộng hòa Dân chủ Nhân dân|Cộng hòa [Xx]ã hội chủ nghĩa|Cộng hòa Liên bang|Vương quốc|Cộng hòa)"
_BARE_RE = re.compile(rf"(?:{_FORMAL}[ ]+)?{CAPSEQ}")


_TO_A_PLACE = re.compile(r"(?:từ|tại|ở|của|người|nước|sang|đến|với)\s+$")
_OPENS_CLAUSE = re.compile(r"[:“\"]\s*$")
_PRONOUN_ANH = re.compile(r"\s+(?:ấy|ta|cho biết|nói|chia sẻ|kể|tâm sự)\b")  # "Anh đã ...": England as well


def _pronoun(text: str, m: re.Match, start: int, end: int) -> bool:
    """Is this "Anh" the pronoun (he, you), not England ("đến từ Anh nói": from England, said)?"""
    if _TO_A_PLACE.search(text, max(start, m.start() - 8), m.start()):
        return False
    return bool(_OPENS_CLAUSE.search(text, max(start, m.start() - 3), m.start()) or _PRONOUN_ANH.match(text, m.end(), end))


def find_country_and_bare(text: str, start: int, end: int, taken: list[tuple[int, int]], res: Resources) -> list[PlaceHit]:
    """A whole capitalised sequence that names a country ("Lào", "CHDCND Lào") or a province ("Nghệ An").

    Only the whole sequence counts, so "Anh" in "Nguyễn Xuân Anh" and "Hòa Bình" in "Trương Hòa
    Bình" are no places; nor is a name after "sông", "đền", "đường" ...; and a one-syllable country
    name ("Anh", "Ý", "Bỉ") must not open the sentence, where it is more often a pronoun or a word; nor
    may "Anh" open a quote or a clause after a colon, or come before what follows the pronoun ("Anh ấy",
    "Anh vẫn").
    """
    gaz, lex = res.gazetteer, res.lexicon
    hits = []
    taken_index = SpanIndex(taken)
    for m in _BARE_RE.finditer(text, start, end):
        if taken_index.overlaps(m.start(), m.end()):
            continue
        if _LANDMARK_BEFORE.search(text[max(start, m.start() - 16):m.start()]):
            continue
        cand = m.group(0)
        for form in dict.fromkeys([cand, lex.expand(cand)]):
            units = exact(gaz.lookup(form, level="country"), form)
            if units and len(cand.split()) == 1 and (m.start() == start or len(cand) <= 2 and cand not in ("Ý",)
                                                      or cand == "Anh" and _pronoun(text, m, start, end)):
                units = []
            if not units and len(cand.split()) >= 2 and not re.match(_FORMAL, cand):
                units = exact(gaz.lookup(form, level="province"), form)
            if units:
                hits.append(PlaceHit(Span(m.start(), m.end(), cand), form, "", units[0].level))
                break
    return hits


def home_territory(doc: Doc, res: Resources, linker: Linker, first_pass: list[tuple[PlaceHit, object]]) -> str:
    """Where the article is from: the title's lead place ("Quỳnh Lưu: ..."), else the district or
    province it names most, else the publisher's province."""
    counts: Counter = Counter()
    title_end = len(doc.article.title)
    for hit, unit in first_pass:
        if unit is None or unit.level not in ("district", "province"):
            continue
        weight = 3 if hit.span.start < title_end else 1
        counts[unit.key] += weight * (2 if unit.level == "district" else 1)
    dateline = doc.article.dateline
    if dateline and not re.search(r"\.(?:vn|com|net)$", dateline.lower()):
        r = linker.resolve(dateline.title() if dateline.isupper() else dateline)  # "HÀ NỘI - ..."
        if r.unit is not None and r.unit.level in ("district", "province"):
            counts[r.unit.key] += 10
    m = re.match(rf"^({CAPSEQ})\s*[:–-]", doc.article.title)
    if m:
        r = linker.resolve(m.group(1))
        if r.unit is not None and r.unit.level in ("district", "province"):
            counts[r.unit.key] += 10
    if counts:
        return counts.most_common(1)[0][0]
    pub = res.lexicon.publisher_for(doc.article.source or doc.article.url or doc.article.dateline)
    if pub and pub.province_code:
        units = [u for u in res.gazetteer.lookup_code(pub.province_code)] if hasattr(res.gazetteer, "lookup_code") else []
        if units:
            return units[0].key
    return ""


@stage(requires=("sentences",), assigns=("places", "home"))
def places(doc: Doc, res: Resources) -> None:
    text, gaz = doc.article.text, res.gazetteer
    linker = Linker(doc, res)
    hits: list[PlaceHit] = []
    for sent in doc.sentences:
        typed = find_typed_places(text, sent.start, sent.end, gaz)
        taken = [(h.span.start, h.span.end) for h in typed]
        hits += typed + find_country_and_bare(text, sent.start, sent.end, taken, res)
    hits.sort(key=lambda h: h.span.start)
    # First pass without context: what is unambiguous tells where the article is.
    first = []
    for h in hits:
        r = gaz.resolve(h.name, type_word=h.type_word or None, level=h.level, context=[], date=doc.date)
        first.append((h, r.unit))
    doc.home = home_territory(doc, res, linker, first)
    if doc.home and gaz.get(doc.home):
        linker.place_entity(gaz.get(doc.home), None)
        for anc in _ancestors(gaz, doc.home):
            if anc.level != "country":
                linker.note(anc.key)
    hits = sorted(hits + _bare_districts(doc, res, linker, hits), key=lambda h: h.span.start)
    # Second pass in text order, with context: first the unit written next to the mention
    # ("huyện Kỳ Sơn, Hòa Bình"), then the places named so far, then the home territory.
    decided: dict[int, tuple] = {}
    starts = [h.span.start for h in hits]

    def decide(h: PlaceHit, depth: int = 0) -> tuple:
        """(unit, None) for a register unit, (None, (level, parent key)) for one the register lacks,
        (None, None) when it stays a mention. The unit written next to it is decided first."""
        if h.span.start in decided:
            return decided[h.span.start]
        nxt = _next_to(doc, h, hits, starts) if depth < 4 else None
        written = ""
        if nxt is not None:
            unit, local = decide(nxt, depth + 1)
            written = unit.key if unit is not None else (local[2] if local else "")
        r = linker.resolve(h.name, h.type_word, h.level, first=[written] if written else [])
        level = TYPE_WORD_LEVEL.get(h.written_type) or h.level
        inside = r.unit is not None and (not written or written in {a.key for a in gaz.ancestors(r.unit.key)}
                                         or written == r.unit.key)
        if r.unit is not None and inside and not (level == "commune" and _far_from_home(linker, r, [written] if written else [])):
            out = (r.unit, None)
        elif r.candidates and r.unit is None and not written and not _local_unit_likely(linker, h, r.candidates):
            out = (None, None)
        elif h.written_type and level in ("district", "commune"):
            key = _local_key(linker, h, level, written)
            parent = key.rsplit(".", 1)[0] if key else ""
            known = [u for u in gaz.lookup(h.name, level=level) if u.parent == parent]
            # the register's own unit under that parent wins over a new local one
            out = (known[0], None) if known else (None, (level, written, key))
        else:
            out = (None, None)
        decided[h.span.start] = out
        return out

    for h in hits:
        unit, local = decide(h)
        if unit is not None:
            ent = linker.place_entity(unit, h.span)
            if h.written_type and h.written_type != unit.type_word:
                ent.alt_labels.append(f"{h.written_type} {unit.name}")  # as the article names it
        elif local is not None and local[2]:
            level, written, _ = local
            parent = written if written and _level_of(linker, written) == ABOVE.get(level) else ""
            linker.local_place(h.name, h.written_type, level, h.span, parent)
        else:
            r = linker.resolve(h.name, h.type_word, h.level)
            if r.candidates and r.unit is None:
                doc.ambiguous.append((h.span, [u.key for u in r.candidates]))
    doc.linker = linker
    # The home entity was added without a span: keep it only if the text mentions it.
    if doc.home and not any(k == doc.home for _, k in doc.place_mentions):
        doc.entities.pop(doc.home, None)


_NEXT_TO = re.compile(r"\s*(?:,|\(|-|–|thuộc)\s*$")
ABOVE = {"commune": "district", "district": "province"}
_RANK = {"country": 0, "province": 1, "district": 2, "commune": 3}


def _next_to(doc: Doc, hit: PlaceHit, hits: list[PlaceHit], starts: list[int]) -> PlaceHit | None:
    """The place written right after a mention, of a higher level: "xã Lai Vu, huyện Kim Thành",
    "huyện Kỳ Sơn, Hòa Bình", "xã Hợp Thịnh, Hợp Thành, huyện Kỳ Sơn" (over a list of its peers)."""
    text = doc.article.text
    end = hit.span.end
    for nxt in hits[bisect_left(starts, end):]:
        if nxt.span.start < end:
            continue
        if nxt.span.start - end > 10 or not _NEXT_TO.match(text[end:nxt.span.start]):
            return None
        # a "thành phố" (level unknown: a province-level or a district-level city) sits below a province
        hit_rank = _RANK.get(hit.level, 1.5) if hit.level else 1.5
        if _RANK.get(nxt.level or "", 9) < hit_rank or (nxt.level is None and hit.level == "commune"):
            return nxt
        end = nxt.span.end  # a peer in a list: look past it
    return None


def _level_of(linker: Linker, key: str) -> str | None:
    unit = linker.gaz.get(key)
    if unit is not None:
        return unit.level
    ent = linker.doc.entities.get(key)
    return LEVEL_OF_CLS.get(ent.cls) if ent else None


def _local_key(linker: Linker, hit: PlaceHit, level: str, written: str) -> str:
    """The key a unit missing from the register will get (its parent: written, else the nearest)."""
    parent = written if written and _level_of(linker, written) == ABOVE.get(level) else ""
    if not parent:
        if level == "district":
            return ""
        for key in linker.ctx():
            if _level_of(linker, key) == ABOVE.get(level):
                parent = key
                break
    if not parent.startswith("vn-"):
        return ""
    return f"{parent}.{slugify(hit.written_type + ' ' + hit.name)}"


def _far_from_home(linker: Linker, r, first_ctx: list[str]) -> bool:
    """A commune that the register knows only far away, in a story set elsewhere and with no
    parent written next to it, is the story's own commune missing from the register."""
    if first_ctx or r.rule not in ("unique", "level"):
        return False
    province = _home_key(linker.doc, linker.res, "province")
    district = _home_key(linker.doc, linker.res, "district")
    return bool(province and district) and province not in {a.key for a in linker.gaz.ancestors(r.unit.key)}


def _bare_districts(doc: Doc, res: Resources, linker: Linker, hits: list[PlaceHit]) -> list[PlaceHit]:
    """Districts named without their type word ("4 huyện ... là Mèo Vạc, Đồng Văn, Yên Minh") count
    only inside the article's own province, where the context makes them certain."""
    if not doc.home:
        return []
    text, gaz = doc.article.text, res.gazetteer
    taken = SpanIndex((h.span.start, h.span.end) for h in hits)
    out = []
    for sent in doc.sentences:
        for m in _BARE_RE.finditer(text, sent.start, sent.end):
            cand = m.group(0)
            if len(cand.split()) < 2 or taken.overlaps(m.start(), m.end()):
                continue
            if _LANDMARK_BEFORE.search(text[max(sent.start, m.start() - 16):m.start()]):
                continue
            if not exact(gaz.lookup(cand, level="district"), cand):
                continue
            r = linker.resolve(cand, "", "district")
            home_province = _home_key(doc, res, "province")
            if r.unit is not None and (r.rule == "context" or home_province in {a.key for a in gaz.ancestors(r.unit.key)}):
                out.append(PlaceHit(Span(m.start(), m.end(), cand), cand, "", "district"))
    return out


def _local_unit_likely(linker: Linker, hit: PlaceHit, candidates) -> bool:
    """A commune named with its type word in a story set in one district, none of whose namesakes
    lies in that district's province, is that district's own commune missing from the register
    (merged or renamed before the register's date), not one of the far-away namesakes."""
    if hit.level != "commune":
        return False
    home = _home_key(linker.doc, linker.res, "district")
    province = _home_key(linker.doc, linker.res, "province")
    if not home or not province:
        return False
    return not any(province in {a.key for a in _ancestors(linker.gaz, c.key)} for c in candidates)


def _ancestors(gaz, key: str):
    out = []
    unit = gaz.get(key)
    while unit is not None and unit.parent:
        unit = gaz.get(unit.parent)
        if unit is not None:
            out.append(unit)
    return out

"""Programmes: a programme noun (mô hình, chương trình, dự án ...) with a quoted title or a proper
name (or the work a project builds and its name: "dự án đường ĐT 269"); who runs it (the
organisations before it in the sentence) and where (after "ở"/"tại"). The same name with a place or
period after it ("Dự án X tại 6 huyện") is the same programme."""

from __future__ import annotations

import hashlib
import re

from ..model import Doc, Program, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify
from .patterns import UPPER, alternation

_CACHE: dict[int, re.Pattern] = {}
# A project is often named by the work it builds, in lower case, and then its proper name or number
# ("dự án đường ĐT 269", "dự án hồ chứa nước Bản Mồng"): the name starts at the work.
_WORKS = "|".join(sorted((
    "đường", "đường tránh", "cầu", "kênh", "hồ", "hồ chứa", "hồ chứa nước", "đập", "đê", "kè", "trạm bơm", "nhà máy",
    "nhà máy thủy điện", "thủy điện", "khu đô thị", "khu công nghiệp", "khu dân cư", "khu", "tuyến", "tuyến đường",
    "cảng", "bến", "sân bay", "cao tốc", "quốc lộ", "tỉnh lộ", "bệnh viện", "trường", "chợ", "công viên", "cầu cảng",
), key=len, reverse=True))


def program_pattern(res: Resources) -> re.Pattern:
    pat = _CACHE.get(id(res.lexicon))
    if pat is None:
        forms = {f.lower() for c in res.lexicon.program_types.values() for f in c.forms if len(f.split()) <= 6}
        body = alternation(forms)
        pat = re.compile(
            rf"(?i)(?<![\w])(?P<type>{body})(?P<pilot>\s+thí điểm)?\s*"
            rf"(?:[\"“](?P<quoted>[^\"”\n]{{3,160}})[\"”]|(?P<proper>(?:(?:{_WORKS})\s+)?(?-i:[{UPPER}0-9][^\s,.;:!?()\"“”]*)))"
        )
        _CACHE[id(res.lexicon)] = pat
    return pat


# Words that end a programme's name: the clause goes on after them, or (của) its owner is named.
_END = {"do", "được", "với", "nhằm", "có", "đã", "đang", "sẽ", "là", "thì", "để", "theo", "khi", "nhưng", "mà",
        "vì", "bị", "cần", "phải", "không", "chưa", "vẫn", "đều", "cũng", "này", "đó", "gồm", "thuộc", "nên",
        "lên", "xuống", "ra", "vào", "đạt", "tăng", "giảm", "còn", "rất", "chỉ", "mới", "vừa", "của"}
_NEXT = re.compile(r"[ ]+([^\s,.;:!?()\"“”]+)")
# "mới" ends a name as an adverb, before a verb ("mới được triển khai"), but is its last word as an
# adjective, before punctuation, the end or a word no verb follows the adverb with ("Chương trình
# mục tiêu quốc gia Nông thôn mới đã ...", "... Nông thôn mới.")
_LAST_NEW = re.compile(r"[ ]+(mới)(?=\s*(?:[,.;:!?)\"”]|$|(?:đã|đang|sẽ|là|có|của|tại|ở|và|trên|với)\b))", re.IGNORECASE)
# A number that is an amount, not a name ("Tiểu dự án 664,3 tỷ đồng", "dự án 2 triệu USD")
_AMOUNT = re.compile(r"[.,]\d|\s*(?:tỷ|triệu|nghìn|ngàn|đồng|USD|ha|km|%)(?![\w])", re.IGNORECASE)
# A date after the name begins the clause ("dự án đường ĐT 269 từ năm 2016"); "giai đoạn 1" is the name's.
_WHEN = re.compile(r"(?:(?:từ|đến|trong|vào|cuối|đầu|hết)\s+)?(?:năm|ngày|tháng|quý)\s+\d", re.IGNORECASE)
# "Ban Quản lý dự án ...": a programme noun in a board's name
_BOARD = re.compile(r"(?i)(?:quản lý|ban)\s+$")
# What may follow a programme's name and still be the same programme ("Dự án X tại 6 huyện", "Chương
# trình X giai đoạn 2012 - 2020"): a longer name that is a shorter one and then one of these is that one.
_QUALIFIERS = ("tại", "ở", "trên địa bàn", "giai đoạn", "cho")


def _read_name(norm: str, start: int, end: int, first_end: int, place_ends: set[int]) -> int:
    """Extend a programme name from its first word over lower-case words until the clause goes on
    (a lower-case word after a place in the name goes on the clause: "Dự án Đường tránh thị trấn
    Phú Thái chậm tiến độ")."""
    stop = first_end
    words = 1
    while words < 14:
        m = _NEXT.match(norm, stop, end)
        if not m or m.group(1).lower() in _END or _WHEN.match(norm, m.start(1), end) \
                or (stop in place_ends and m.group(1)[:1].islower()):
            last = _LAST_NEW.match(norm, stop, end)
            if last:
                stop = last.end(1)
            break
        stop = m.end(1)
        words += 1
    return stop


def _merge_qualified(doc: Doc) -> None:
    """One programme for a name and the same name with a place or period after it: labels, runners and
    places of the longer go to the shortest such name still standing (the longest are merged first, so
    "X tại Y giai đoạn 2" goes to "X", not to "X tại Y" that goes there too)."""
    qualifiers = [match_key(q) for q in _QUALIFIERS]
    for prog in sorted(doc.programs, key=lambda p: -len(p.name)):
        name = match_key(prog.name)
        for other in sorted(doc.programs, key=lambda p: len(p.name)):
            other_name = match_key(other.name)
            if other is prog or not name.startswith(other_name + " "):
                continue
            rest = name[len(other_name) + 1:]
            if any(rest == q or rest.startswith(q + " ") for q in qualifiers):
                for label in [prog.name, *prog.alt_labels]:
                    if label not in other.alt_labels and label != other.name:
                        other.alt_labels.append(label)
                other.runners.extend(k for k in prog.runners if k not in other.runners)
                other.places.extend(k for k in prog.places if k not in other.places)
                other.pilot = other.pilot or prog.pilot
                doc.programs.remove(prog)
                break


def _type_slug(res: Resources, form: str) -> str:
    concept = res.lexicon.program_by_key.get(match_key(form))
    return concept.slug if concept else ""


@stage(requires=("orgs", "places"), assigns=("programs",))
def programs(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    seen: dict[str, Program] = {}
    place_ends = {s.end for s, _ in doc.place_mentions}
    for sent in doc.sentences:
        for m in program_pattern(res).finditer(doc.norm or text, sent.start, sent.end):
            if m.group("proper"):
                name_end = _read_name(doc.norm or text, m.start("proper"), sent.end, m.end("proper"), place_ends)
                name = text[m.start("proper"):name_end].strip()
                if len(name.split()) < 2 and not any(ch.isdigit() for ch in name):
                    continue
                if name.isdigit() and _AMOUNT.match(text, name_end):
                    continue  # an amount of money or land, not a programme called by its number
            else:
                name_end = m.end()
                name = m.group("quoted").strip()
            if any(s.start <= m.start("type") < s.end for s, _ in doc.org_mentions) or _BOARD.search(text, max(0, m.start() - 12), m.start()):
                continue  # "Chương trình Phát triển Liên hợp quốc (UNDP)", "Ban Quản lý dự án ...": an organisation's name
            if m.group("proper") and res.gazetteer.lookup(name):
                continue  # "dự án Quỳnh Lưu" names a place, not a programme
            ptype = _type_slug(res, m.group("type"))
            key = slugify(name, 50) + "." + hashlib.sha1(match_key(name).encode()).hexdigest()[:8]
            span_end = max(m.end(), name_end if m.group("proper") else m.end())
            span = Span(m.start(), span_end, text[m.start():span_end])
            prog = seen.get(key)
            if prog is None:
                prog = Program(key=key, name=name, program_type=ptype, span=span,
                               alt_labels=[f"{text[m.start('type'):m.end('type')]} {name}"])
                seen[key] = prog
                doc.programs.append(prog)
            for s, k in doc.org_mentions:
                if sent.start <= s.start and s.end <= m.start() and k not in prog.runners:
                    prog.runners.append(k)
            for s, k in doc.place_mentions:
                if m.end() <= s.start <= sent.end and re.search(r"(?i)\b(?:ở|tại|trên địa bàn)\s+$", text[max(m.end(), s.start - 20):s.start]):
                    if k not in prog.places:
                        prog.places.append(k)
            pilot = bool(m.group("pilot")) or "thí điểm" in text[max(sent.start, m.start() - 40):m.start()]
            prog.pilot = prog.pilot or pilot
    _merge_qualified(doc)

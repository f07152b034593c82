"""Figures: numbers with what they count ("21 lớp tập huấn", "trên 3.000 lượt người", "62%").

A percentage is a share of the count before it in the sentence ("1.100 lao động ..., trong đó
lao động nữ chiếm 62%"). Numbers that are dates, years, times or parts of names are left out.
"""

from __future__ import annotations

import re

from ..model import Doc, Figure, Span
from ..pipeline import Resources, stage
from .spans import SpanIndex

_NUM = re.compile(
    r"(?<![\w./,-])(?P<cmp>(?:trên|hơn|gần|khoảng|dưới|đạt|gần như|xấp xỉ|ít nhất|tối thiểu|tối đa)\s+)?"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?P<pct>\s?%)?(?![\w/.-]\d|[/-]\d)"
)
_SCALE = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_TIME_UNITS = {"tháng", "năm", "ngày", "giờ", "phút", "tuần", "quý", "giây", "h", "lần", "kỳ", "khóa", "đợt"}
_CMP = {"trên": "gt", "hơn": "gt", "đạt": "eq", "gần": "approx", "khoảng": "approx", "gần như": "approx",
        "xấp xỉ": "approx", "dưới": "lt", "ít nhất": "ge", "tối thiểu": "ge", "tối đa": "le"}
# Units of two or three syllables; otherwise the unit is the first word after the number.
_COMPOUND_UNITS = {
    "lượt người", "lao động", "học sinh", "sinh viên", "hộ gia đình", "hộ nghèo", "hộ dân", "người dân",
    "đơn vị", "cán bộ", "hội viên", "đoàn viên", "đảng viên", "tỷ đồng", "triệu đồng", "nghìn đồng", "ngàn đồng",
    "công trình", "doanh nghiệp", "hợp tác xã", "sản phẩm", "trường hợp", "phụ nữ", "trẻ em", "gia đình",
    "học viên", "giáo viên", "bệnh nhân", "lượt khách", "du khách", "suất quà", "phần quà", "xuất quà", "căn nhà",
    "ngôi nhà", "dự án", "mô hình", "chương trình", "km đường", "con đường", "cây số", "héc ta", "mét vuông",
    "tấn hàng", "lớp học", "đại biểu", "thí sinh", "vận động viên", "cựu chiến binh", "nông dân", "công nhân",
}
_WORDS = re.compile(r"[ ]+([^\s,.;:!?()\[\]\"“”]+)")
_STOP = {"và", "với", "của", "cho", "trong", "tại", "ở", "đã", "được", "là", "có", "từ", "đến", "trên", "so", "theo", "chiếm", "gồm"}


def _value(num: str) -> float:
    return float(num.replace(".", "").replace(",", "."))


@stage(requires=("sentences", "dates"), assigns=("figures",))
def figures(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    dates_index = SpanIndex((d.span.start, d.span.end) for d in doc.date_mentions)
    title_end = len(doc.article.title)
    for sent in doc.sentences:
        if sent.start < title_end:
            continue
        last_count: int | None = None
        for m in _NUM.finditer(text, sent.start, sent.end):
            if dates_index.covers(m.start("num"), m.start("num") + 1):
                continue
            value = _value(m.group("num"))
            if 1900 <= value <= 2100 and re.search(r"(?i)năm\s*$", text[max(0, m.start() - 6):m.start()]):
                continue
            pos = m.end()
            words = []
            while len(words) < 8:
                wm = _WORDS.match(text, pos, sent.end)
                if not wm:
                    break
                words.append(wm.group(1))
                pos = wm.end()
            if words and words[0] in _SCALE:
                value *= _SCALE[words.pop(0)]
            if m.group("pct"):
                unit = "%"
                before = text[sent.start:m.start()]
                bm = re.search(r"([^\s,.;:]+(?:\s+[^\s,.;:]+){0,3})\s+(?:chiếm|đạt|là|bằng|tăng|giảm)\s*(?:tỷ lệ\s*)?$", before)
                measure = re.sub(r"^(?:trong\s+)?(?:đó|số đó)\s+", "", bm.group(1)) if bm else ""
                share_of = last_count
            else:
                if not words or words[0].lower() in _TIME_UNITS or not words[0][:1].islower():
                    continue
                unit = words[0]
                for n in (3, 2):
                    if " ".join(words[:n]).lower() in _COMPOUND_UNITS:
                        unit = " ".join(words[:n])
                        break
                measure_words = []
                for w in words:
                    if w in _STOP and measure_words:
                        break
                    measure_words.append(w)
                measure = " ".join(measure_words[:6])
                share_of = None
            cmp = _CMP.get((m.group("cmp") or "").strip(), "eq")
            span = Span(m.start(), m.end(), m.group(0))
            doc.figures.append(Figure(value=value, unit=unit, measure=measure, span=span, comparator=cmp,
                                      share_of=share_of, place=doc.home))
            if unit != "%":
                last_count = len(doc.figures) - 1

"""Dates in the text and the article's reference year.

"Sáng 2/7", "ngày 15-3", "(2/7)", "ngày 2/7/2014", "ngày 5 tháng 2 năm 2017". A date without a year
takes the year of the publication date, else the year the text itself gives (an explicit full date,
else the year it names most often, when one year clearly dominates); otherwise it stays without a
year ("--07-02") and is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Doc, Span
from ..pipeline import Resources, stage

_DAY_MONTH = re.compile(
    r"(?<![\w/.-])(?:(?P<part>[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Nn]gày|[Hh]ôm nay|[Hh]ôm qua|vào)(?: qua| nay| mai)?[ ,(]+(?:ngày[ ]+)?)?"
    r"(?P<d>[0-3]?\d)[/-](?P<m>[01]?\d)(?:[/-](?P<y>(?:19|20)\d\d))?(?![\w/]|[.,]\d)"
)
# "Ngày 6.2" — a dotted day.month only after a word that makes it a date (6.2 is otherwise a number)
_DOTTED = re.compile(
    r"(?<![\w/.-])(?P<part>[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Nn]gày|[Hh]ôm)[ ,]+(?:ngày[ ]+)?"
    r"(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)(?:\.(?P<y>(?:19|20)\d\d))?(?![\w/]|[.,]\d)"
)
_LONG = re.compile(r"ngày[ ]+(?P<d>[0-3]?\d)[ ]+tháng[ ]+(?P<m>[01]?\d)(?:[ ]+năm[ ]+(?P<y>(?:19|20)\d\d))?")
# a year that is not the report's: a target, a period, a birth, a past told as such ("hồi tháng 8/2015")
_TARGET = re.compile(r"(?i)(?:(?:đến|tới|giai đoạn|tầm nhìn|trước|sinh|từ|khóa|nhiệm kỳ|thành lập|cách đây|hồi|phấn đấu|"
                     r"mục tiêu|dự kiến|kế hoạch|chỉ tiêu|sẽ|cùng kỳ|[-–])\s*(?:(?:đầu|cuối|giữa)\s+)?"  # "dự kiến đầu năm 2019"
                     r"|hoàn thành\s+(?:ngay\s+)?(?:trong\s+)?)(?:năm\s*)?$")  # "hoàn thành ngay trong năm 2018"
# a month of a year: recent unless told as past or to come ("từ tháng 3/2017" is; "hồi tháng 8/2015" is not)
_MONTH_NOT_NOW = re.compile(r"(?i)(?:hồi|cùng kỳ|đến|tới|trước|sẽ|dự kiến|kế hoạch|phấn đấu)\s*$")
# a full date that is not of the report's year: a birth, a founding, a past told as such (but
# "(1/7/1822 - 1/7/2017)", an anniversary, ends today, and "trước ngày 20/5/2017" is a deadline in it)
_NOT_NOW = re.compile(r"(?i)(?:sinh|sn|hồi|cùng kỳ|thành lập|cách đây)\s*(?:ngày\s*)?$")
_YEAR = re.compile(r"(?i)(?:năm|/|tháng \d{1,2}[/.-]|(?:xuân|tết) \w+ \w+)[ ]*((?:19|20)\d\d)(?!\d)")


@dataclass
class DateMention:
    span: Span
    day: int
    month: int
    year: int | None  # as written
    marked: bool  # introduced by "ngày", "sáng", ... (surely a date, not a ratio)

    def iso(self, ref_year: int | None) -> str:
        year = self.year or ref_year
        if year:
            return f"{year:04d}-{self.month:02d}-{self.day:02d}"
        return f"--{self.month:02d}-{self.day:02d}"


def find_dates(text: str) -> list[DateMention]:
    out = []
    for rx in (_DAY_MONTH, _DOTTED, _LONG):
        for m in rx.finditer(text):
            d, mo = int(m.group("d")), int(m.group("m"))
            if not (1 <= d <= 31 and 1 <= mo <= 12):
                continue
            y = m.group("y")
            marked = rx is _LONG or bool(m.groupdict().get("part")) or bool(y)
            out.append(DateMention(Span(m.start(), m.end(), m.group(0)), d, mo, int(y) if y else None, marked))
    out.sort(key=lambda x: x.span.start)
    return out


def _not_now(text: str, start: int) -> bool:
    """Is the year mentioned at `start` ("năm 2016", "tháng 8/2015", "/2017") not the report's own?"""
    before, word = text[max(0, start - 24):start], text[start:start + 5].lower()
    if word.startswith("tháng"):
        return bool(_MONTH_NOT_NOW.search(before))
    return bool(_TARGET.search(before + ("năm" if word.startswith("năm") else "")))


def reference_year(doc: Doc, dates: list[DateMention]) -> int | None:
    if doc.article.year:
        return doc.article.year
    # The year the report is written in is the latest it speaks of, leaving out targets, periods,
    # births and pasts told as such ("đến năm 2020", "giai đoạn 2016-2020", "sinh ngày 1/5/1970",
    # "so với cùng kỳ năm 2016"); when the text names no other year, none is guessed.
    text = doc.article.text
    full = [d.year for d in dates if d.year and not _NOT_NOW.search(text[max(0, d.span.start - 14):d.span.start])]
    in_dates = [(d.span.start, d.span.end) for d in dates if d.year]
    years = [int(m.group(1)) for m in _YEAR.finditer(text)
             if not any(a <= m.start(1) < b for a, b in in_dates)  # a full date's year: counted above
             and not _not_now(text, m.start())]
    return max(full + years) if full or years else None


@stage(requires=("sentences",), assigns=("dates",))
def dates(doc: Doc, res: Resources) -> None:
    doc.date_mentions = find_dates(doc.article.text)
    doc.ref_year = reference_year(doc, doc.date_mentions)
    doc.date = doc.article.published[:10] if doc.article.published else ""

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
_TARGET = re.compile(r"(?i)(?:đến|tới|giai đoạn|tầm nhìn|trước|sinh|từ|khóa|nhiệm kỳ|thành lập|cách đây|[-–])\s*(?:năm\s*)?$")
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


def reference_year(doc: Doc, dates: list[DateMention]) -> int | None:
    if doc.article.year:
        return doc.article.year
    full = [d.year for d in dates if d.year]
    # The year the report is written in is the latest it speaks of, leaving out targets and periods
    # ("đến năm 2020", "giai đoạn 2016-2020"); when the text names no year, none is guessed.
    text = doc.article.text
    years = [int(m.group(1)) for m in _YEAR.finditer(text)
             if not _TARGET.search(text[max(0, m.start() - 14):m.start() + (4 if text[m.start():m.start() + 3].lower() == "năm" else 1)])]
    return max(full + years) if full or years else None


@stage(requires=("sentences",), assigns=("dates",))
def dates(doc: Doc, res: Resources) -> None:
    doc.date_mentions = find_dates(doc.article.text)
    doc.ref_year = reference_year(doc, doc.date_mentions)
    doc.date = doc.article.published[:10] if doc.article.published else ""

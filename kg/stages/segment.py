"""Sentences: the title, then each paragraph split at sentence ends.

A full stop ends a sentence only when followed by space and a capital, a digit or an opening quote,
and not after a known abbreviation ("TP.", "TS.", "Th.S") or an initial; "3.000", "2/7", "62%",
"Baonghean.vn" never split. Caption and author lines are kept out.
"""

from __future__ import annotations

import re

from ..model import Doc, Span
from ..pipeline import Resources, stage
from ..text import unify_tones
from .patterns import UPPER

_ABBREV_BEFORE_DOT = {
    "tp", "tx", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "th.s", "st", "mr", "mrs", "ms", "dr", "q", "p",
    "h", "x", "nxb", "tr", "t.ư", "đ/c", "k", "v.v", "vs",
}
_END = re.compile(rf"([.!?…]+)([\"”’»)\]]*)(\s+)(?=[{UPPER}0-9\"“‘«(\[-])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cur = start
    for m in _END.finditer(text, start, end):
        before = text[cur : m.start()]
        last_word = before.split()[-1].lower() if before.split() else ""
        if m.group(1) == "." and (last_word in _ABBREV_BEFORE_DOT or (len(last_word) == 1 and last_word.isalpha())):
            continue
        stop = m.end(2)
        out.append((cur, stop))
        cur = m.end()
    if cur < end:
        out.append((cur, end))
    # trim
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


_WORD_RE = re.compile(r"[^\W\d_]+")


def _title_case_capitals(text: str, res: Resources) -> str:
    """Lines written in capitals ("QUỲNH LƯU: GẶP MẶT BAN VSTBPN TỈNH XIÊNG KHOẢNG") are read in
    title case, abbreviations kept, so that the name patterns see them as names. Same length."""
    out = []
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        if len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
            line = _WORD_RE.sub(lambda m: m.group(0) if m.group(0) in res.lexicon.expansions
                                else m.group(0)[:1] + m.group(0)[1:].lower(), line)
        out.append(line)
    joined = "\n".join(out)
    return joined if len(joined) == len(text) else text


@stage(requires=("article",), assigns=("sentences", "norm"))
def segment(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    # "Uỷ ban" and "Ủy ban" must match the same dictionary entry; moving a tone mark within a
    # syllable keeps the NFC length, so offsets found in `norm` hold for `text`.
    norm = _title_case_capitals(unify_tones(text), res)
    doc.norm = norm if len(norm) == len(text) else text
    title_end = len(doc.article.title)
    skip = doc.article.captions
    sentences = [Span(0, title_end, text[:title_end])]
    pos = title_end
    for line in text[title_end:].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip() or any(s <= a and b <= e for s, e in skip):
            continue
        for s, e in split_sentences(text, a, b):
            sentences.append(Span(s, e, text[s:e]))
    doc.sentences = sentences

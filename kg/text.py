"""Vietnamese text helpers: NFC, one tone-mark placement, unaccented forms, slugs, match keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_MARKED = set("ăâêôơư")  # vowels whose shape (not tone) is marked
_VOWELS = set("aăâeêioôơuưy")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _split_tone(syllable: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = "".join(c for c in decomposed if c in TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    return base, tone[:1]


def _tone_position(base: str) -> int | None:
    """Index in `base` that carries the tone, by the classic rule (hòa, thủy, Thanh Hóa)."""
    low = base.lower()
    start = 0
    if low.startswith("qu") or (low.startswith("gi") and len(low) > 2 and low[2] in _VOWELS):
        start = 2
    idx = [i for i in range(start, len(low)) if low[i] in _VOWELS]
    if not idx:
        idx = [i for i in range(len(low)) if low[i] in _VOWELS]
        if not idx:
            return None
    # only the first contiguous run of vowels is the nucleus
    run = [idx[0]]
    for i in idx[1:]:
        if i == run[-1] + 1:
            run.append(i)
    marked = [i for i in run if low[i] in _MARKED]
    if marked:
        return marked[-1]
    if len(run) == 1:
        return run[0]
    if run[-1] < len(low) - 1:  # closed syllable: tone on the last vowel (hoàng, tuần)
        return run[-1]
    if len(run) == 3:
        return run[1]
    return run[0]


@lru_cache(maxsize=200_000)
def _unify_word(word: str) -> str:
    base, tone = _split_tone(word)
    if not tone:
        return word
    pos = _tone_position(base)
    if pos is None:
        return word
    return unicodedata.normalize("NFC", base[: pos + 1] + tone + base[pos + 1 :])


def unify_tones(text: str) -> str:
    """Place every tone mark the same way, so that "Thanh Hoá" and "Thanh Hóa" compare equal."""
    text = nfc(text)
    if text.isascii():
        return text
    return _WORD.sub(lambda m: _unify_word(m.group(0)), text)


def unaccent(text: str) -> str:
    """Diacritic-free form: "Quỳnh Lưu" -> "Quynh Luu" (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


@lru_cache(maxsize=200_000)
def match_key(text: str) -> str:
    """A key for comparing names: NFC, unified tones, case-folded, punctuation dropped, spaces folded."""
    text = unify_tones(text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=200_000)
def loose_key(text: str) -> str:
    """Like match_key but without diacritics: for search and fuzzy lookups."""
    return unaccent(match_key(text))


def slugify(text: str, max_len: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", unaccent(nfc(text)).lower()).strip("-")
    return slug[:max_len].rstrip("-") or "x"

"""Vietnamese words of more than one syllable, from underthesea's word-segmentation dictionary.

A name in capitals capitalises the first syllable of each word only ("Nhà hát Chèo Quân đội", "Công
ty CP Dịch vụ hàng không"), so a lower-case syllable after a capitalised one may still be the name's:
the second half of its word. underthesea (a dependency) ships the 72,000 words its segmenter knows;
they are read from its package once, on first use. Without them (another underthesea version) no
syllable is taken for a second half, as before.
"""

from __future__ import annotations

import pickle
from functools import lru_cache
from importlib import resources

from .text import unify_tones

_DICTIONARIES = "pipeline/word_tokenize/models"


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    try:
        models = resources.files("underthesea").joinpath(_DICTIONARIES)
        for model in sorted(models.iterdir(), key=lambda p: p.name, reverse=True):
            dictionary = model.joinpath("dictionary.bin")
            if dictionary.is_file():
                words = pickle.loads(dictionary.read_bytes())  # a set of str, from the installed package
                return frozenset(unify_tones(w.lower()) for w in words if isinstance(w, str) and " " in w)
    except (ModuleNotFoundError, OSError, pickle.UnpicklingError, EOFError):
        pass
    return frozenset()


def is_word(*syllables: str) -> bool:
    return unify_tones(" ".join(syllables).lower()) in _words()


def second_half(before: str, syllable: str, after: str | None) -> bool:
    """Is `syllable` the second half of a word begun by `before` ("Quân" + "đội"), rather than the
    first half of one with `after` ("Hòa Phát" + "triển khai": "triển khai" is the word)?"""
    return is_word(before, syllable) and not (after and is_word(syllable, after))

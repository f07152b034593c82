"""Vietnamese words of more than one syllable, from underthesea's word-segmentation dictionary.

A name in capitals capitalises the first syllable of each word only ("Nhà hát Chèo Quân đội", "Công
ty CP Dịch vụ hàng không"), so a lower-case syllable after a capitalised one may still be the name's:
the second half of its word. underthesea (a dependency) ships the 72,000 words its segmenter knows;
they are read from its package once, on first use. Without them (another underthesea version) no
syllable is taken for a second half, as before.
"""

from __future__ import annotations

import importlib.util
import pickle
from functools import lru_cache
from pathlib import Path

from .text import unify_tones

_DICTIONARIES = "pipeline/word_tokenize/models"


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    # found, not imported: importing underthesea loads 65 modules and 67 MB for a file of words
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    models = Path(list(spec.submodule_search_locations)[0]) / _DICTIONARIES
    try:
        for dictionary in sorted(models.glob("*/dictionary.bin"), reverse=True):
            words = pickle.loads(dictionary.read_bytes())  # a set of str, from the installed package
            return frozenset(unify_tones(w.lower()) for w in words if isinstance(w, str) and " " in w)
    except (OSError, pickle.UnpicklingError, EOFError):
        pass
    return frozenset()


def is_word(*syllables: str) -> bool:
    return unify_tones(" ".join(syllables).lower()) in _words()


def second_half(before: str, syllable: str, after: str | None) -> bool:
    """Is `syllable` the second half of a word begun by `before` ("Quân" + "đội"), rather than the
    first half of one with `after` ("Hòa Phát" + "triển khai": "triển khai" is the word)?"""
    return is_word(before, syllable) and not (after and is_word(syllable, after))

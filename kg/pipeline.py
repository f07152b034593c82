"""The extraction pipeline: an ordered list of stages over one `Doc`.

A stage is a function `(doc, res) -> None` registered with `@stage(requires=..., assigns=...)`
(the shape of spaCy's `@Language.component`). It reads what earlier stages assigned and adds
its own; no stage writes RDF. `run` checks that every stage's requirements are met before it.
"""

from __future__ import annotations

import functools
import gc
import importlib
from dataclasses import dataclass
from typing import Callable

from .lexicon import Lexicon, load_lexicon
from .model import Article, Doc
from .reader import article_key


@dataclass
class Resources:
    """What stages look things up in: loaded once per process."""

    lexicon: Lexicon
    gazetteer: object  # kg.gazetteer.Gazetteer
    # underthesea's ner() on one sentence, when asked for (`vnkg build --ner`): a second opinion on
    # names the rules found with weak evidence (kg.stages.people); ~10x the whole path's time per
    # sentence it reads, so off by default (bench/ner_signal.py measures it on the gold)
    ner: Callable[[str], list] | None = None

    @classmethod
    def load(cls, ner: bool = False) -> "Resources":
        from .gazetteer import get_gazetteer

        res = cls(lexicon=load_lexicon(), gazetteer=get_gazetteer(), ner=_underthesea_ner() if ner else None)
        _freeze_once()
        return res


def _underthesea_ner() -> Callable[[str], list]:
    from underthesea import ner

    return ner


@functools.cache
def _freeze_once() -> None:
    """The lexicon, the gazetteer index and the modules loaded so far (~190k Python objects) live
    as long as the process: moved once out of the cyclic collector's reach, so that its full
    collections stop walking them every few articles (~10% of a build's time, bench/README.md)."""
    gc.freeze()


@dataclass
class Stage:
    name: str
    fn: Callable[[Doc, Resources], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: list[Stage] = []


def stage(requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()):
    def register(fn):
        STAGES.append(Stage(fn.__name__, fn, tuple(requires), tuple(assigns)))
        return fn

    return register


# Importing a stage module registers its stages; this order is the pipeline's order, whatever
# order the modules happen to be imported in (a test may import one of them first).
STAGE_MODULES = ("segment", "dates", "names", "orgs", "people", "events", "programs", "figures")


@functools.cache
def _load_stages() -> tuple[Stage, ...]:
    for name in STAGE_MODULES:
        importlib.import_module(f"{__package__}.stages.{name}")
    rank = {name: i for i, name in enumerate(STAGE_MODULES)}
    return tuple(sorted(STAGES, key=lambda st: rank.get(st.fn.__module__.rsplit(".", 1)[-1], len(rank))))


def extract(article: Article, res: Resources) -> Doc:
    doc = Doc(article=article, key=article_key(article))
    have: set[str] = {"article"}
    for st in _load_stages():
        missing = set(st.requires) - have
        if missing:
            raise RuntimeError(f"stage {st.name} needs {sorted(missing)}, which no earlier stage assigns")
        st.fn(doc, res)
        have.update(st.assigns)
    return doc

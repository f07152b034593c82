"""The extraction pipeline: an ordered list of stages over one `Doc`.

A stage is a function `(doc, res) -> None` registered with `@stage(requires=..., assigns=...)`
(the shape of spaCy's `@Language.component`). It reads what earlier stages assigned and adds
its own; no stage writes RDF. `run` checks that every stage's requirements are met before it.
"""

from __future__ import annotations

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

    @classmethod
    def load(cls) -> "Resources":
        from .gazetteer import get_gazetteer

        return cls(lexicon=load_lexicon(), gazetteer=get_gazetteer())


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


def _load_stages() -> list[Stage]:
    # Importing the modules registers their stages in pipeline order.
    from .stages import segment  # noqa: F401  (the order of these imports is the pipeline order)
    from .stages import dates  # noqa: F401
    from .stages import names  # noqa: F401
    from .stages import orgs  # noqa: F401
    from .stages import people  # noqa: F401
    from .stages import events  # noqa: F401
    from .stages import programs  # noqa: F401
    from .stages import figures  # noqa: F401

    return STAGES


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

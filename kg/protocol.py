"""The SPARQL 1.1 Protocol's dataset for updates: `using-graph-uri` / `using-named-graph-uri`.

pyoxigraph's `Store.update` takes no dataset, so the protocol's graphs are written into the update
itself: each operation with a WHERE clause gets `USING <g>` / `USING NAMED <g>` before its WHERE,
which is what the protocol says they mean (SPARQL 1.1 Protocol §2.2.3: the graphs apply to every
operation that has a WHERE clause). `DELETE WHERE { P }` is the short form of
`DELETE { P } WHERE { P }` and is written out so that it can take USING clauses too.

An update that has a WITH, USING or USING NAMED clause of its own may not be combined with these
parameters (the protocol requires a 400); `DatasetConflict` says so.

The text is read with the lexer of kg.safety, so keywords inside strings, IRIs and comments and
WHERE clauses of sub-queries (inside braces) are left alone.
"""

from __future__ import annotations

import pyoxigraph as ox

from .safety import lex

__all__ = ["DatasetConflict", "update_with_dataset"]


class DatasetConflict(ValueError):
    """The update names its own dataset and the request names one too, or a graph IRI is invalid."""


def _iri(value: str) -> str:
    try:
        return str(ox.NamedNode(value))
    except ValueError as exc:
        raise DatasetConflict(f"invalid graph IRI {value!r}: {exc}") from None


def update_with_dataset(update: str, using: list[str] | None, using_named: list[str] | None) -> str:
    """`update` with `USING` / `USING NAMED` clauses for the given graphs before each WHERE."""
    using, using_named = list(using or []), list(using_named or [])
    if not using and not using_named:
        return update
    clause = " ".join([f"USING {_iri(g)}" for g in using] + [f"USING NAMED {_iri(g)}" for g in using_named]) + " "
    tokens = list(lex(update))
    edits: list[tuple[int, int, str]] = []
    depth = 0
    previous = ""
    for i, (kind, tok, start, end) in enumerate(tokens):
        if kind == "other" and tok == "{":
            depth += 1
        elif kind == "other" and tok == "}":
            depth -= 1
        elif kind == "word" and depth == 0:
            word = tok.upper()
            if word in ("WITH", "USING"):
                raise DatasetConflict(
                    f"the update has a {word} clause and the request names graphs with using-graph-uri / "
                    "using-named-graph-uri; use one or the other (SPARQL 1.1 Protocol §2.2.3)"
                )
            if word == "WHERE":
                if previous == "DELETE":  # DELETE WHERE { P }  ->  DELETE { P } USING ... WHERE { P }
                    pattern = _group(update, tokens, i + 1)
                    if pattern is not None:
                        edits.append((start, start, f"{pattern} {clause}"))
                else:
                    edits.append((start, start, clause))
        previous = tok.upper() if kind == "word" else tok
    for start, end, text in reversed(edits):
        update = update[:start] + text + update[end:]
    return update


def _group(text: str, tokens: list, i: int) -> str | None:
    """The text of the `{ ... }` group that starts at token `i` (None if there is none)."""
    if i >= len(tokens) or tokens[i][1] != "{":
        return None
    depth = 0
    for kind, tok, _, end in tokens[i:]:
        if kind == "other" and tok == "{":
            depth += 1
        elif kind == "other" and tok == "}":
            depth -= 1
            if depth == 0:
                return text[tokens[i][2] : end]
    return None

"""Export the store: the whole dataset or one named graph, in any RDF syntax pyoxigraph writes.

`dump()` writes to a binary file-like object as pyoxigraph serialises, so the output is never held
in memory. TriG and N-Quads keep the named graphs. The triple syntaxes (Turtle, N-Triples, JSON-LD,
RDF/XML) get the union of all graphs — the default graph and every named graph, each triple once —
so that a whole-store Turtle export can be read on its own; with `graph`, only that graph's triples.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from .vocab import PREFIXES

# name -> (pyoxigraph format, media type, file extension)
FORMATS: dict[str, tuple[ox.RdfFormat, str, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml", "rdf"),
}
DATASET_FORMATS = {"trig", "nquads"}

_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


def check(store: ox.Store, fmt: str, graph: str | None = None) -> ox.NamedNode | None:
    """Validate the arguments of `dump`; ValueError with a message naming the problem."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    node = None
    if graph is not None:
        try:
            node = ox.NamedNode(graph)
        except ValueError as exc:
            raise ValueError(f"invalid graph IRI {graph!r}: {exc}") from None
        if not store.contains_named_graph(node):
            raise ValueError(f"no graph <{graph}> in the store")
    if fmt == "jsonld" and has_triple_terms(store, node):
        # found before the first byte is sent: pyoxigraph would stop the dump halfway
        raise ValueError("the data holds RDF 1.2 triple terms, which JSON-LD cannot write; export it as Turtle, TriG, N-Triples or N-Quads")
    return node


def has_triple_terms(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> bool:
    """Does the graph (None: any graph) hold an RDF 1.2 triple term, which JSON-LD cannot write?"""
    pattern = "?s ?p ?o FILTER(isTRIPLE(?o))"
    if isinstance(graph, ox.NamedNode):
        return bool(store.query(f"ASK {{ GRAPH {graph} {{ {pattern} }} }}"))
    return bool(store.query(f"ASK {{ {pattern} }}", use_default_graph_as_union=graph is None))


def dump(store: ox.Store, out: BinaryIO, fmt: str, graph: str | None = None) -> None:
    """Write the store (or the named graph `graph`) to `out` in `fmt`.

    fmt is one of turtle, trig, nquads, ntriples, jsonld, rdfxml. Raises ValueError for an unknown
    format or a graph that is not in the store.
    """
    node = check(store, fmt, graph)
    rdf_format = FORMATS[fmt][0]
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml", "jsonld") else None
    if node is not None:
        if fmt in DATASET_FORMATS:
            ox.serialize(store.quads_for_pattern(None, None, None, node), out, rdf_format, prefixes=prefixes)
        else:
            store.dump(out, rdf_format, from_graph=node, prefixes=prefixes)
    elif fmt in DATASET_FORMATS:
        store.dump(out, rdf_format, prefixes=prefixes)
    else:
        # DISTINCT: a triple stated in several graphs is written once.
        triples = store.query(_UNION, use_default_graph_as_union=True)
        ox.serialize(triples, out, rdf_format, prefixes=prefixes)

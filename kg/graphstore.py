"""The operations of the SPARQL 1.1 Graph Store HTTP Protocol on a pyoxigraph Store, without HTTP.

A graph is `ox.DefaultGraph()` (the store's own default graph: it always exists) or an
`ox.NamedNode` (it exists once created, even when empty). Every write is one SPARQL Update, and
so one transaction: a PUT drops and refills its graph together, and a body that does not parse is
rejected before anything is written (`parse` reads it whole first).

- `parse(data, media_type, base_iri)` -> quads, or `BadContent` / `UnsupportedFormat`
- `exists(store, graph)`
- `put(store, graph, triples)` replace; `post(store, graph, triples)` merge; both create the graph
  and return whether it is new
- `delete(store, graph)` drop a named graph / clear the default graph; False if there was none
- `put_dataset(store, quads)` replace the whole store; `post_dataset(store, quads)` add quads
"""

from __future__ import annotations

import array
import itertools
import re
from xml.parsers import expat
from collections import defaultdict
from typing import Iterable

import pyoxigraph as ox

Graph = ox.NamedNode | ox.DefaultGraph

__all__ = ["BadContent", "UnsupportedFormat", "parse", "exists", "put", "post", "delete", "put_dataset", "post_dataset"]


class BadContent(ValueError):
    """The body does not parse in its format, or names graphs where only triples are allowed."""


class UnsupportedFormat(ValueError):
    """The body's media type is not an RDF syntax pyoxigraph reads."""


def rdf_format(media_type: str | None) -> ox.RdfFormat:
    """The RDF syntax of a Content-Type value (parameters other than charset=utf-8 are ignored)."""
    mime, _, params = (media_type or "").partition(";")
    mime = mime.strip().lower()
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise UnsupportedFormat(f"RDF is read as UTF-8; the body is declared as charset={value.strip()}")
    if not mime:
        raise UnsupportedFormat("the body has no Content-Type; give the RDF syntax (text/turtle, application/n-triples, ...)")
    fmt = ox.RdfFormat.from_media_type(mime)
    if fmt is None:
        raise UnsupportedFormat(
            f"unsupported Content-Type {mime!r}: send text/turtle, application/n-triples, application/rdf+xml, "
            "application/ld+json, application/n-quads, application/trig or text/n3"
        )
    return fmt


# Objects and arrays a JSON-LD body may nest. pyoxigraph's JSON-LD parser recurses once per level
# and overflows the thread's stack (a segmentation fault that ends the process) at 2,000–4,000
# levels; documents nest a few dozen at most.
MAX_JSON_NESTING = 500
# Triple terms inside triple terms (RDF 1.2), and XML elements in RDF/XML: the same parsers recurse
# (the update that stores triple terms), or slow down with the depth (RDF/XML: 100,000 levels took
# a minute).
MAX_TRIPLE_TERM_NESTING = 200
MAX_XML_NESTING = 500
# a string, or one never closed (to the end: the body is not JSON then; matching it whole keeps
# the scan linear, where a failed match from every later quote made it quadratic)
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)', re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")  # +1 / -1 as signed bytes


def json_nesting(data: bytes) -> int:
    """How deep the objects and arrays of a JSON text nest (brackets in strings do not count)."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(itertools.accumulate(array.array("b", brackets.translate(_STEPS))), default=0)


class _TooDeep(Exception):
    pass


def xml_nesting(data: bytes, stop_past: int = MAX_XML_NESTING) -> int:
    """How deep the elements of an XML text nest, read with expat (C: linear, no recursion); the
    reading stops once past `stop_past`. A text expat cannot read counts what came before."""
    parser = expat.ParserCreate()
    depth = deepest = 0

    def start(name, attrs):
        nonlocal depth, deepest
        depth += 1
        deepest = max(deepest, depth)
        if depth > stop_past:
            raise _TooDeep

    def end(name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except (_TooDeep, expat.ExpatError):
        pass  # too deep: said by the caller; not XML: pyoxigraph's parser says where
    return deepest


def parse(data: bytes, media_type: str | None, base_iri: str | None = None, *, name: str = "the body") -> list[ox.Quad]:
    """All quads of `data`, read whole; BadContent names the syntax and the error's position."""
    fmt = rdf_format(media_type)
    if fmt == ox.RdfFormat.JSON_LD and (depth := json_nesting(data)) > MAX_JSON_NESTING:
        raise BadContent(f"{name} nests JSON objects and arrays {depth} deep; at most {MAX_JSON_NESTING} are allowed")
    if fmt == ox.RdfFormat.RDF_XML and xml_nesting(data) > MAX_XML_NESTING:
        raise BadContent(f"{name} nests XML elements more than {MAX_XML_NESTING} deep")
    try:
        return list(ox.parse(data, fmt, base_iri=base_iri))
    except SyntaxError as exc:
        raise BadContent(f"{name} is not valid {fmt.name}: {exc}") from None
    except (ValueError, OSError) as exc:
        raise BadContent(f"{name} could not be read as {fmt.name}: {exc}") from None
    except MemoryError as exc:  # pyoxigraph's parsers hold one token in a buffer of at most 16 MB
        raise BadContent(f"{name} could not be read as {fmt.name}: {exc} (a single term that long is not read)") from None


def triples_only(quads: Iterable[ox.Quad], *, name: str = "the body") -> list[ox.Quad]:
    """The quads, which must all be in the document's default graph (a graph's content is triples)."""
    quads = list(quads)
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise BadContent(
                f"{name} names the graph {quad.graph_name}; the content of one graph is triples "
                "(to load a dataset, send it to the store itself, without ?graph)"
            )
    return quads


def exists(store: ox.Store, graph: Graph) -> bool:
    return isinstance(graph, ox.DefaultGraph) or store.contains_named_graph(graph)


def _term(term) -> str:
    """A term as SPARQL writes it (a triple term is `<<( s p o )>>`; str() leaves out the outer)."""
    if isinstance(term, ox.Triple):
        depth, inner = 1, term.object
        while isinstance(inner, ox.Triple):  # triple terms nest in the object only
            depth, inner = depth + 1, inner.object
        if depth > MAX_TRIPLE_TERM_NESTING:
            raise BadContent(f"a triple term nests {depth} deep; at most {MAX_TRIPLE_TERM_NESTING} are stored")
        return f"<<( {term} )>>"
    return str(term)


def _data(quads: Iterable[ox.Quad], into: Graph | None) -> str:
    """`INSERT DATA { ... }` for quads (into `into`, or each into its own graph when None)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for q in quads:
        graph = into if into is not None else q.graph_name
        if isinstance(graph, ox.BlankNode):
            raise BadContent(f"the graph {graph} is named by a blank node; name graphs with IRIs to store them")
        key = "" if isinstance(graph, ox.DefaultGraph) else str(graph)
        groups[key].append(f"{q.subject} {q.predicate} {_term(q.object)} .")
    if not groups:
        return ""
    body = []
    for graph, lines in groups.items():
        text = "\n".join(lines)
        body.append(f"GRAPH {graph} {{\n{text}\n}}" if graph else text)
    return "INSERT DATA {\n" + "\n".join(body) + "\n}"


def _run(store: ox.Store, operations: list[str]) -> None:
    store.update(" ;\n".join(op for op in operations if op))


def put(store: ox.Store, graph: Graph, quads: Iterable[ox.Quad]) -> bool:
    """Replace the graph's content by `quads` (their own graph names are ignored); True if new."""
    new = not exists(store, graph)
    if isinstance(graph, ox.DefaultGraph):
        ops = ["CLEAR SILENT DEFAULT"]
    else:
        ops = [f"DROP SILENT GRAPH {graph}", f"CREATE SILENT GRAPH {graph}"]
    _run(store, ops + [_data(quads, graph)])
    return new


def post(store: ox.Store, graph: Graph, quads: Iterable[ox.Quad]) -> bool:
    """Add `quads` to the graph (creating it); True if the graph is new."""
    new = not exists(store, graph)
    ops = [] if isinstance(graph, ox.DefaultGraph) else [f"CREATE SILENT GRAPH {graph}"]
    _run(store, ops + [_data(quads, graph)])
    return new


def delete(store: ox.Store, graph: Graph) -> bool:
    """Drop a named graph or empty the default graph; False if the named graph did not exist."""
    if isinstance(graph, ox.DefaultGraph):
        _run(store, ["CLEAR SILENT DEFAULT"])
        return True
    if not store.contains_named_graph(graph):
        return False
    _run(store, [f"DROP SILENT GRAPH {graph}"])
    return True


def put_dataset(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Replace the whole store by `quads`, in one transaction."""
    _run(store, ["DROP SILENT ALL", _data(quads, None)])


def post_dataset(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add `quads` to the store, each into its own graph."""
    quads = list(quads)
    if quads:
        _run(store, [_data(quads, None)])

"""SHACL validation of article graphs against ontology/shapes.ttl, with pySHACL.

    report = validate_graph(quads)          # pyoxigraph Quads/Triples, an rdflib Graph,
    if not report.conforms:                 # or a pyoxigraph Store with graph=...
        print(report)

Fast enough to run on every article of a build (a few tens of ms for a graph of ~700 triples):

- the shapes are parsed and harvested once per process, not on every call;
- pySHACL's core constraints look triples up in an rdflib Graph, but its SHACL-SPARQL
  constraints run on a pyoxigraph Store holding the same triples. rdflib parses a query in
  ~30 ms (pySHACL hands it the text for every focus node) and evaluates filters slowly;
  Oxigraph does both in well under a millisecond. The offsets of the text spans are checked
  by such queries.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from pyshacl.graph_abstraction import RdfLibDataGraph, to_ox, to_rdf
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result

from .config import ONTOLOGY_DIR

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SHAPES_FILE = "shapes.ttl"
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


class Violation(NamedTuple):
    """One validation result: the node at fault, the property (if any), what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        where = self.focus + (f" {self.path}" if self.path else "")
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.conforms

    def __str__(self) -> str:
        if not self.violations:
            return "Conforms." if self.conforms else "Does not conform."
        head = "Conforms" if self.conforms else "Does not conform"
        return "\n".join([f"{head}: {len(self.violations)} result(s)"] + [f"  {v}" for v in self.violations])


# --- input ----------------------------------------------------------------------------------------


class _QuietIllTyped(logging.Filter):
    """rdflib logs a traceback for every ill-typed literal it builds ("2014-13-45"^^xsd:date);
    the validation report already names such a literal, so the traceback is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


_rdflib_term_logger = logging.getLogger("rdflib.term")
if not any(isinstance(f, _QuietIllTyped) for f in _rdflib_term_logger.filters):
    _rdflib_term_logger.addFilter(_QuietIllTyped())


def _rdflib_term(t) -> rdflib.term.Node:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"cannot validate RDF term {t!r} (RDF-star triples are not supported)")


def _both(data, graph) -> tuple[rdflib.Graph, ox.Store]:
    """The triples of `data` as an rdflib Graph and as an in-memory pyoxigraph Store (default
    graph); graph names of quads are dropped: all of `data` is validated together."""
    store = ox.Store()
    if isinstance(data, rdflib.Graph):
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data)
        return data, store
    if isinstance(data, ox.Store):
        if graph is None:
            raise ValueError("validate a Store by naming the graph: validate_graph(store, graph=...)")
        data = data.quads_for_pattern(None, None, None, graph)
    g = rdflib.Graph()
    add = g.add
    quads = []
    for q in data:
        quads.append(ox.Quad(q.subject, q.predicate, q.object))
        add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    store.extend(quads)
    return g, store


class _ArticleGraph(RdfLibDataGraph):
    """pySHACL's data graph: rdflib for triple lookups, Oxigraph (`self.ox`) for SPARQL."""

    ox: ox.Store

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs) -> Result:  # noqa: N803
        if not isinstance(query_object, str):
            return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)
        subs = {ox.Variable(str(k)): to_ox(v) for k, v in (initBindings or {}).items()}
        prefixes = {str(k): str(v) for k, v in (initNs or {}).items()} or None
        answer = self.ox.query(query_object, prefixes=prefixes, substitutions=subs or None)
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
        elif isinstance(answer, ox.QuerySolutions):
            out = Result("SELECT")
            out.vars = [rdflib.Variable(v.value) for v in answer.variables]
            out.bindings = [{v: to_rdf(val) for v, val in zip(out.vars, row) if val is not None} for row in answer]
        else:
            out = Result("CONSTRUCT")
            out.graph = rdflib.Graph()
            for t in answer:
                out.graph.add((to_rdf(t.subject), to_rdf(t.predicate), to_rdf(t.object)))
        return out


# --- shapes ---------------------------------------------------------------------------------------

_lock = threading.Lock()
_shapes_cache: dict[Path, ShapesGraph] = {}


def shapes_path(ontology_dir: Path | str | None = None) -> Path:
    return Path(ontology_dir or ONTOLOGY_DIR) / SHAPES_FILE


def _shapes_graph(path: Path) -> ShapesGraph:
    """pySHACL's ShapesGraph for `path`, parsed and harvested once per process."""
    path = path.resolve()
    with _lock:
        sg = _shapes_cache.get(path)
        if sg is None:
            g = rdflib.Graph()
            g.parse(path, format="turtle")
            sg = ShapesGraph(g, False, logging.getLogger("pyshacl"))
            sg.shapes  # harvest now, not during the first validation  # noqa: B018
            _shapes_cache[path] = sg
        return sg


# --- validation -----------------------------------------------------------------------------------


def validate_graph(data, *, graph: ox.NamedNode | ox.DefaultGraph | None = None,
                   shapes: Path | str | None = None) -> Report:
    """Validate one article graph against the SHACL shapes.

    `data`: an iterable of pyoxigraph Quads or Triples (e.g. what emit produced), an rdflib
    Graph, or a pyoxigraph Store together with `graph=`, the named graph to check.
    `shapes`: a shapes file other than ontology/shapes.ttl.
    """
    g, store = _both(data, graph)
    data_graph = _ArticleGraph(g.store, g)
    data_graph.ox = store
    sg = _shapes_graph(Path(shapes) if shapes else shapes_path())
    validator = Validator(
        data_graph,
        shacl_graph=sg.graph,
        options={"inference": "none", "inplace": True, "advanced": False, "logger": sg.logger},
    )
    # Validator() wraps shacl_graph in a new ShapesGraph that would harvest the shapes again on
    # every call; the cached one is equivalent (same graph) and already harvested.
    validator.shacl_graph = sg
    conforms, report_graph, _text = validator.run()
    return Report(bool(conforms), _violations(report_graph))


def _violations(report: rdflib.Graph) -> list[Violation]:
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        severity = _SEVERITY.get(report.value(result, SH.resultSeverity), "Violation")
        message = "; ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage)))
        if not message:
            component = report.value(result, SH.sourceConstraintComponent)
            message = f"fails {component.n3() if component is not None else 'a constraint'}"
        if value is not None and value != focus and str(value) not in message:
            message += f" (value: {_show(value)})"
        out.append(Violation(_show(focus), _show(path) if path is not None else None, message, severity))
    out.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return out


def _show(node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else node.n3()


# --- the ontology ---------------------------------------------------------------------------------


def load_ontology_graph(ontology_dir: Path | str | None = None) -> rdflib.Graph:
    """Every triple of the ontology's Turtle files (ontology/*.ttl except the shapes) as one
    rdflib Graph, e.g. to inspect the vocabulary or to mix it into a data graph."""
    g = rdflib.Graph()
    for path in sorted(Path(ontology_dir or ONTOLOGY_DIR).glob("*.ttl")):
        if path.name != SHAPES_FILE:
            g.parse(path, format="turtle")
    return g

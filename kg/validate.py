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
  by such queries;
- most graphs conform, and for those pySHACL's report is empty: a small checker of the SHACL
  subset the shapes use (`_FastShapes`: targets, node kind, cardinality, datatype, class,
  pattern, and/or/not/node, property shapes with predicate paths, SPARQL constraints run on
  Oxigraph) decides conformance in a few ms straight from the quads. Only when it finds a
  problem — or meets a feature it does not know, or the data states rdfs:subClassOf — does
  pySHACL run and write the report, so what is reported is always pySHACL's.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from pyshacl.graph_abstraction import RdfLibDataGraph, to_ox, to_rdf
from pyshacl.shapes_graph import ShapesGraph
from pyshacl.validator import Validator
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
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
    shapes_file = Path(shapes) if shapes else shapes_path()
    if not isinstance(data, rdflib.Graph):
        if isinstance(data, ox.Store):
            if graph is None:
                raise ValueError("validate a Store by naming the graph: validate_graph(store, graph=...)")
            data = data.quads_for_pattern(None, None, None, graph)
            graph = None
        data = list(data)
        fast = _fast_shapes(shapes_file)
        if fast is not None:
            try:
                if fast.conforms(data):
                    return Report(True, [])
            except Exception:  # noqa: BLE001  pySHACL below decides, and reports what is wrong
                pass
    g, store = _both(data, graph)
    data_graph = _ArticleGraph(g.store, g)
    data_graph.ox = store
    sg = _shapes_graph(shapes_file)
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


# --- the fast path ---------------------------------------------------------------------------------
#
# Deciding that a graph conforms needs no report, and most graphs conform. `_FastShapes` reads the
# shapes graph once into plain Python checks and runs them on an index of the quads; it knows only
# the SHACL features listed in _FAST_PARAMETERS and answers "conforms" only when every check holds.
# Anything else (a feature it does not know, rdfs:subClassOf in the data, RDF-star terms, an error)
# hands the graph to pySHACL, which decides and writes the report.


class _Unsupported(Exception):
    """A feature of the shapes or the data that the fast checker leaves to pySHACL."""


_RDF_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))
_XSD_STRING = ox.NamedNode(str(XSD.string))
_LANG_STRING = ox.NamedNode(str(RDF.langString))
_THIS = ox.Variable("this")
_NODE_KINDS = {
    SH.IRI: (ox.NamedNode,),
    SH.Literal: (ox.Literal,),
    SH.BlankNode: (ox.BlankNode,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
    SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_FAST_PARAMETERS = {SH.nodeKind, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.pattern, SH.flags,
                    SH["or"], SH["and"], SH["not"], SH.node, SH.property, SH.sparql, SH.path}
# Read by pySHACL as constraints (see pyshacl.constraints.ALL_CONSTRAINT_PARAMETERS) or as switches.
_PYSHACL_PARAMETERS = {SH[n] for n in (
    "and class closed datatype disjoint equals hasValue ignoredProperties in languageIn lessThan "
    "lessThanOrEquals maxCount maxExclusive maxInclusive maxLength minCount minExclusive minInclusive "
    "minLength node nodeKind not or pattern property qualifiedMaxCount qualifiedMinCount "
    "qualifiedValueShape qualifiedValueShapesDisjoint sparql uniqueLang xone deactivated target rule "
    "js expression flags path").split()}
_SPARQL_LEFT_TO_PYSHACL = re.compile(
    r"[$?](?:PATH|shapesGraph|currentShape)\b|\b(?:MINUS|VALUES|SERVICE|GRAPH|FROM)\b"
    r"|SELECT[^{]*\{[^}]*SELECT",
    re.I)
_BIND_THIS = re.compile(r"([\s{}()])[\$\?]this", re.M)  # as pySHACL finds $this


class _Data:
    """The triples of the graph under validation, indexed predicate -> subject -> objects; an
    Oxigraph Store of them is made only when a SPARQL constraint asks."""

    __slots__ = ("index", "quads", "_store")

    def __init__(self, quads) -> None:
        index: dict = {}
        resource = (ox.NamedNode, ox.BlankNode)
        term = (ox.NamedNode, ox.BlankNode, ox.Literal)
        repeated = False
        for q in quads:
            s, o = q.subject, q.object
            if not isinstance(s, resource) or not isinstance(o, term):
                raise _Unsupported("RDF-star term")
            by_subject = index.get(q.predicate)
            if by_subject is None:
                index[q.predicate] = {s: [o]}
            elif s in by_subject:
                by_subject[s].append(o)
                repeated = True
            else:
                by_subject[s] = [o]
        if repeated:  # a triple stated twice (or in two graphs) is one value, as in rdflib
            for by_subject in index.values():
                for s, objects in by_subject.items():
                    if len(objects) > 1:
                        by_subject[s] = list(dict.fromkeys(objects))
        if _SUBCLASS_OF in index:  # sh:class and targets would need the class hierarchy
            raise _Unsupported("rdfs:subClassOf in the data")
        self.index = index
        self.quads = quads
        self._store = None

    def values(self, s, p) -> list:
        return self.index.get(p, {}).get(s, ())

    def store(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store()
            self._store.extend(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)
                               for q in self.quads)
        return self._store


def _datatype_matches(v, rule: URIRef) -> bool:
    """pySHACL's sh:datatype test (DatatypeConstraintComponent), on the same rdflib term the slow
    path builds: a literal of that datatype whose value converts, with the usual special cases."""
    if not isinstance(v, ox.Literal):
        return False
    if rule == XSD.string:  # the common case, without building an rdflib Literal
        return v.datatype == _XSD_STRING
    lit = _rdflib_term(v)
    if lit.datatype == rule:
        return getattr(lit, "ill_typed", None) is not True and _value_is(lit.value, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype:
        return lit.datatype is not None
    if rule == RDF.langString:
        return bool(lit.language) and isinstance(lit.value, (str, bytes))
    return False


# The Python types pySHACL expects an rdflib literal's value to have (others are not checked).
_VALUE_KINDS = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


def _value_is(value, rule: URIRef) -> bool:
    kind = _VALUE_KINDS.get(rule)
    return kind is None or isinstance(value, kind)


def _pattern_text(v) -> str | None:
    """The string pySHACL matches sh:pattern against (None for a blank node, which never matches)."""
    if isinstance(v, ox.NamedNode):
        return v.value
    if isinstance(v, ox.BlankNode):
        return None
    if v.datatype == _XSD_STRING or v.datatype == _LANG_STRING:
        return v.value
    lit = _rdflib_term(v)
    if lit.value is not None and lit.datatype in (None, RDF.langString, XSD.string):
        return str(lit.value)
    return str(lit)


class _FastShape:
    __slots__ = ("path", "checks")

    def __init__(self) -> None:
        self.path = None
        self.checks: list = []  # (data, focus, value nodes) -> bool

    def conforms(self, data: _Data, focus) -> bool:
        values = (focus,) if self.path is None else data.values(focus, self.path)
        for check in self.checks:
            if not check(data, focus, values):
                return False
        return True


class _FastShapes:
    """The shapes of one shapes graph, compiled to Python checks; raises _Unsupported when the
    graph uses anything outside the subset above."""

    def __init__(self, sg: rdflib.Graph) -> None:
        self.sg = sg
        if (None, RDF.type, SH.ConstraintComponent) in sg or (None, SH.parameter, None) in sg:
            raise _Unsupported("custom constraint components")
        self._compiled: dict = {}
        self._compiling: set = set()
        self.top: list[tuple[_FastShape, tuple]] = []
        nodes = {s for t in _TARGETS for s in sg.subjects(t, None)}
        for node in sorted(nodes, key=str):
            if {RDFS.Class, rdflib.OWL.Class} & set(sg.objects(node, RDF.type)):
                raise _Unsupported("implicit class target")
            targets = tuple(tuple(self._ox(o) for o in sg.objects(node, t)) for t in _TARGETS)
            self.top.append((self._shape(node), targets))
        for node in set(sg.subjects(RDF.type, RDFS.Class)) | set(sg.subjects(RDF.type, rdflib.OWL.Class)):
            if {SH.NodeShape, SH.PropertyShape} & set(sg.objects(node, RDF.type)):
                raise _Unsupported("implicit class target")

    @staticmethod
    def _ox(term):
        return to_ox(term)

    def _one(self, node, param):
        values = list(self.sg.objects(node, param))
        if len(values) != 1:
            raise _Unsupported(f"{len(values)} values of {param}")
        return values[0]

    def _int(self, node, param) -> int:
        value = self._one(node, param)
        if not isinstance(value, Literal) or not isinstance(value.value, int) or isinstance(value.value, bool):
            raise _Unsupported(f"{param} is not an integer")
        return value.value

    def _list(self, head) -> list:
        return [self._shape(m) for m in Collection(self.sg, head)]

    def _shape(self, node) -> _FastShape:
        if node in self._compiled:
            return self._compiled[node]
        if node in self._compiling:
            raise _Unsupported("recursive shapes")
        self._compiling.add(node)
        shape = _FastShape()
        sg = self.sg
        params = set(sg.predicates(node, None))
        unknown = (params & _PYSHACL_PARAMETERS) - _FAST_PARAMETERS
        if unknown:
            raise _Unsupported(", ".join(sorted(map(str, unknown))))
        if SH.path in params:
            path = self._one(node, SH.path)
            if not isinstance(path, URIRef):
                raise _Unsupported("a path that is not a predicate")
            shape.path = self._ox(path)
        elif SH.minCount in params or SH.maxCount in params:
            raise _Unsupported("cardinality on a node shape")
        add = shape.checks.append
        if SH.nodeKind in params:
            kinds = _NODE_KINDS.get(self._one(node, SH.nodeKind))
            if kinds is None:
                raise _Unsupported("sh:nodeKind value")
            add(lambda d, f, vs, k=kinds: all(isinstance(v, k) for v in vs))
        if SH.minCount in params:
            n = self._int(node, SH.minCount)
            add(lambda d, f, vs, n=n: len(vs) >= n)
        if SH.maxCount in params:
            n = self._int(node, SH.maxCount)
            add(lambda d, f, vs, n=n: len(vs) <= n)
        if SH.datatype in params:
            rule = self._one(node, SH.datatype)
            add(lambda d, f, vs, r=rule: all(_datatype_matches(v, r) for v in vs))
        for cls in sg.objects(node, SH["class"]):
            c = self._ox(cls)
            add(lambda d, f, vs, c=c: all(not isinstance(v, ox.Literal) and c in d.values(v, _RDF_TYPE)
                                          for v in vs))
        if SH.pattern in params:
            add(self._pattern(node))
        for head in sg.objects(node, SH["or"]):
            subs = self._list(head)
            add(lambda d, f, vs, subs=subs: all(any(s.conforms(d, v) for s in subs) for v in vs))
        for head in sg.objects(node, SH["and"]):
            subs = self._list(head)
            add(lambda d, f, vs, subs=subs: all(s.conforms(d, v) for s in subs for v in vs))
        for other in sg.objects(node, SH["not"]):
            sub = self._shape(other)
            add(lambda d, f, vs, s=sub: not any(s.conforms(d, v) for v in vs))
        for other in sg.objects(node, SH.node):
            sub = self._shape(other)
            add(lambda d, f, vs, s=sub: all(s.conforms(d, v) for v in vs))
        for other in sg.objects(node, SH.property):
            sub = self._shape(other)
            add(lambda d, f, vs, s=sub: all(s.conforms(d, v) for v in vs))
        for constraint in sg.objects(node, SH.sparql):
            if shape.path is not None:
                raise _Unsupported("SPARQL constraint on a property shape")
            query = self._sparql(constraint)
            if query is not None:
                add(lambda d, f, vs, q=query: _sparql_holds(d, f, q))
        self._compiling.discard(node)
        self._compiled[node] = shape
        return shape

    def _pattern(self, node):
        flags = 0
        given = list(self.sg.objects(node, SH.flags))
        if given:
            text = str(given[0]).lower()
            flags = (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
        patterns = []
        for p in self.sg.objects(node, SH.pattern):
            if not isinstance(p, Literal):
                raise _Unsupported("sh:pattern is not a literal")
            patterns.append(re.compile(str(p.value) if p.value is not None and len(p.value) > 1 else str(p), flags))

        def check(d, f, vs):
            for v in vs:
                text = _pattern_text(v)
                if text is None or not all(p.search(text) for p in patterns):
                    return False
            return True

        return check

    def _sparql(self, constraint) -> str | None:
        sg = self.sg
        deactivated = list(sg.objects(constraint, SH.deactivated))
        if deactivated:
            if len(deactivated) == 1 and isinstance(deactivated[0], Literal) and deactivated[0].value is True:
                return None
            raise _Unsupported("sh:deactivated on a SPARQL constraint")
        select = self._one(constraint, SH.select)
        if not isinstance(select, Literal) or not isinstance(select.value, str):
            raise _Unsupported("sh:select is not a string")
        text = select.value
        if _SPARQL_LEFT_TO_PYSHACL.search(text) or not _BIND_THIS.search(text) or \
                re.search(r"\bAS\s+[$?]this\b", text, re.I):
            raise _Unsupported("SPARQL constraint features")
        # The prefixes pySHACL's SPARQLQueryHelper.collect_prefixes gathers: rdf, rdfs, owl, and the
        # sh:declare of the sh:prefixes nodes and of the ontologies in the shapes graph.
        prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(rdflib.OWL)}
        holders = set(sg.objects(constraint, SH.prefixes))
        if holders:
            holders |= set(sg.subjects(RDF.type, rdflib.OWL.Ontology))
        for holder in holders:
            for dec in sg.objects(holder, SH.declare):
                prefix, namespace = self._one(dec, SH.prefix), self._one(dec, SH.namespace)
                prefixes[str(prefix)] = str(namespace)
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + "\n" + text

    def conforms(self, quads) -> bool:
        data = _Data(quads)
        instances: dict = {}
        for s, classes in data.index.get(_RDF_TYPE, {}).items():
            for c in classes:
                instances.setdefault(c, []).append(s)
        for shape, (classes, nodes, subjects_of, objects_of) in self.top:
            focus = set(nodes)
            for c in classes:
                focus.update(instances.get(c, ()))
            for p in subjects_of:
                focus.update(data.index.get(p, ()))
            for p in objects_of:
                for objects in data.index.get(p, {}).values():
                    focus.update(objects)
            for f in focus:
                if not shape.conforms(data, f):
                    return False
        return True


def _sparql_holds(data: _Data, focus, query: str) -> bool:
    """No solution of a SPARQL constraint counts as a result for pySHACL: one that binds
    ?failure, ?this, ?value or ?path (a SELECT with none of them bound reports nothing)."""
    # The union of the graphs is the graph under validation (quads keep their graph names).
    answer = data.store().query(query, substitutions={_THIS: focus}, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables if v.value in ("failure", "this", "value", "path")]
    return not any(any(row[n] is not None for n in names) for row in answer)


_fast_cache: dict[Path, _FastShapes | None] = {}


def _fast_shapes(path: Path) -> _FastShapes | None:
    """The compiled shapes of `path`, or None when they use what only pySHACL runs."""
    path = path.resolve()
    with _lock:
        if path in _fast_cache:
            return _fast_cache[path]
    sg = _shapes_graph(path)
    try:
        fast = _FastShapes(sg.graph)
    except _Unsupported as exc:
        sg.logger.debug("SHACL fast path off for %s: %s", path, exc)
        fast = None
    with _lock:
        _fast_cache[path] = fast
    return fast


# --- the ontology ---------------------------------------------------------------------------------


def load_ontology_graph(ontology_dir: Path | str | None = None) -> rdflib.Graph:
    """Every triple of the ontology's Turtle files (ontology/*.ttl except the shapes) as one
    rdflib Graph, e.g. to inspect the vocabulary or to mix it into a data graph."""
    g = rdflib.Graph()
    for path in sorted(Path(ontology_dir or ONTOLOGY_DIR).glob("*.ttl")):
        if path.name != SHAPES_FILE:
            g.parse(path, format="turtle")
    return g

"""Blueprint service: what the service and its dataset are, for machines.

- The SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/) is the
  answer to a GET on /sparql, /query or /update without a query that accepts RDF (`sparql` calls
  `description_response`): the endpoint, the languages it speaks (Update only when updates are
  enabled), result and input formats, features (union default graph, empty graphs, federated query
  when SERVICE hosts are allowed), entailment, and the default dataset: its default graph (the union
  of all graphs, with its triple count) and the ontology and gazetteer graphs.
- /.well-known/void (also /void): a VoID description of the dataset (kg.void): triples, classes,
  properties, subjects, articles, named graphs, class and property partitions, example resources,
  the endpoint and the dumps. The Service Description's dataset is the same IRI, so one links to
  the other. Both are computed from the store and cached; they are recounted after any write
  (`state().version`) or when the store's graphs change.

Formats by `Accept` or `format=` as for CONSTRUCT results (Turtle by default).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, NotAcceptable

from kg import void
from kg.querying import GRAPH_FORMATS
from kg.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, PREFIXES

from . import negotiate
from .state import state

bp = Blueprint("service", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = void.VOID
RDF_TYPE = void.RDF_TYPE
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
DCTERMS = void.DCTERMS

RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"]
GRAPH_FORMAT_IRIS = ["Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N-Quads", "TriG"]
DUMPS = ["export.nq", "export.trig", "export.ttl"]
OUT_PREFIXES = {"sd": SD, "void": VOID, "formats": FORMATS, "dcterms": DCTERMS, "rdfs": RDFS,
                "vnkg": PREFIXES["vnkg"], "xsd": PREFIXES["xsd"], "schema": PREFIXES["schema"]}


def dataset_iri() -> str:
    return request.url_root + ".well-known/void#dataset"


# --- the Service Description ----------------------------------------------------------------------


def service_description(endpoint: str, *, query: bool, update: bool) -> list[ox.Triple]:
    settings = current_app.config["SETTINGS"]
    out: list[ox.Triple] = []
    sd = lambda term: ox.NamedNode(SD + term)  # noqa: E731

    def add(s, p, o):
        out.append(ox.Triple(s, p, o))

    service = ox.NamedNode(endpoint + "#service")
    add(service, RDF_TYPE, sd("Service"))
    add(service, sd("endpoint"), ox.NamedNode(endpoint))
    if query:
        add(service, sd("supportedLanguage"), sd("SPARQL11Query"))
    if update and (settings.update_token or settings.allow_anonymous_update):
        add(service, sd("supportedLanguage"), sd("SPARQL11Update"))
    for name in RESULT_FORMATS + GRAPH_FORMAT_IRIS:
        add(service, sd("resultFormat"), ox.NamedNode(FORMATS + name))
    for name in GRAPH_FORMAT_IRIS:
        add(service, sd("inputFormat"), ox.NamedNode(FORMATS + name))
    add(service, sd("feature"), sd("UnionDefaultGraph"))
    add(service, sd("feature"), sd("EmptyGraphs"))
    if settings.allowed_hosts:
        add(service, sd("feature"), sd("BasicFederatedQuery"))
    add(service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple"))
    if settings.allow_anonymous_update:
        writes = "Updates are open to anyone (a throw-away store)."
    elif settings.update_token:
        writes = "Updates need a bearer token."
    else:
        writes = "The service is read-only."
    add(service, ox.NamedNode(DCTERMS + "description"), ox.Literal(
        f"vnkg SPARQL service. Queries are stopped after {settings.query_timeout:g} s; answers are cut after "
        f"{settings.max_rows} rows or triples (header X-VNKG-Truncated). {writes} "
        "SERVICE and LOAD reach only allow-listed hosts.", language="en"))
    dataset = ox.NamedNode(dataset_iri())
    add(service, sd("defaultDataset"), dataset)
    add(dataset, RDF_TYPE, sd("Dataset"))
    add(dataset, RDF_TYPE, ox.NamedNode(VOID + "Dataset"))
    add(dataset, ox.NamedNode(RDFS + "seeAlso"), ox.NamedNode(request.url_root + ".well-known/void"))
    default = ox.BlankNode()
    add(dataset, sd("defaultGraph"), default)
    add(default, RDF_TYPE, sd("Graph"))
    add(default, ox.NamedNode(DCTERMS + "description"), ox.Literal("the union of all graphs", language="en"))
    stats = state().stats.get(wait=False)  # counts when known; never makes a client wait
    if stats is not None:
        add(default, ox.NamedNode(VOID + "triples"), ox.Literal(str(stats.triples), datatype=void.XSD_INTEGER))
    store = state().store
    for graph in (ONTOLOGY_GRAPH, GAZETTEER_GRAPH):
        if store.contains_named_graph(graph):
            named = ox.BlankNode()
            add(dataset, sd("namedGraph"), named)
            add(named, RDF_TYPE, sd("NamedGraph"))
            add(named, sd("name"), graph)
            inner = ox.BlankNode()
            add(named, sd("graph"), inner)
            add(inner, RDF_TYPE, sd("Graph"))
    return out


def description_response(endpoint: str, *, query: bool, update: bool) -> Response:
    return rdf_response(service_description(endpoint, query=query, update=update))


# --- VoID -----------------------------------------------------------------------------------------


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
@bp.route("/void", methods=["GET", "HEAD"])
def void_description():
    stats = state().stats.get(wait=True)
    root = request.url_root
    triples = void.void_triples(
        stats,
        dataset_iri(),
        sparql=root + "sparql",
        dumps=[root + d for d in DUMPS],
        base=current_app.config["SETTINGS"].base,
    )
    return rdf_response(triples)


# --- formats --------------------------------------------------------------------------------------


def rdf_response(triples: list[ox.Triple]) -> Response:
    from .sparql import FORMAT_NAMES, GRAPH_MEDIA

    name = request.args.get("format")
    if name:
        fmt = FORMAT_NAMES.get(name.strip().lower(), (None, None))[1]
        if fmt is None:
            raise BadRequest(f"unknown format {name!r}: use one of turtle, ntriples, rdfxml, jsonld, nquads, trig")
    elif not negotiate.has_accept():
        fmt = "turtle"
    else:
        media = negotiate.best([m for _, m in GRAPH_MEDIA])
        if media is None:
            offered = ", ".join(dict.fromkeys(m for _, m in GRAPH_MEDIA))
            raise NotAcceptable(f"this description is RDF: ask for one of {offered}")
        fmt = dict((m, f) for f, m in reversed(GRAPH_MEDIA))[media]
    rdf_format, media = GRAPH_FORMATS[fmt]
    items = triples
    if rdf_format.supports_datasets and fmt != "jsonld":
        items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    body = ox.serialize(items, format=rdf_format, prefixes=OUT_PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None)
    content_type = f"{media}; charset=utf-8" if media.startswith("text/") or media == "application/n-triples" else media
    response = Response(body, content_type=content_type)
    response.headers["Vary"] = "Accept"
    return response

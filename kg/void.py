"""Statistics of the store for its VoID description: triples, classes, properties, graphs, examples.

`statistics(store)` reads the store with a handful of aggregate queries over the union of all graphs
(pyoxigraph evaluates them without Python looping over triples: about a second per million triples).
`void_triples(stats, ...)` turns them into a VoID description (https://www.w3.org/TR/void/):
a `void:Dataset` with `void:triples`, `void:classes`, `void:properties`, `void:distinctSubjects`,
`void:documents` (articles: each is one named graph), a class partition and a property partition
with their counts, `void:exampleResource` (a few articles, agencies, places, people), the SPARQL
endpoint, the dumps and the IRI space. The number of named graphs has no VoID term; it is given as
`vnkg:namedGraphs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from .config import CORE, ID

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS = "http://purl.org/dc/terms/"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# Classes whose first few instances are shown as example resources, in this order.
EXAMPLE_CLASSES = [CORE + "Article", CORE + "Agency", CORE + "Meeting", CORE + "Person", CORE + "AdministrativeUnit"]
EXAMPLES_PER_CLASS = 2
VOCABULARIES = [
    CORE,
    "https://schema.org/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "http://www.w3.org/2006/time#",
]


@dataclass
class Statistics:
    triples: int = 0
    distinct_subjects: int = 0
    named_graphs: int = 0
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    examples: list[str] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return self.classes.get(CORE + "Article", 0)


def _rows(store: ox.Store, query: str):
    return store.query(query, use_default_graph_as_union=True)


def statistics(store: ox.Store) -> Statistics:
    """Count what the store holds (the default graph is the union of all graphs)."""
    stats = Statistics()
    for row in _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"):
        stats.properties[row["p"].value] = int(row["n"].value)
    stats.triples = sum(stats.properties.values())
    for row in _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        if isinstance(row["c"], ox.NamedNode):
            stats.classes[row["c"].value] = int(row["n"].value)
    for row in _rows(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"):
        stats.distinct_subjects = int(row["n"].value)
    stats.named_graphs = sum(1 for _ in store.named_graphs())
    for cls in EXAMPLE_CLASSES:
        if cls in stats.classes:
            query = f"SELECT ?x WHERE {{ ?x a <{cls}> FILTER(isIRI(?x)) }} LIMIT {EXAMPLES_PER_CLASS}"
            stats.examples += [row["x"].value for row in _rows(store, query)]
    return stats


def void_triples(stats: Statistics, dataset: str, *, sparql: str, dumps: list[str] = (), base: str = ID) -> list[ox.Triple]:
    """The VoID description of the dataset `dataset` (an IRI) with these statistics."""
    out: list[ox.Triple] = []
    ds = ox.NamedNode(dataset)
    void = lambda term: ox.NamedNode(VOID + term)  # noqa: E731
    integer = lambda n: ox.Literal(str(n), datatype=XSD_INTEGER)  # noqa: E731

    def add(s, p, o):
        out.append(ox.Triple(s, p, o))

    add(ds, RDF_TYPE, void("Dataset"))
    add(ds, ox.NamedNode(DCTERMS + "title"), ox.Literal("vnkg: đồ thị tri thức tin tức chính quyền địa phương Việt Nam", language="vi"))
    add(ds, ox.NamedNode(DCTERMS + "title"), ox.Literal("vnkg: a knowledge graph of Vietnamese local-government news", language="en"))
    add(ds, ox.NamedNode(DCTERMS + "description"), ox.Literal(
        "Articles of Vietnamese news, the agencies, places, people, meetings and programmes they mention, "
        "with the administrative units of Vietnam; one named graph per article.", language="en"))
    add(ds, void("sparqlEndpoint"), ox.NamedNode(sparql))
    for dump in dumps:
        add(ds, void("dataDump"), ox.NamedNode(dump))
    add(ds, void("uriSpace"), ox.Literal(base))
    for vocabulary in VOCABULARIES:
        add(ds, void("vocabulary"), ox.NamedNode(vocabulary))
    add(ds, void("triples"), integer(stats.triples))
    add(ds, void("distinctSubjects"), integer(stats.distinct_subjects))
    add(ds, void("classes"), integer(len(stats.classes)))
    add(ds, void("properties"), integer(len(stats.properties)))
    add(ds, void("documents"), integer(stats.articles))
    add(ds, ox.NamedNode(CORE + "namedGraphs"), integer(stats.named_graphs))
    for example in stats.examples:
        add(ds, void("exampleResource"), ox.NamedNode(example))
    for cls, n in sorted(stats.classes.items()):
        part = ox.BlankNode()
        add(ds, void("classPartition"), part)
        add(part, void("class"), ox.NamedNode(cls))
        add(part, void("entities"), integer(n))
    for prop, n in sorted(stats.properties.items()):
        part = ox.BlankNode()
        add(ds, void("propertyPartition"), part)
        add(part, void("property"), ox.NamedNode(prop))
        add(part, void("triples"), integer(n))
    return out

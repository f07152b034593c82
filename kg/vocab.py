"""Namespaces and the IRIs of things. The only other module that knows ontology terms is `emit`."""

from __future__ import annotations

from pyoxigraph import NamedNode

from .config import CORE, DEF, ID

PREFIXES = {
    "vnkg": CORE,
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "time": "http://www.w3.org/2006/time#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "qb": "http://purl.org/linked-data/cube#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


class NS:
    """`NS(iri)["term"]` or `NS(iri).term` gives a NamedNode."""

    def __init__(self, base: str):
        self.base = base
        self._terms: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self.base + name)
            if name.isidentifier() and name not in ("base",):
                self.__dict__[name] = term  # `NS.name` is then a plain attribute, without __getattr__
        return term


VNKG = NS(CORE)
SCHEMA = NS(PREFIXES["schema"])
ORG = NS(PREFIXES["org"])
SKOS = NS(PREFIXES["skos"])
RDF = NS(PREFIXES["rdf"])
RDFS = NS(PREFIXES["rdfs"])
OWL = NS(PREFIXES["owl"])
XSD = NS(PREFIXES["xsd"])
PROV = NS(PREFIXES["prov"])
NIF = NS(PREFIXES["nif"])
ITSRDF = NS(PREFIXES["itsrdf"])
TIME = NS(PREFIXES["time"])
GEO = NS(PREFIXES["geo"])
QB = NS(PREFIXES["qb"])
DCTERMS = NS(PREFIXES["dcterms"])
SEM = NS(PREFIXES["sem"])

# Named graphs of the shared data; each article has graph/{article-key}.
ONTOLOGY_GRAPH = NamedNode(ID + "graph/ontology")
GAZETTEER_GRAPH = NamedNode(ID + "graph/gazetteer")


def thing(kind: str, key: str) -> NamedNode:
    """The IRI of a thing: /id/{kind}/{key} (place, org, person, article, event, program, ...)."""
    return NamedNode(f"{ID}{kind}/{key}")


def graph_of(article_key: str) -> NamedNode:
    return NamedNode(f"{ID}graph/{article_key}")


def concept(scheme: str, slug: str) -> NamedNode:
    """A SKOS concept of a controlled list: /def/{scheme}/{slug}."""
    return NamedNode(f"{DEF}{scheme}/{slug}")

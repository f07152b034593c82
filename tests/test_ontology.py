"""The OWL ontology (ontology/vnkg.ttl): it loads in owlready2, HermiT finds it consistent (also
with data shaped like what emit writes), it catches a thing that is both a place and an agency,
every project term is labelled and defined, and every term the graph model uses is declared."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import owlready2
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.config import CORE, ROOT
from kg.validate import load_ontology_graph

ONTOLOGY = ROOT / "ontology" / "vnkg.ttl"
SCHEMES = ROOT / "ontology" / "schemes.ttl"
GRAPH_MODEL = ROOT / "docs" / "graph-model.md"
ONTOLOGY_IRI = "https://w3id.org/vnkg/def/core"

VNKG = rdflib.Namespace(CORE)
SCHEMA = rdflib.Namespace("https://schema.org/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
NIF = rdflib.Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SEM = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
GEO = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")

PREFIXES = """
@prefix vnkg: <https://w3id.org/vnkg/def/core#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix id: <https://w3id.org/vnkg/id/> .
"""

# Data shaped like docs/graph-model.md: the domains and ranges must not make it contradictory.
TYPICAL_DATA = PREFIXES + r"""
id:place\/vn-40-nghe-an a vnkg:Province ; skos:notation "40" .
id:place\/vn-421-quynh-luu a vnkg:District ; skos:notation "421" ;
    schema:containedInPlace id:place\/vn-40-nghe-an ;
    vnkg:unitType <https://w3id.org/vnkg/def/unit-type/huyen> ;
    vnkg:validUntil "2025-07-01"^^xsd:date ;
    vnkg:replacedBy id:place\/vn-40-nghe-an .
id:org\/vn-421-quynh-luu.ubnd a vnkg:Agency ; rdfs:label "Ủy ban nhân dân huyện Quỳnh Lưu"@vi ;
    vnkg:agencyType <https://w3id.org/vnkg/def/agency-type/ubnd> ;
    vnkg:jurisdiction id:place\/vn-421-quynh-luu ;
    schema:containedInPlace id:place\/vn-421-quynh-luu ;
    org:subOrganizationOf id:org\/vn-40-nghe-an.ubnd .
id:org\/press.bao-nghe-an a vnkg:Organization .
id:person\/vi-van-quynh.1 a vnkg:Person ; schema:name "Vi Văn Quỳnh" ;
    org:memberOf id:org\/vn-421-quynh-luu.ubnd .
id:membership\/m1 a org:Membership ; org:member id:person\/vi-van-quynh.1 ;
    org:organization id:org\/vn-421-quynh-luu.ubnd ; org:role <https://w3id.org/vnkg/def/post/chu-tich> ;
    vnkg:reportedOn "2014-07-02"^^xsd:date .
id:event\/e1 a vnkg:Meeting ; vnkg:eventType <https://w3id.org/vnkg/def/event-type/gap-mat> ;
    schema:startDate "2014-07-02"^^xsd:date ;
    schema:organizer id:org\/vn-421-quynh-luu.ubnd ;
    schema:attendee id:person\/vi-van-quynh.1 , id:org\/press.bao-nghe-an , id:place\/vn-421-quynh-luu ;
    schema:location id:place\/vn-421-quynh-luu .
id:program\/p1 a vnkg:Program ; vnkg:programType <https://w3id.org/vnkg/def/program-type/mo-hinh> ;
    vnkg:implementedIn id:place\/vn-421-quynh-luu ; vnkg:runBy id:org\/vn-421-quynh-luu.ubnd ;
    vnkg:isPilot true .
id:figure\/f1 a vnkg:Figure ; qb:dataSet id:dataset\/figures ; vnkg:value 3000 ; vnkg:unit "người" ;
    vnkg:refArea id:place\/vn-421-quynh-luu ; vnkg:refPeriod "2014" .
id:figure\/f2 a vnkg:Figure ; vnkg:value 2000 ; vnkg:shareOf id:figure\/f1 .
id:article\/a1 a vnkg:Article ; schema:headline "Gặp mặt" ;
    schema:author id:person\/vi-van-quynh.1 ; schema:publisher id:org\/press.bao-nghe-an ;
    schema:mentions id:place\/vn-421-quynh-luu , id:org\/vn-421-quynh-luu.ubnd , id:event\/e1 , id:program\/p1 .
"""


def ontology_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def load_in_owlready(tmp_path: Path, extra_turtle: str = ""):
    """owlready2 reads N-Triples / RDF/XML, not Turtle: convert, then load into a fresh World."""
    g = ontology_graph()
    if extra_turtle:
        g.parse(data=extra_turtle, format="turtle")
    nt = tmp_path / "vnkg.nt"
    g.serialize(nt, format="nt", encoding="utf-8")
    world = owlready2.World()
    with open(nt, "rb") as f:
        onto = world.get_ontology(ONTOLOGY_IRI).load(fileobj=f, format="ntriples")
    return world, onto


def reason(world, onto, data: bool = True) -> None:
    # Data literals are xsd:date / xsd:gMonthDay, outside the OWL 2 datatype map that HermiT
    # knows; the ontology itself must not need that leniency.
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                       ignore_unsupported_datatypes=data)


# --- OWL reasoning --------------------------------------------------------------------------------


@needs_java
def test_ontology_is_consistent(tmp_path):
    world, onto = load_in_owlready(tmp_path)
    assert world[CORE + "Agency"] is not None and world[CORE + "jurisdiction"] is not None
    reason(world, onto, data=False)
    assert list(world.inconsistent_classes()) == []


@needs_java
def test_typical_graph_is_consistent_and_classified(tmp_path):
    world, onto = load_in_owlready(tmp_path, TYPICAL_DATA)
    reason(world, onto)
    assert list(world.inconsistent_classes()) == []
    agency = world["https://w3id.org/vnkg/id/org/vn-421-quynh-luu.ubnd"]
    org_class = world["http://www.w3.org/ns/org#Organization"]
    assert org_class in agency.INDIRECT_is_a  # Agency ⊑ Organization ⊑ org:Organization
    place = world["https://w3id.org/vnkg/id/place/vn-421-quynh-luu"]
    assert world[CORE + "AdministrativeUnit"] in place.INDIRECT_is_a


@needs_java
def test_place_that_is_an_agency_is_inconsistent(tmp_path):
    world, onto = load_in_owlready(tmp_path, PREFIXES + r"""
        id:x a vnkg:AdministrativeUnit , vnkg:Agency .
    """)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(world, onto)


@needs_java
def test_jurisdiction_over_a_person_is_inconsistent(tmp_path):
    # vnkg:jurisdiction ranges over administrative units, which are disjoint from people
    world, onto = load_in_owlready(tmp_path, PREFIXES + r"""
        id:org\/a a vnkg:Agency ; vnkg:jurisdiction id:person\/p .
        id:person\/p a vnkg:Person .
    """)
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(world, onto)


# --- labels, definitions, declarations ------------------------------------------------------------


def project_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(CORE)}


def test_every_project_term_is_labelled_in_vietnamese_and_english_and_defined():
    g = ontology_graph()
    terms = project_terms(g)
    assert len(terms) > 30
    problems = []
    for t in sorted(terms):
        labels = {lbl.language for lbl in g.objects(t, RDFS.label) if isinstance(lbl, rdflib.Literal)}
        definitions = {d.language for d in g.objects(t, SKOS.definition) if isinstance(d, rdflib.Literal)}
        if not {"vi", "en"} <= labels:
            problems.append(f"{t}: rdfs:label in {sorted(filter(None, labels))}, needs vi and en")
        if "en" not in definitions:
            problems.append(f"{t}: no skos:definition@en")
        if (t, RDFS.isDefinedBy, rdflib.URIRef(ONTOLOGY_IRI)) not in g:
            problems.append(f"{t}: no rdfs:isDefinedBy the ontology")
    assert not problems, "\n".join(problems)


DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     QB.DataStructureDefinition}


def test_every_vnkg_term_of_the_graph_model_is_declared():
    used = set(re.findall(r"vnkg:([A-Za-z][A-Za-z0-9]*)", GRAPH_MODEL.read_text(encoding="utf-8")))
    assert {"Article", "sourceSpan", "Figure"} <= used  # the document is read as expected
    g = ontology_graph()
    missing = sorted(t for t in used if not set(g.objects(VNKG[t], RDF.type)) & DECLARATION_TYPES)
    assert not missing, f"used in docs/graph-model.md but not declared in ontology/vnkg.ttl: {missing}"


CONTRACT = {
    "classes": ["Article", "Organization", "Agency", "AdministrativeUnit", "Country", "Province", "District",
                "Commune", "Person", "Program", "Meeting", "Figure", "PlaceMention"],
    "properties": ["jurisdiction", "value", "unit", "measure", "comparator", "shareOf", "refArea", "refPeriod",
                   "candidate", "sourceSpan", "context", "sourceFile", "agencyType", "eventType", "programType",
                   "implementedIn", "runBy", "isPilot", "reportedOn", "validFrom", "validUntil", "replacedBy",
                   "mergedInto", "unitType"],
}


def test_contract_terms_and_alignments():
    g = ontology_graph()
    for c in CONTRACT["classes"]:
        assert (VNKG[c], RDF.type, OWL.Class) in g, c
    for p in CONTRACT["properties"]:
        assert set(g.objects(VNKG[p], RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}, p
    sub = RDFS.subClassOf
    for child, parent in [
        (VNKG.Article, SCHEMA.NewsArticle), (VNKG.Organization, ORG.Organization),
        (VNKG.Agency, VNKG.Organization), (VNKG.AdministrativeUnit, SCHEMA.AdministrativeArea),
        (VNKG.AdministrativeUnit, GEO.Feature), (VNKG.Country, VNKG.AdministrativeUnit),
        (VNKG.Province, VNKG.AdministrativeUnit), (VNKG.District, VNKG.AdministrativeUnit),
        (VNKG.Commune, VNKG.AdministrativeUnit), (VNKG.Person, SCHEMA.Person),
        (VNKG.Meeting, SCHEMA.Event), (VNKG.Meeting, SEM.Event), (VNKG.Figure, QB.Observation),
        (VNKG.PlaceMention, NIF.Phrase),
    ]:
        assert (child, sub, parent) in g, f"{child} ⊑ {parent}"
    assert (VNKG.sourceSpan, RDFS.subPropertyOf, PROV.wasDerivedFrom) in g
    assert (VNKG.mergedInto, RDFS.subPropertyOf, VNKG.replacedBy) in g
    assert (VNKG.jurisdiction, RDFS.domain, VNKG.Agency) in g
    assert (VNKG.jurisdiction, RDFS.range, VNKG.AdministrativeUnit) in g
    # no domain on containedInPlace: an organisation "in" a place must not become a place
    assert (SCHEMA.containedInPlace, RDFS.domain, None) not in g
    # the figures data set and its structure
    ds = rdflib.URIRef("https://w3id.org/vnkg/id/dataset/figures")
    assert (ds, RDF.type, QB.DataSet) in g
    dsd = g.value(ds, QB.structure)
    assert (dsd, RDF.type, QB.DataStructureDefinition) in g
    components = {g.value(c, p) for c in g.objects(dsd, QB.component)
                  for p in (QB.dimension, QB.measure, QB.attribute)} - {None}
    assert {VNKG.value, VNKG.refArea, VNKG.refPeriod, VNKG.measure, VNKG.unit} <= components


def test_main_classes_are_pairwise_disjoint():
    g = ontology_graph()
    main = {VNKG.AdministrativeUnit, VNKG.Organization, VNKG.Person, VNKG.Meeting, VNKG.Program, VNKG.Article}
    member_sets = [set(Collection(g, g.value(node, OWL.members)))
                   for node in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert main in member_sets


def test_every_property_is_typed_for_owl_tools():
    """owlready2 needs each property typed; labels must stay annotation properties."""
    g = ontology_graph()
    builtin = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.members,
               OWL.inverseOf, OWL.versionInfo, RDF.first, RDF.rest}
    typed = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    untyped = sorted(str(p) for p in set(g.predicates()) - builtin if not set(g.objects(p, RDF.type)) & typed)
    assert not untyped, f"properties used without an OWL property type: {untyped}"
    for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.definition):
        assert set(g.objects(p, RDF.type)) == {OWL.AnnotationProperty}, p
    # every external term the graph uses is declared, with a label
    for term in (SCHEMA.headline, SCHEMA.mentions, SCHEMA.containedInPlace, SCHEMA.startDate, SCHEMA.organizer,
                 SCHEMA.attendee, SCHEMA.location, ORG.memberOf, ORG.Membership, ORG.member, ORG.organization,
                 ORG.role, ORG.Role, ORG.subOrganizationOf, SKOS.notation, NIF.isString, NIF.anchorOf):
        assert g.value(term, RDF.type) is not None and g.value(term, RDFS.label) is not None, term


def test_concept_schemes():
    g = rdflib.Graph()
    g.parse(SCHEMES, format="turtle")
    base = "https://w3id.org/vnkg/def/"
    expected = {rdflib.URIRef(base + s) for s in
                ("agency-type", "post", "event-type", "program-type", "unit-type", "abbreviation")}
    assert set(g.subjects(RDF.type, SKOS.ConceptScheme)) == expected
    for scheme in expected:
        langs = {lbl.language for lbl in g.objects(scheme, RDFS.label)}
        assert {"vi", "en"} <= langs, scheme
    assert not set(g.subjects(RDF.type, SKOS.Concept)), "schemes.ttl declares schemes only"


def test_load_ontology_graph_reads_the_vocabulary_but_not_the_shapes():
    g = load_ontology_graph()
    assert (VNKG.Article, RDFS.subClassOf, SCHEMA.NewsArticle) in g
    assert (rdflib.URIRef("https://w3id.org/vnkg/def/post"), RDF.type, SKOS.ConceptScheme) in g
    assert not set(g.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")))

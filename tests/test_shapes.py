"""The SHACL shapes (ontology/shapes.ttl) through kg.validate: a well-formed article graph
conforms, and each kind of damage is reported with a message that names it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from kg.validate import Report, Violation, validate_graph

# The text of the context: title, blank line, body (NFC; offsets count code points).
#   0..19  "Gặp mặt ở Quỳnh Lưu"                   21..77 first sentence
#  31..51  "UBND huyện Quỳnh Lưu"  42..51 "Quỳnh Lưu"  64..76 "Vi Văn Quỳnh"
#  78..128 second sentence        81..92 "3.000 người"  110..127 "Ngăn ngừa bạo lực"
ARTICLE = """
@prefix vnkg: <https://w3id.org/vnkg/def/core#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix a: <https://w3id.org/vnkg/id/article/t1#> .
@prefix id: <https://w3id.org/vnkg/id/> .

<https://w3id.org/vnkg/id/article/t1> a vnkg:Article ;
    schema:headline "Gặp mặt ở Quỳnh Lưu" ;
    schema:datePublished "2014-07-02"^^xsd:date ;
    vnkg:sourceFile "t1.txt" ;
    vnkg:context <https://w3id.org/vnkg/id/article/t1#char=0,128> ;
    schema:mentions id:place\\/vn-421-quynh-luu , id:org\\/vn-421-quynh-luu.ubnd , id:person\\/vi-van-quynh.1 ,
        id:event\\/2014-07-02.gap-mat.1 , id:program\\/ngan-ngua-bao-luc .

<https://w3id.org/vnkg/id/article/t1#char=0,128> a nif:Context , nif:OffsetBasedString ;
    nif:isString "Gặp mặt ở Quỳnh Lưu\\n\\nNgày 2/7, UBND huyện Quỳnh Lưu gặp mặt ông Vi Văn Quỳnh. Có 3.000 người tham gia mô hình Ngăn ngừa bạo lực." ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ; nif:endIndex "128"^^xsd:nonNegativeInteger ;
    nif:sourceUrl <https://w3id.org/vnkg/id/article/t1> .

<https://w3id.org/vnkg/id/article/t1#char=21,77> a nif:Sentence , nif:OffsetBasedString ;
    nif:beginIndex "21"^^xsd:nonNegativeInteger ; nif:endIndex "77"^^xsd:nonNegativeInteger ;
    nif:anchorOf "Ngày 2/7, UBND huyện Quỳnh Lưu gặp mặt ông Vi Văn Quỳnh." ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> .

<https://w3id.org/vnkg/id/article/t1#char=78,128> a nif:Sentence , nif:OffsetBasedString ;
    nif:beginIndex 78 ; nif:endIndex 128 ;
    nif:anchorOf "Có 3.000 người tham gia mô hình Ngăn ngừa bạo lực." ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> .

<https://w3id.org/vnkg/id/article/t1#char=31,51> a nif:Phrase , nif:OffsetBasedString ;
    nif:beginIndex 31 ; nif:endIndex 51 ; nif:anchorOf "UBND huyện Quỳnh Lưu" ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> ;
    nif:sentence <https://w3id.org/vnkg/id/article/t1#char=21,77> ;
    itsrdf:taIdentRef id:org\\/vn-421-quynh-luu.ubnd .

<https://w3id.org/vnkg/id/article/t1#char=42,51> a vnkg:PlaceMention , nif:OffsetBasedString ;
    nif:beginIndex 42 ; nif:endIndex 51 ; nif:anchorOf "Quỳnh Lưu" ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> ;
    nif:sentence <https://w3id.org/vnkg/id/article/t1#char=21,77> ;
    vnkg:candidate id:place\\/vn-421-quynh-luu .

<https://w3id.org/vnkg/id/article/t1#char=64,76> a nif:Phrase , nif:OffsetBasedString ;
    nif:beginIndex 64 ; nif:endIndex 76 ; nif:anchorOf "Vi Văn Quỳnh" ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> ;
    nif:sentence <https://w3id.org/vnkg/id/article/t1#char=21,77> ;
    itsrdf:taIdentRef id:person\\/vi-van-quynh.1 .

<https://w3id.org/vnkg/id/article/t1#char=81,92> a nif:Phrase , nif:OffsetBasedString ;
    nif:beginIndex 81 ; nif:endIndex 92 ; nif:anchorOf "3.000 người" ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> .

<https://w3id.org/vnkg/id/article/t1#char=110,127> a nif:Phrase , nif:OffsetBasedString ;
    nif:beginIndex 110 ; nif:endIndex 127 ; nif:anchorOf "Ngăn ngừa bạo lực" ;
    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> .

id:place\\/vn-421-quynh-luu a vnkg:District ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=42,51> .

id:org\\/vn-421-quynh-luu.ubnd a vnkg:Agency ;
    rdfs:label "Ủy ban nhân dân huyện Quỳnh Lưu"@vi ; skos:altLabel "UBND huyện Quỳnh Lưu"@vi ;
    vnkg:agencyType <https://w3id.org/vnkg/def/agency-type/ubnd> ;
    vnkg:jurisdiction id:place\\/vn-421-quynh-luu ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=31,51> .

id:person\\/vi-van-quynh.1 a vnkg:Person ;
    rdfs:label "Vi Văn Quỳnh" ; schema:name "Vi Văn Quỳnh" ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=64,76> .

id:membership\\/m1 a org:Membership ;
    org:member id:person\\/vi-van-quynh.1 ;
    org:organization id:org\\/vn-421-quynh-luu.ubnd ;
    org:role <https://w3id.org/vnkg/def/post/chu-tich> ;
    vnkg:reportedOn "2014-07-02"^^xsd:date ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=21,77> .

id:event\\/2014-07-02.gap-mat.1 a vnkg:Meeting ;
    vnkg:eventType <https://w3id.org/vnkg/def/event-type/gap-mat> ;
    rdfs:label "Gặp mặt" ;
    schema:startDate "2014-07-02"^^xsd:date ;
    schema:organizer id:org\\/vn-421-quynh-luu.ubnd ;
    schema:attendee id:person\\/vi-van-quynh.1 ;
    schema:location id:place\\/vn-421-quynh-luu ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=21,77> .

id:program\\/ngan-ngua-bao-luc a vnkg:Program ;
    rdfs:label "Ngăn ngừa bạo lực"@vi ;
    vnkg:programType <https://w3id.org/vnkg/def/program-type/mo-hinh> ;
    vnkg:implementedIn id:place\\/vn-421-quynh-luu ;
    vnkg:runBy id:org\\/vn-421-quynh-luu.ubnd ;
    vnkg:isPilot true ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=110,127> .

id:figure\\/t1-1 a vnkg:Figure ;
    qb:dataSet id:dataset\\/figures ;
    vnkg:value 3000 ; vnkg:unit "người" ; vnkg:comparator "gt" ;
    vnkg:measure "người tham gia mô hình" ;
    vnkg:refArea id:place\\/vn-421-quynh-luu ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=81,92> .

<https://w3id.org/vnkg/id/graph/t1#fact-1> a rdf:Statement ;
    rdf:subject id:event\\/2014-07-02.gap-mat.1 ;
    rdf:predicate schema:organizer ;
    rdf:object id:org\\/vn-421-quynh-luu.ubnd ;
    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=21,77> .
"""

GRAPH = ox.NamedNode("https://w3id.org/vnkg/id/graph/t1")
ART = "<https://w3id.org/vnkg/id/article/t1>"
CTX = "<https://w3id.org/vnkg/id/article/t1#char=0,128>"


def quads(ttl: str) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, GRAPH) for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]


def edited(*edits: tuple[str, str]) -> str:
    """ARTICLE with each (old, new) replacement applied; old must occur, or the test is void."""
    ttl = ARTICLE
    for old, new in edits:
        assert old in ttl, f"test edit does not apply: {old!r}"
        ttl = ttl.replace(old, new)
    return ttl


def violations(ttl: str) -> list[Violation]:
    report = validate_graph(quads(ttl))
    assert not report.conforms, "expected the graph not to conform"
    assert report.violations
    return report.violations


def test_article_graph_conforms():
    report = validate_graph(quads(ARTICLE))
    assert report.conforms, str(report)
    assert report.violations == []
    assert str(report) == "Conforms."
    assert bool(report)


def test_accepts_store_and_rdflib_graph():
    store = ox.Store()
    store.extend(quads(ARTICLE))
    assert validate_graph(store, graph=GRAPH).conforms
    # another graph of the same store is empty: nothing to violate
    assert validate_graph(store, graph=ox.NamedNode("https://w3id.org/vnkg/id/graph/none")).conforms
    g = rdflib.Graph()
    g.parse(data=ARTICLE, format="turtle")
    assert validate_graph(g).conforms
    bad = rdflib.Graph()
    bad.parse(data=edited(('schema:headline "Gặp mặt ở Quỳnh Lưu" ;', "")), format="turtle")
    assert not validate_graph(bad).conforms


def test_triples_are_accepted():
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads(ARTICLE)]
    assert validate_graph(triples).conforms


CASES = {
    "missing headline": (
        [('schema:headline "Gặp mặt ở Quỳnh Lưu" ;', "")],
        ART, "<https://schema.org/headline>", "exactly one schema:headline"),
    "two headlines": (
        [('schema:headline "Gặp mặt ở Quỳnh Lưu" ;', 'schema:headline "Gặp mặt ở Quỳnh Lưu" , "Khác" ;')],
        ART, "<https://schema.org/headline>", "exactly one schema:headline"),
    "empty headline": (
        [('schema:headline "Gặp mặt ở Quỳnh Lưu" ;', 'schema:headline "  " ;')],
        ART, "<https://schema.org/headline>", "non-empty"),
    "missing context": (
        [("vnkg:context <https://w3id.org/vnkg/id/article/t1#char=0,128> ;", "")],
        ART, None, "vnkg:context"),
    "context text is not a string": (
        [('nif:isString "Gặp mặt ở Quỳnh Lưu', 'nif:isString 42 ; rdfs:comment "Gặp mặt ở Quỳnh Lưu')],
        CTX, None, "nif:isString of a context must be a plain xsd:string"),
    "context without text": (
        [('nif:isString "Gặp mặt ở Quỳnh Lưu', 'rdfs:comment "Gặp mặt ở Quỳnh Lưu')],
        CTX, None, "exactly one nif:isString"),
    "context text has a language tag": (
        [("Ngăn ngừa bạo lực.\" ;", "Ngăn ngừa bạo lực.\"@vi ;")],
        CTX, None, "plain xsd:string"),
    "context offsets wrong": (
        [('nif:endIndex "128"^^xsd:nonNegativeInteger', 'nif:endIndex "120"^^xsd:nonNegativeInteger')],
        CTX, None, "do not cover its text of length 128"),
    "span end beyond the text": (
        [("nif:beginIndex 110 ; nif:endIndex 127 ;", "nif:beginIndex 110 ; nif:endIndex 140 ;")],
        CTX, None, "out of range"),
    "span begin after end": (
        [("nif:beginIndex 110 ; nif:endIndex 127 ;", "nif:beginIndex 127 ; nif:endIndex 110 ;")],
        CTX, None, "out of range"),
    "span negative begin": (
        [("nif:beginIndex 110 ; nif:endIndex 127 ;", "nif:beginIndex -1 ; nif:endIndex 127 ;")],
        CTX, None, "out of range"),
    "span offsets not integers": (
        [("nif:beginIndex 110 ; nif:endIndex 127 ;", 'nif:beginIndex "110" ; nif:endIndex 127 ;')],
        CTX, None, "not an integer"),
    "span without begin": (
        [("nif:beginIndex 110 ; nif:endIndex 127 ;", "nif:endIndex 127 ;")],
        "<https://w3id.org/vnkg/id/article/t1#char=110,127>", None, "nif:beginIndex"),
    "anchorOf differs from the text": (
        [('nif:anchorOf "Vi Văn Quỳnh"', 'nif:anchorOf "Vi Văn Quynh"')],
        CTX, None, 'anchorOf "Vi Văn Quynh" is not the text at offsets 64,76'),
    "anchorOf off by one": (
        [("nif:beginIndex 64 ; nif:endIndex 76 ;", "nif:beginIndex 63 ; nif:endIndex 75 ;")],
        CTX, None, "reads \" Vi Văn Quỳn\""),
    "span without anchorOf": (
        [('nif:anchorOf "3.000 người" ;', "")],
        "<https://w3id.org/vnkg/id/article/t1#char=81,92>", None, "nif:anchorOf"),
    "span without reference context": (
        [("nif:beginIndex 81 ; nif:endIndex 92 ; nif:anchorOf \"3.000 người\" ;\n"
          "    nif:referenceContext <https://w3id.org/vnkg/id/article/t1#char=0,128> .",
          "nif:beginIndex 81 ; nif:endIndex 92 ; nif:anchorOf \"3.000 người\" .")],
        "<https://w3id.org/vnkg/id/article/t1#char=81,92>", None, "nif:referenceContext"),
    "span IRI does not match offsets": (
        [("<https://w3id.org/vnkg/id/article/t1#char=110,127> a nif:Phrase",
          "<https://w3id.org/vnkg/id/article/t1#char=110,128> a nif:Phrase")],
        CTX, None, "IRI fragment does not match"),
    "sourceSpan to a span not in the graph": (
        [("vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=81,92> .",
          "vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=1,2> .")],
        "<https://w3id.org/vnkg/id/article/t1#char=1,2>", None, "vnkg:sourceSpan must point to a text span"),
    "meeting without type": (
        [("vnkg:eventType <https://w3id.org/vnkg/def/event-type/gap-mat> ;", "")],
        "<https://w3id.org/vnkg/id/event/2014-07-02.gap-mat.1>", None, "vnkg:eventType"),
    "meeting type is a literal": (
        [("vnkg:eventType <https://w3id.org/vnkg/def/event-type/gap-mat> ;", 'vnkg:eventType "gặp mặt" ;')],
        "<https://w3id.org/vnkg/id/event/2014-07-02.gap-mat.1>", None, "IRI of an event-type concept"),
    "meeting without source span": (
        [("schema:location id:place\\/vn-421-quynh-luu ;\n"
          "    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=21,77> .",
          "schema:location id:place\\/vn-421-quynh-luu .")],
        "<https://w3id.org/vnkg/id/event/2014-07-02.gap-mat.1>", None, "at least one vnkg:sourceSpan"),
    "start date as text": (
        [('schema:startDate "2014-07-02"^^xsd:date', 'schema:startDate "2 tháng 7"')],
        "<https://w3id.org/vnkg/id/event/2014-07-02.gap-mat.1>", None, "schema:startDate must be"),
    "start date ill-formed": (
        [('schema:startDate "2014-07-02"^^xsd:date', 'schema:startDate "2014-13-45"^^xsd:date')],
        "<https://w3id.org/vnkg/id/event/2014-07-02.gap-mat.1>", None, "schema:startDate must be"),
    "agency without label": (
        [('rdfs:label "Ủy ban nhân dân huyện Quỳnh Lưu"@vi ;', "")],
        "<https://w3id.org/vnkg/id/org/vn-421-quynh-luu.ubnd>", None, "must have an rdfs:label"),
    "person without label": (
        [('rdfs:label "Vi Văn Quỳnh" ;', "")],
        "<https://w3id.org/vnkg/id/person/vi-van-quynh.1>", None, "person (vnkg:Person) must have an rdfs:label"),
    "program without type": (
        [("vnkg:programType <https://w3id.org/vnkg/def/program-type/mo-hinh> ;", "")],
        "<https://w3id.org/vnkg/id/program/ngan-ngua-bao-luc>", None, "vnkg:programType"),
    "program without label": (
        [('rdfs:label "Ngăn ngừa bạo lực"@vi ;', "")],
        "<https://w3id.org/vnkg/id/program/ngan-ngua-bao-luc>", None, "programme (vnkg:Program) must have an rdfs:label"),
    "program without source span": (
        [("vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=110,127> .", ".")],
        "<https://w3id.org/vnkg/id/program/ngan-ngua-bao-luc>", None, "programme must have at least one vnkg:sourceSpan"),
    "membership without organization or role": (
        [("org:organization id:org\\/vn-421-quynh-luu.ubnd ;\n    org:role <https://w3id.org/vnkg/def/post/chu-tich> ;", "")],
        "<https://w3id.org/vnkg/id/membership/m1>", None, "org:organization or an org:role"),
    "membership without member": (
        [("org:member id:person\\/vi-van-quynh.1 ;", "")],
        "<https://w3id.org/vnkg/id/membership/m1>", None, "exactly one org:member"),
    "figure value is text": (
        [("vnkg:value 3000 ;", 'vnkg:value "3.000" ;')],
        "<https://w3id.org/vnkg/id/figure/t1-1>", None, "vnkg:value must be"),
    "figure without value": (
        [("vnkg:value 3000 ;", "")],
        "<https://w3id.org/vnkg/id/figure/t1-1>", None, "exactly one vnkg:value"),
    "figure without source span": (
        [("vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=81,92> .", ".")],
        "<https://w3id.org/vnkg/id/figure/t1-1>", None, "figure must have at least one vnkg:sourceSpan"),
    "statement without source span": (
        [("rdf:object id:org\\/vn-421-quynh-luu.ubnd ;\n"
          "    vnkg:sourceSpan <https://w3id.org/vnkg/id/article/t1#char=21,77> .",
          "rdf:object id:org\\/vn-421-quynh-luu.ubnd .")],
        "<https://w3id.org/vnkg/id/graph/t1#fact-1>", None, "statement node must have a vnkg:sourceSpan"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_violation_is_reported(case):
    edits, focus, path, text = CASES[case]
    found = violations(edited(*edits))
    hits = [v for v in found if v.focus == focus and text in v.message and (path is None or v.path == path)]
    assert hits, f"{case}: no violation at {focus} saying {text!r}; got:\n" + "\n".join(map(str, found))
    assert all(v.severity == "Violation" for v in hits)


def test_a_day_without_its_year_has_its_own_property():
    ttl = edited(('schema:startDate "2014-07-02"^^xsd:date', 'vnkg:startMonthDay "--07-02"^^xsd:gMonthDay'))
    assert validate_graph(quads(ttl)).conforms
    wrong = edited(('schema:startDate "2014-07-02"^^xsd:date', 'schema:startDate "--07-02"^^xsd:gMonthDay'))
    assert not validate_graph(quads(wrong)).conforms


def test_membership_with_role_only_conforms():
    ttl = edited(("org:organization id:org\\/vn-421-quynh-luu.ubnd ;", ""))
    assert validate_graph(quads(ttl)).conforms


def test_report_reads_well():
    report = validate_graph(quads(edited(('nif:anchorOf "Vi Văn Quỳnh"', 'nif:anchorOf "Vi Văn Quynh"'),
                                         ("vnkg:eventType <https://w3id.org/vnkg/def/event-type/gap-mat> ;", ""))))
    assert isinstance(report, Report) and not report
    assert len(report.violations) == 2
    text = str(report)
    assert text.startswith("Does not conform: 2 result(s)")
    assert "#char=64,76" in text  # the span at fault is named
    assert "meeting must have a vnkg:eventType" in text
    focus, path, message, severity = report.violations[0]  # plain tuples too
    assert severity == "Violation" and message


def test_shapes_are_cached_and_results_do_not_leak_between_calls():
    bad = edited(("vnkg:value 3000 ;", 'vnkg:value "x" ;'))
    assert not validate_graph(quads(bad)).conforms
    assert validate_graph(quads(ARTICLE)).conforms
    assert not validate_graph(quads(bad)).conforms

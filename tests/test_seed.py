"""The seed article's facts, each asserted through SPARQL on the built graph."""

from __future__ import annotations

import pytest

from kg.store import select
from kg.vocab import SPARQL_PREFIXES

ID = "https://w3id.org/vnkg/id/"


def ask(store, where: str) -> bool:
    return bool(store.query(SPARQL_PREFIXES + f"ASK {{ {where} }}", use_default_graph_as_union=True))


ARTICLE = """?a a vnkg:Article ; schema:headline "Quỳnh Lưu: Gặp mặt Ban VSTBPN tỉnh Xiêng Khoảng (CHDCND Lào)" ."""


def test_article_metadata(seed_store):
    assert ask(seed_store, ARTICLE + """ ?a schema:publisher/rdfs:label "Báo Nghệ An"@vi ;
        schema:author/schema:name "Thanh Toàn" .""")


@pytest.mark.parametrize("label, code, parent_code", [
    ("huyện Quỳnh Lưu", "421", "40"),
    ("tỉnh Nghệ An", "40", None),
    ("tỉnh Xiêng Khoảng", "LA-XI", "LA"),
    ("Lào", "LA", None),
])
def test_administrative_units_with_codes_and_parents(seed_store, label, code, parent_code):
    where = ARTICLE + f""" ?a schema:mentions ?u . ?u a/rdfs:subClassOf* vnkg:AdministrativeUnit ;
        rdfs:label|skos:altLabel "{label}"@vi ; skos:notation "{code}" ."""
    if parent_code:
        where += f""" ?u schema:containedInPlace/skos:notation "{parent_code}" ."""
    assert ask(seed_store, where)


def test_commune_son_hai_within_quynh_luu(seed_store):
    assert ask(seed_store, ARTICLE + """ ?a schema:mentions ?x . ?x a vnkg:Commune ; rdfs:label "xã Sơn Hải"@vi ;
        schema:containedInPlace/skos:notation "421" .""")


@pytest.mark.parametrize("name, code", [
    ("Ủy ban nhân dân huyện Quỳnh Lưu", "421"),
    ("Ban vì sự tiến bộ phụ nữ huyện Quỳnh Lưu", "421"),
    ("Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng", "LA-XI"),
    ("Sở Lao động thương binh và xã hội tỉnh Nghệ An", "40"),
])
def test_agencies_with_jurisdiction(seed_store, name, code):
    assert ask(seed_store, ARTICLE + f""" ?a schema:mentions ?o . ?o a vnkg:Agency ;
        rdfs:label|skos:altLabel "{name}"@vi ; vnkg:jurisdiction/skos:notation "{code}" .""")


def test_abbreviations_are_labels(seed_store):
    assert ask(seed_store, """?o a vnkg:Agency ; rdfs:label "Ủy ban nhân dân huyện Quỳnh Lưu"@vi ;
        skos:altLabel "UBND huyện Quỳnh Lưu"@vi .""")
    assert ask(seed_store, """?o a vnkg:Agency ; rdfs:label "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng"@vi ;
        skos:altLabel "Ban VSTBPN tỉnh Xiêng Khoảng"@vi .""")


def test_vi_van_quynh_is_deputy_director_of_the_department(seed_store):
    assert ask(seed_store, """?p a vnkg:Person ; rdfs:label "Vi Văn Quỳnh" ; org:memberOf ?o .
        ?m a org:Membership ; org:member ?p ; org:organization ?o ; org:role ?r .
        ?r skos:prefLabel "Phó Giám đốc"@vi ; skos:altLabel "PGĐ"@vi .
        ?o vnkg:jurisdiction/skos:notation "40" ; vnkg:agencyType/skos:prefLabel "Sở"@vi .""")


def test_meeting_of_2014_07_02(seed_store):
    rows = select(seed_store, "SELECT ?m ?sentence WHERE {" + ARTICLE + """ ?a schema:mentions ?m . ?m a vnkg:Meeting ;
        schema:startDate "2014-07-02"^^xsd:date ; vnkg:eventType/skos:prefLabel "gặp mặt"@vi ;
        schema:location/skos:notation "421" ; vnkg:sourceSpan/nif:anchorOf ?sentence . }""")
    assert len(rows) == 1
    assert rows[0]["sentence"].value.startswith("(Baonghean.vn) - Sáng 2/7")
    meeting = rows[0]["m"].value

    def names(prop):
        return {r["l"].value for r in select(seed_store, f"SELECT ?l WHERE {{ <{meeting}> {prop}/rdfs:label ?l }}")}

    assert names("schema:organizer") == {"Ủy ban nhân dân huyện Quỳnh Lưu", "Ban vì sự tiến bộ phụ nữ huyện Quỳnh Lưu"}
    assert {"Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng", "Vi Văn Quỳnh"} <= names("schema:attendee")


def test_programme_piloted_in_son_hai(seed_store):
    assert ask(seed_store, """?p a vnkg:Program ; rdfs:label "Ngăn ngừa và giảm thiểu tác hại bạo lực trên cơ sở giới"@vi ;
        vnkg:programType/skos:prefLabel "mô hình"@vi ; vnkg:isPilot true ;
        vnkg:implementedIn/rdfs:label "xã Sơn Hải"@vi ; vnkg:runBy/vnkg:jurisdiction/skos:notation "421" .""")


@pytest.mark.parametrize("value, unit, comparator", [
    (21, "lớp", "eq"), (3000, "lượt người", "gt"), (1100, "lao động", "eq"), (62, "%", "eq"),
])
def test_figures(seed_store, value, unit, comparator):
    assert ask(seed_store, f"""?f a vnkg:Figure ; vnkg:value {value}.0 ; vnkg:unit "{unit}"@vi ;
        vnkg:comparator "{comparator}" ; vnkg:sourceSpan ?s .""") or ask(seed_store, f"""?f a vnkg:Figure ;
        vnkg:value ?v ; vnkg:unit "{unit}"@vi ; vnkg:comparator "{comparator}" . FILTER(?v = {value})""")


def test_share_points_to_its_whole(seed_store):
    assert ask(seed_store, """?f vnkg:unit "%"@vi ; vnkg:value ?v ; vnkg:shareOf ?w . ?w vnkg:value ?t .
        FILTER(?v = 62 && ?t = 1100)""")


def test_every_span_points_into_the_text(seed_store):
    rows = select(seed_store, """SELECT ?s ?b ?e ?anchor ?text WHERE {
        ?s nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ; nif:referenceContext ?c .
        ?c nif:isString ?text }""")
    assert len(rows) > 20
    for r in rows:
        b, e = int(r["b"].value), int(r["e"].value)
        assert r["text"].value[b:e] == r["anchor"].value


def test_every_relation_has_a_source_span(seed_store):
    rows = select(seed_store, """SELECT ?p (COUNT(*) AS ?n) WHERE {
        GRAPH ?g { ?x ?p ?y } FILTER(STRSTARTS(STR(?g), "https://w3id.org/vnkg/id/graph/baonghean"))
        FILTER(?p IN (schema:organizer, schema:attendee, schema:location, vnkg:jurisdiction, org:memberOf, vnkg:implementedIn))
        FILTER NOT EXISTS { GRAPH ?g { ?st rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?y ; vnkg:sourceSpan ?span } }
    } GROUP BY ?p""")
    assert rows == []


def test_places_in_the_register_are_the_register_nodes(seed_store):
    assert ask(seed_store, f"""<{ID}place/vn-421-quynh-luu> skos:notation "421" .
        GRAPH <{ID}graph/gazetteer> {{ <{ID}place/vn-421-quynh-luu> schema:containedInPlace <{ID}place/vn-40-nghe-an> }}""")

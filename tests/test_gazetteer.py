"""The gazetteer: the register is complete, names resolve to one IRI, time and context are respected."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.gazetteer import (
    Gazetteer,
    gazetteer_quads,
    get_gazetteer,
    load_gazetteer,
    stored_version,
    version,
)
from kg.vocab import GAZETTEER_GRAPH, GEO, OWL, SCHEMA, SKOS, VNKG, thing


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


@pytest.fixture(scope="module")
def quads() -> list[ox.Quad]:
    return list(gazetteer_quads())


def vn(units, level, date):
    return [u for u in units if u.key.startswith("vn-") and u.level == level and u.valid_on(date)]


def test_register_before_and_after_the_reform(gaz):
    assert len(vn(gaz, "province", "2014-07-02")) == 63
    assert 690 <= len(vn(gaz, "district", "2014-07-02")) <= 710
    assert len(vn(gaz, "commune", "2014-07-02")) > 10_000
    assert len(vn(gaz, "province", "2025-07-01")) == 34
    assert len(vn(gaz, "commune", "2025-07-01")) == 3321
    assert vn(gaz, "district", "2025-07-01") == []  # the level was abolished


def test_codes_and_parents(gaz):
    nghe_an = gaz.get("vn-40-nghe-an")
    assert (nghe_an.code, nghe_an.level, nghe_an.full_name) == ("40", "province", "tỉnh Nghệ An")
    quynh_luu = gaz.get("vn-421-quynh-luu")
    assert (quynh_luu.code, quynh_luu.parent, quynh_luu.full_name) == ("421", "vn-40-nghe-an", "huyện Quỳnh Lưu")
    assert [u.key for u in gaz.ancestors("vn-17101-quynh-thang")] == ["vn-421-quynh-luu", "vn-40-nghe-an", "vn-viet-nam"]
    assert quynh_luu in gaz.children("vn-40-nghe-an", date="2014-07-02")
    assert quynh_luu not in gaz.children("vn-40-nghe-an", date="2025-08-01")
    assert gaz.resolve("huyện Quỳnh Lưu").unit.key == "vn-421-quynh-luu"
    assert [u.key for u in gaz.lookup_code("421")] == ["vn-421-quynh-luu"]
    # code 15 was Yên Bái until 2025-06-30 and is Lào Cai (Lào Cai + Yên Bái) since 2025-07-01
    assert [u.key for u in gaz.lookup_code("15", date="2014-07-02")] == ["vn-15-yen-bai"]
    assert [u.key for u in gaz.lookup_code("15", date="2025-08-01")] == ["vn-2025-15-lao-cai"]


@pytest.mark.parametrize("name", ["Thanh Hoá", "Thanh Hóa", "tỉnh Thanh Hoá", "THANH HÓA", "Thanh Hoa"])
def test_tone_placement_case_and_accents(gaz, name):
    assert gaz.resolve(name).unit.code == "38"


@pytest.mark.parametrize("name", ["TP Hồ Chí Minh", "TP. Hồ Chí Minh", "Tp HCM", "TP.HCM", "thành phố Hồ Chí Minh", "Sài Gòn"])
def test_city_abbreviations(gaz, name):
    assert gaz.resolve(name).unit.key == "vn-79-ho-chi-minh"


def test_same_commune_name_in_two_provinces(gaz):
    ambiguous = gaz.resolve("phường Ngọc Hà")
    assert ambiguous.unit is None and ambiguous.rule == "ambiguous"
    assert {u.key for u in ambiguous.candidates} == {"vn-00016-ngoc-ha", "vn-00692-ngoc-ha"}
    assert gaz.resolve("phường Ngọc Hà", context=["vn-01-ha-noi"]).unit.key == "vn-00016-ngoc-ha"
    assert gaz.resolve("phường Ngọc Hà", context=["vn-02-ha-giang"]).unit.key == "vn-00692-ngoc-ha"
    # nearest context first: an unrelated district does not stop the province from deciding
    assert gaz.resolve("Ngọc Hà", context=["vn-421-quynh-luu", "vn-02-ha-giang"]).unit.key == "vn-00692-ngoc-ha"
    # after the reform, the same context gives the 2025 ward
    assert gaz.resolve("phường Ngọc Hà", context=["vn-01-ha-noi"], date="2025-08-01").unit.key.startswith("vn-2025-")


def test_city_named_like_its_province(gaz):
    # tỉnh Thanh Hóa (38) and its capital, thành phố Thanh Hóa (380)
    assert gaz.resolve("thành phố Thanh Hóa").unit.key == "vn-380-thanh-hoa"
    assert gaz.resolve("TP Thanh Hóa").unit.key == "vn-380-thanh-hoa"
    assert gaz.resolve("Thanh Hóa", type_word="thành phố").unit.key == "vn-380-thanh-hoa"
    assert gaz.resolve("tỉnh Thanh Hóa").unit.key == "vn-38-thanh-hoa"
    bare = gaz.resolve("Thanh Hóa", context=["vn-38-thanh-hoa"])
    assert bare.unit.key == "vn-38-thanh-hoa" and bare.rule == "level"
    # huyện Quảng Ninh (Quảng Bình) against tỉnh Quảng Ninh: the context decides
    assert gaz.resolve("Quảng Ninh", context=["vn-44-quang-binh"]).unit.key == "vn-456-quang-ninh"
    assert gaz.resolve("huyện Quảng Ninh").unit.key == "vn-456-quang-ninh"
    assert gaz.resolve("Quảng Ninh").unit.key == "vn-22-quang-ninh"


def test_true_ambiguity_is_not_linked(gaz):
    r = gaz.resolve("xã Tân Sơn")
    assert r.unit is None and len(r.candidates) > 2
    assert all(u.type_word == "xã" for u in r.candidates)


def test_foreign_places(gaz):
    r = gaz.resolve("Xiêng Khoảng")
    assert (r.unit.key, r.unit.code, r.unit.parent) == ("la-xi-xieng-khoang", "LA-XI", "la-lao")
    assert gaz.resolve("tỉnh Xiangkhouang").unit.key == "la-xi-xieng-khoang"
    assert gaz.resolve("Hủa Phăn").unit.code == "LA-HO"
    assert gaz.get("la-lao").code == "LA"
    assert gaz.resolve("CHDCND Lào").unit.key == "la-lao"
    assert gaz.resolve("Mỹ").unit.key == "us-hoa-ky"
    la = [u for u in gaz.children("la-lao") if u.level == "province"]
    assert len(la) == 18 and len({u.code for u in la}) == 18


def test_units_of_the_article_date(gaz):
    assert gaz.resolve("Tuyên Quang", date="2014-07-02").unit.key == "vn-08-tuyen-quang"
    assert gaz.resolve("Tuyên Quang", date="2025-08-01").unit.key == "vn-2025-08-tuyen-quang"
    assert gaz.resolve("Tuyên Quang").unit.key == "vn-08-tuyen-quang"  # unknown date: before the reform
    # phường Láng exists only since 2025-07-01
    assert gaz.resolve("phường Láng", date="2025-08-01").unit.key.startswith("vn-2025-")
    assert gaz.resolve("phường Láng", date="2014-07-02").unit is None
    for u in gaz:
        if u.valid_from:
            r = gaz.resolve(u.full_name, date="2014-07-02")
            assert all(not c.valid_from for c in r.candidates)
            break
    # an untouched province is one node throughout
    assert gaz.resolve("Nghệ An", date="2025-08-01").unit.key == "vn-40-nghe-an"
    assert [(u.key, merged) for u, merged in gaz.successors("vn-02-ha-giang")] == [("vn-2025-08-tuyen-quang", True)]
    assert gaz.resolve("TP HCM", date="2025-08-01").unit.key == "vn-2025-79-ho-chi-minh"


def test_context_of_a_merged_province_reaches_its_successor(gaz):
    # xã Vĩnh Thanh (2025) exists in Hà Nội and in the new Cà Mau (Bạc Liêu + Cà Mau)
    assert gaz.resolve("xã Vĩnh Thanh", date="2025-08-01").unit is None
    r = gaz.resolve("xã Vĩnh Thanh", date="2025-08-01", context=["vn-95-bac-lieu"])
    assert r.unit.key == "vn-2025-31882-vinh-thanh" and r.rule == "context"


def test_quads_parse_and_describe_quynh_luu(quads):
    nq = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    parsed = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(quads) == len(set(quads))
    assert all(q.graph_name == GAZETTEER_GRAPH for q in quads)
    store = ox.Store()
    store.extend(quads)
    s = thing("place", "vn-421-quynh-luu")
    objects = lambda p: {q.object for q in store.quads_for_pattern(s, p, None, GAZETTEER_GRAPH)}  # noqa: E731
    assert objects(SKOS.notation) == {ox.Literal("421")}
    assert objects(SCHEMA.containedInPlace) == {thing("place", "vn-40-nghe-an")}
    assert ox.Literal("huyen quynh luu") in objects(SKOS.hiddenLabel)
    assert ox.Literal("Quỳnh Lưu", language="vi") in objects(SKOS.altLabel)
    assert objects(VNKG.validUntil) == {ox.Literal("2025-07-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
    (geom,) = objects(GEO.hasGeometry)
    (wkt,) = {q.object for q in store.quads_for_pattern(geom, GEO.asWKT, None, None)}
    assert wkt.value.startswith("POINT(105.") and wkt.datatype == GEO.wktLiteral


def test_load_is_idempotent(quads):
    store = ox.Store()
    n = load_gazetteer(store)
    size = lambda: sum(1 for _ in store.quads_for_pattern(None, None, None, GAZETTEER_GRAPH))  # noqa: E731
    assert n == size() == len(quads)
    assert stored_version(store) == version()
    assert load_gazetteer(store) == n and size() == n
    # an outdated or damaged graph is brought back to exactly the current one
    junk = ox.Quad(thing("place", "vn-00-nowhere"), SKOS.notation, ox.Literal("00"), GAZETTEER_GRAPH)
    store.add(junk)
    store.remove(next(iter(store.quads_for_pattern(None, OWL.versionInfo, None, GAZETTEER_GRAPH))))
    assert load_gazetteer(store) == n and size() == n
    assert junk not in set(store.quads_for_pattern(None, None, None, GAZETTEER_GRAPH))

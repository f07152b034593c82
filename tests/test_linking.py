"""One thing, one IRI: the same body, place or person named differently in different articles."""

from __future__ import annotations

import pytest

from kg.build import article_quads
from kg.pipeline import Resources, extract
from kg.reader import from_json
from kg.stats import duplicates
from kg.store import open_store, replace_graph
from kg.vocab import graph_of


@pytest.fixture(scope="module")
def res():
    return Resources.load()


def doc_of(res, title, body, published=""):
    art = from_json({"title": title, "body": body, "published": published}, "test")
    return extract(art, res)


def keys(doc, kind=None):
    return {k for k, e in doc.entities.items() if kind is None or e.kind == kind}


def test_full_and_abbreviated_names_are_one_agency(res):
    a = doc_of(res, "Quỳnh Lưu họp", "Sáng 2/7, UBND huyện Quỳnh Lưu tổ chức hội nghị.")
    b = doc_of(res, "Nghệ An: hội nghị", "Ủy ban nhân dân huyện Quỳnh Lưu (Nghệ An) vừa họp bàn.")
    c = doc_of(res, "Họp", "Uỷ ban Nhân dân huyện Quỳnh Lưu, tỉnh Nghệ An đã ban hành kế hoạch.")
    want = "vn-421-quynh-luu.ubnd"
    assert want in keys(a) and want in keys(b) and want in keys(c)
    labels = set(a.entities[want].alt_labels) | {a.entities[want].label}
    assert {"Ủy ban nhân dân huyện Quỳnh Lưu", "UBND huyện Quỳnh Lưu"} <= labels


def test_short_form_takes_the_home_territory(res):
    doc = doc_of(res, "Quỳnh Lưu: gặp mặt", "Sáng 2/7, Ban vì sự tiến bộ phụ nữ huyện tổ chức gặp mặt tại huyện Quỳnh Lưu.")
    assert "vn-421-quynh-luu.ban-vi-su-tien-bo-phu-nu" in keys(doc)


def test_commune_of_a_common_name_is_picked_by_context(res):
    # xã Sơn Hải exists in several provinces; the district named next to it decides
    doc = doc_of(res, "Bảo Thắng: nông thôn mới", "Xã Sơn Hải, huyện Bảo Thắng, tỉnh Lào Cai đạt chuẩn nông thôn mới.")
    communes = [e for e in doc.entities.values() if e.cls == "Commune"]
    assert [e.code for e in communes] == ["02929"] and communes[0].registered
    assert not doc.ambiguous


def test_a_true_ambiguity_stays_unlinked(res):
    doc = doc_of(res, "Tin vắn", "Người dân xã Sơn Hải góp ý về dự thảo.")
    assert not [e for e in doc.entities.values() if e.cls == "Commune"]
    assert len(doc.ambiguous) == 1 and len(doc.ambiguous[0][1]) >= 3


def test_a_district_named_like_its_provinces_city(res):
    city = doc_of(res, "Tin Thanh Hóa", "Chiều 5/3, UBND thành phố Thanh Hóa tổ chức hội nghị.")
    prov = doc_of(res, "Tin Thanh Hóa", "Chiều 5/3, UBND tỉnh Thanh Hóa tổ chức hội nghị.")
    assert "vn-380-thanh-hoa.ubnd" in keys(city)
    assert "vn-38-thanh-hoa.ubnd" in keys(prov)


def test_2014_article_gets_the_units_of_2014(res):
    doc = doc_of(res, "Hội nghị", "Sáng 2/7, UBND tỉnh Hà Giang tổ chức hội nghị.", published="2014-07-03")
    assert "vn-02-ha-giang" in keys(doc, "place")
    doc25 = doc_of(res, "Hội nghị", "Sáng 2/7, UBND tỉnh Tuyên Quang tổ chức hội nghị.", published="2025-09-03")
    assert any(k.startswith("vn-2025-08-") for k in keys(doc25, "place"))


def test_people_merge_only_with_the_same_organisation(res):
    a = doc_of(res, "A", "Ông Hoàng Danh Lai, Chủ tịch UBND huyện Quỳnh Lưu phát biểu.")
    b = doc_of(res, "B", "Chiều 9/2, ông Hoàng Danh Lai – Chủ tịch UBND huyện Quỳnh Lưu trao quà.")
    c = doc_of(res, "C", "Ông Hoàng Danh Lai, nông dân xã Quỳnh Hoa, chia sẻ kinh nghiệm.")
    pa, pb, pc = (keys(d, "person") for d in (a, b, c))
    assert pa == pb and len(pa) == 1
    assert not (pa & pc)


def test_no_duplicates_after_building_many_articles(res, tmp_path):
    store = open_store(tmp_path / "s")
    bodies = [
        ("Quỳnh Lưu: hội nghị", "Sáng 2/7, UBND huyện Quỳnh Lưu phối hợp với Hội LHPN huyện tổ chức hội nghị."),
        ("Nghệ An họp", "Ủy ban nhân dân huyện Quỳnh Lưu và Sở Y tế tỉnh Nghệ An làm việc với Sở Y tế Nghệ An."),
        ("Quỳnh Lưu", "Lãnh đạo Huyện ủy, HĐND, UBND huyện Quỳnh Lưu dự lễ khánh thành."),
    ]
    for title, body in bodies:
        key, quads = article_quads(from_json({"title": title, "body": body}, "t"), res)
        replace_graph(store, graph_of(key), quads)
    assert duplicates(store) == []
    # the same agency from three articles is one node mentioned by three articles
    rows = list(store.query("""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a <https://schema.org/mentions>
        <https://w3id.org/vnkg/id/org/vn-421-quynh-luu.ubnd> } }"""))
    assert rows[0]["n"].value == "3"


def test_merged_entity_page_shows_all_names_and_articles(res, tmp_path):
    from server import create_app

    app = create_app(store=str(tmp_path / "pages"))
    for title, body in [("Quỳnh Lưu: hội nghị tổng kết", "Sáng 2/7, UBND huyện Quỳnh Lưu tổ chức hội nghị."),
                        ("Nghệ An: tiếp đoàn Lào", "Ủy ban nhân dân huyện Quỳnh Lưu đã tiếp đoàn công tác.")]:
        key, quads = article_quads(from_json({"title": title, "body": body}, "t"), res)
        app.extensions["vnkg"].write(lambda store: replace_graph(store, graph_of(key), quads))
    html = app.test_client().get("/id/org/vn-421-quynh-luu.ubnd", headers={"Accept": "text/html"}).get_data(as_text=True)
    for text in ("Ủy ban nhân dân huyện Quỳnh Lưu", "UBND huyện Quỳnh Lưu", "Quỳnh Lưu: hội nghị tổng kết",
                 "Nghệ An: tiếp đoàn Lào"):
        assert text in html, text

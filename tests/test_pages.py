"""The pages a person browses and their machine twins, with Flask's test client.

The store is filled from tests/fixtures/*.trig: a hand-made graph of the seed article shaped like
docs/graph-model.md, and an article whose text holds markup and script.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from server import create_app
from server.search import invalidate

FIXTURES = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/vnkg/id/"
LAO_BAN = "/id/org/la-xi-xieng-khoang.ban-vstbpn"
ARTICLE = "/id/article/5cc79a5ea2a831f7"
MEETING = "/id/event/2014-07-02.gap-mat.8c2e"


def fill(store: ox.Store) -> None:
    for name in ("seed.trig", "xss.trig"):
        store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TRIG)
    invalidate(store)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(store=str(tmp_path_factory.mktemp("store")))
    app.testing = True
    app.extensions["vnkg"].write(fill)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def html(client, url, **kw):
    r = client.get(url, headers={"Accept": "text/html", "Accept-Language": kw.pop("lang", "vi")}, **kw)
    return r, r.get_data(as_text=True)


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


# ------------------------------------------------------------------ fixture sanity


def test_fixture_offsets_point_into_the_text():
    store = ox.Store()
    fill(store)
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    rows = store.query(
        f"""SELECT ?a ?b ?e ?s WHERE {{ GRAPH ?g {{ ?x <{nif}anchorOf> ?a ; <{nif}beginIndex> ?b ; <{nif}endIndex> ?e ;
        <{nif}referenceContext> ?c . ?c <{nif}isString> ?s }} }}"""
    )
    n = 0
    for r in rows:
        assert r["s"].value[int(r["b"].value) : int(r["e"].value)] == r["a"].value
        n += 1
    assert n > 20


# ------------------------------------------------------------------ resource pages


def test_entity_page_shows_names_types_facts_links_and_sources(client):
    r, page = html(client, LAO_BAN)
    assert r.status_code == 200 and r.mimetype == "text/html"
    text = text_of(page)
    assert "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng" in text
    assert "Ban VSTBPN tỉnh Xiêng Khoảng" in text  # alias
    assert "Cơ quan" in text  # type label from the ontology (@vi)
    assert "địa bàn quản lý" in text  # vnkg:jurisdiction, readable
    assert 'href="/id/place/la-xi-xieng-khoang"' in page
    # the meeting it attended, with its date and the sentence that reports it
    assert f'href="{MEETING}"' in page and "2014-07-02" in text
    assert "thành phần tham dự" in text  # incoming schema:attendee
    # source sentences with the mention highlighted and the article linked
    assert '<mark class="hl">Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng</mark>' in page
    assert f'href="{ARTICLE}"' in page
    assert 'href="/id/article/5cc79a5ea2a831f7#char=' in page


def test_property_labels_follow_the_language(client):
    _, vi = html(client, LAO_BAN, lang="vi")
    _, en = html(client, LAO_BAN, lang="en")
    assert "địa bàn quản lý" in vi and "jurisdiction" in text_of(en)
    _, switched = html(client, LAO_BAN + "?lang=en", lang="vi")
    assert "Facts" in text_of(switched)


def test_every_term_the_pages_name_has_a_vietnamese_and_an_english_label():
    """The ontology files name, in both languages, every class and property they declare and every
    one the graph uses (shaped like tests/fixtures/seed.trig), reused ones (schema:attendee,
    itsrdf:taIdentRef …) and RDF's own (rdf:type, rdfs:subClassOf …) included."""
    from kg.build import load_ontology

    store = ox.Store()
    load_ontology(store)
    data = ox.Store()
    fill(data)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    declared = {ox.NamedNode("http://www.w3.org/2002/07/owl#" + k) for k in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty")}
    terms = {q.subject for k in declared for q in store.quads_for_pattern(None, rdf_type, k, None) if isinstance(q.subject, ox.NamedNode)}
    for s in (store, data):
        terms |= {q.predicate for q in s}
        terms |= {q.object for q in s.quads_for_pattern(None, rdf_type, None, None) if isinstance(q.object, ox.NamedNode)}
    terms = {t for t in terms if not t.value.startswith("http://www.w3.org/ns/shacl#")}  # the shapes' own vocabulary
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    missing = sorted(
        t.value for t in terms
        if not {"vi", "en"} <= {q.object.language for q in store.quads_for_pattern(t, label, None, None)}
    )
    assert not missing, f"without rdfs:label in vi and en: {missing}"


def test_day_without_a_year_is_written_out(app):
    from server.pages import day

    with app.test_request_context("/?lang=vi"):
        assert day("--07-02") == "2/7, không rõ năm" and day("--07") == "tháng 7, không rõ năm"
        assert day("2014-07-02") == "2014-07-02" and day(None) == ""
    with app.test_request_context("/?lang=en"):
        assert day("--07-02") == "2 Jul, year unknown"


def test_language_switch_sets_a_cookie(client):
    r = client.get("/?lang=en", headers={"Accept-Language": "vi"})
    assert "vnkg_lang=en" in r.headers.get("Set-Cookie", "")
    r2 = client.get("/", headers={"Accept-Language": "vi", "Cookie": "vnkg_lang=en"})
    assert "Counts per class" in r2.get_data(as_text=True)


def test_meeting_page_has_its_participants_and_sentence(client):
    r, page = html(client, MEETING)
    text = text_of(page)
    assert r.status_code == 200
    for who in ("Ủy ban nhân dân huyện Quỳnh Lưu", "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng", "huyện Quỳnh Lưu", "Vi Văn Quỳnh"):
        assert who in text
    assert "Sáng 2/7" in text  # the reporting sentence
    assert 'class="src"' in page  # per-fact provenance link


def test_def_terms_have_pages(client):
    r, page = html(client, "/def/post/pho-giam-doc")
    assert r.status_code == 200 and "Phó Giám đốc" in page and "PGĐ" in page
    r, page = html(client, "/resource?iri=https%3A%2F%2Fw3id.org%2Fvnkg%2Fdef%2Fcore%23Agency")
    assert r.status_code == 200 and "Cơ quan" in page
    # the instances of a class are the links to it, counted
    assert "Ủy ban nhân dân huyện Quỳnh Lưu" in text_of(page)


def test_incoming_links_are_paged_not_cut(client, monkeypatch):
    import server.resources as res

    monkeypatch.setattr(res, "LINKS_PER_PAGE", 2)
    _, page = html(client, "/id/place/vn-421-quynh-luu")
    assert "rel=\"next\"" in page and "Hiển thị 1–2 trong" in page
    _, page2 = html(client, "/id/place/vn-421-quynh-luu?page=2")
    assert "Hiển thị 3–4 trong" in page2


def test_unknown_resource_is_a_readable_404(client):
    r, page = html(client, "/id/org/no-such-thing.quynh-luu")
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert "404" in page and "https://w3id.org/vnkg/id/org/no-such-thing.quynh-luu" in page
    assert "Quỳnh Lưu" in page  # suggestions from the name
    r = client.get("/id/org/no-such-thing", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert client.get("/resource?iri=not%20an%20iri").status_code == 400


# ------------------------------------------------------------------ twins


@pytest.mark.parametrize(
    "accept,mimetype,fmt",
    [
        ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle", ox.RdfFormat.TURTLE),
        ("text/html;q=0.9, text/turtle;q=0.5", "text/html", None),
    ],
)
def test_twins_by_accept(client, accept, mimetype, fmt):
    r = client.get(LAO_BAN, headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == mimetype
    assert "Accept" in r.headers.get("Vary", "")
    if fmt is not None:
        triples = list(ox.parse(r.data, format=fmt))
        subject = ox.NamedNode(ID + "org/la-xi-xieng-khoang.ban-vstbpn")
        preds = {t.predicate.value for t in triples if t.subject == subject}
        assert "https://w3id.org/vnkg/def/core#jurisdiction" in preds
        # incoming links too, as DBpedia gives them
        assert any(t.object == subject and t.predicate.value == "https://schema.org/attendee" for t in triples)


@pytest.mark.parametrize("suffix,mimetype,fmt", [("ttl", "text/turtle", ox.RdfFormat.TURTLE), ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD), ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_twins_by_suffix(client, suffix, mimetype, fmt):
    r = client.get(f"{LAO_BAN}.{suffix}", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == mimetype
    assert any(t.predicate.value.endswith("#label") for t in ox.parse(r.data, format=fmt))


def test_article_twin_holds_its_text_sentences_and_phrases(client):
    r = client.get(ARTICLE + ".ttl")
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples}
    assert any(s.startswith(ID + "article/5cc79a5ea2a831f7#char=") for s in subjects)
    assert any(t.predicate.value.endswith("#isString") for t in triples)


def test_twin_is_linked_from_the_page(client):
    r, page = html(client, LAO_BAN)
    assert f'href="{LAO_BAN}.ttl"' in page and f'href="{LAO_BAN}.jsonld"' in page
    assert 'rel="alternate"' in r.headers.get("Link", "")


def test_named_graph_page_and_twin(client):
    r, page = html(client, "/id/graph/5cc79a5ea2a831f7")
    assert r.status_code == 200 and ARTICLE in page
    r = client.get("/id/graph/5cc79a5ea2a831f7.nt")
    assert r.status_code == 200 and len(list(ox.parse(r.data, format=ox.RdfFormat.N_TRIPLES))) > 100


# ------------------------------------------------------------------ articles


def test_article_page_highlights_and_links_every_mention(client):
    r, page = html(client, ARTICLE)
    assert r.status_code == 200
    assert "Quỳnh Lưu: Gặp mặt Ban VSTBPN tỉnh Xiêng Khoảng" in page
    # nested mentions: the agency and, inside it, the place
    nested = re.findall(r'<mark class="mention k-org"[^>]*>(.*?)</mark></mark>', page)
    ubnd = [m for m in nested if 'href="/id/org/vn-421-quynh-luu.ubnd">UBND </a>' in m]
    assert ubnd and '<a href="/id/place/vn-421-quynh-luu">huyện Quỳnh Lưu</a>' in ubnd[0]
    assert 'href="/id/person/vi-van-quynh.5b1f"' in page
    assert 'id="char=' in page  # sentences are anchors
    text = text_of(page)
    # what it mentions, grouped by class, and the relations with their source
    for heading in ("Cơ quan", "Huyện", "Cuộc gặp", "Số liệu", "Chương trình"):
        assert heading in text
    assert "đơn vị tổ chức" in text


def test_article_text_is_escaped(client):
    r, page = html(client, "/id/article/xss-test")
    assert r.status_code == 200
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>đậm" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page  # shown, never linked
    assert 'href="/id/org/vn-421-quynh-luu.ubnd"' in page  # offsets still right after the markup
    assert '>UBND huyện Quỳnh Lưu</a>' in page
    _, search = html(client, "/search?q=thu")
    assert "<script>alert" not in search


# ------------------------------------------------------------------ security headers


@pytest.mark.parametrize("url", ["/", "/search?q=a", LAO_BAN, ARTICLE, "/id/nothing-here", "/timeline", "/ontology", "/sparql-ui"])
def test_html_pages_have_a_strict_csp(client, url):
    r = client.get(url, headers={"Accept": "text/html"})
    csp = r.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    body = r.get_data(as_text=True)
    # no inline script: every <script> has a src or is JSON data
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "http://" not in re.sub(r'(href|title|data-[a-z]+)="[^"]*"|<code[^>]*>[^<]*</code>', "", body).split("<main>")[0]


# ------------------------------------------------------------------ home and search


def test_home_counts_latest_and_search_box(client):
    r, page = html(client, "/")
    text = text_of(page)
    assert r.status_code == 200
    assert re.search(r"Cơ quan\s+4\b", text)  # four agencies
    assert re.search(r"Bài báo\s+2\b", text)
    assert "Gặp mặt chia sẻ kinh nghiệm" in text  # latest meetings
    assert 'name="q"' in page
    data = client.get("/", headers={"Accept": "application/json"}).get_json()
    assert {c["class"].rsplit("#")[-1]: c["count"] for c in data["counts"]}["Agency"] == 4


def _search(client, q):
    data = client.get("/api/search", query_string={"q": q}).get_json()
    return [r["label"] for r in data["results"]], data


@pytest.mark.parametrize("q", ["xieng khoang", "Xiêng Khoảng", "XIÊNG KHOẢNG", "xieng khoan"])
def test_search_with_or_without_diacritics_and_partial(client, q):
    labels, _ = _search(client, q)
    assert "tỉnh Xiêng Khoảng" in labels
    assert "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng" in labels


def test_search_tone_placement_and_abbreviations(client):
    # "Ủy" and "Uỷ" are the same word; UBND stands for Ủy ban nhân dân
    assert "Ủy ban nhân dân huyện Quỳnh Lưu" in _search(client, "Uỷ ban nhân dân Quỳnh Lưu")[0]
    labels, data = _search(client, "ubnd quynh luu")
    assert labels[0] == "Ủy ban nhân dân huyện Quỳnh Lưu"
    assert "huyện Quỳnh Lưu" in data["results"][0]["context"]  # the jurisdiction
    assert "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng" in _search(client, "ban vstbpn xieng")[0]


def test_search_page_groups_by_class_with_context(client):
    _, page = html(client, "/search?q=quynh+luu")
    text = text_of(page)
    assert "Cơ quan" in text and "Huyện" in text
    m = re.search(r"huyện Quỳnh Lưu</a>.*?</li>", page, re.S)
    assert m and "tỉnh Nghệ An" in m.group(0)  # the province of the district
    assert client.get("/search?q=quynh&format=json").get_json()["results"]
    _, none = html(client, "/search?q=zzzzqqq")
    assert "Không có kết quả" in none


def test_search_index_follows_the_store(app, client):
    label = ox.Quad(ox.NamedNode(ID + "place/vn-388-hoang-hoa"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("huyện Hoằng Hoá", language="vi"), ox.NamedNode(ID + "graph/gazetteer"))
    assert not _search(client, "Hoằng Hóa")[0]
    app.extensions["vnkg"].write(lambda store: store.add(label))
    assert "huyện Hoằng Hoá" in _search(client, "Hoằng Hóa")[0]  # either tone placement
    app.extensions["vnkg"].write(lambda store: store.remove(label))
    assert not _search(client, "Hoằng Hóa")[0]


def test_search_sees_a_write_through_the_server_at_once(tmp_path):
    """No waiting for the periodic store check: the write bumps the server's write count, and the
    next search rebuilds the index (the gazetteer's part is kept)."""
    app = create_app(store=str(tmp_path / "store"), update_token="secret")
    app.testing = True
    app.extensions["vnkg"].write(fill)
    client = app.test_client()
    assert _search(client, "xieng khoang")[0]  # the index is built
    assert not _search(client, "Hoằng Hóa")[0]
    graph, thing = ID + "graph/test-write", ID + "place/vn-388-hoang-hoa"
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{thing}> <http://www.w3.org/2000/01/rdf-schema#label> "huyện Hoằng Hoá"@vi }} }}'
    r = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer secret"})
    assert r.status_code in (200, 204), r.get_data(as_text=True)
    assert "huyện Hoằng Hoá" in _search(client, "Hoằng Hóa")[0]
    r = client.post("/sparql", data={"update": f"DROP GRAPH <{graph}>"}, headers={"Authorization": "Bearer secret"})
    assert r.status_code in (200, 204)
    assert not _search(client, "Hoằng Hóa")[0]


# ------------------------------------------------------------------ other pages and their twins


def test_timeline_filters(client):
    _, page = html(client, "/timeline")
    assert "Gặp mặt chia sẻ kinh nghiệm" in page
    data = client.get("/timeline", query_string={"org": "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng"}, headers={"Accept": "application/json"}).get_json()
    assert data["total"] == 1
    data = client.get("/timeline?place=nghe+an&format=json").get_json()
    assert data["total"] == 1  # held in huyện Quỳnh Lưu, inside tỉnh Nghệ An
    assert client.get("/timeline?from=2015&format=json").get_json()["total"] == 0
    assert client.get("/timeline?from=2014-07&to=2014-07&format=json").get_json()["total"] == 1
    bad = client.get("/timeline?from=July&format=json").get_json()
    assert bad["errors"]


def test_ontology_page_and_twins(client):
    _, page = html(client, "/ontology")
    text = text_of(page)
    assert "vnkg:Agency" in text and "Cơ quan" in text and "A public body." not in text and "Cơ quan, tổ chức công." in text
    assert "vnkg:jurisdiction" in text
    data = client.get("/ontology", headers={"Accept": "application/json"}).get_json()
    agency = next(x for x in data["terms"] if x["iri"].endswith("#Agency"))
    assert agency["uses"] == 4 and agency["super"]
    r = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle" and list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    assert client.get("/def/core.ttl").mimetype == "text/turtle"


def test_sparql_ui_page_and_twin(client):
    _, page = html(client, "/sparql-ui")
    assert 'id="yasgui"' in page and "Xiêng Khoảng" in page
    data = client.get("/sparql-ui?format=json").get_json()
    assert data["endpoint"] == "/sparql" and data["prefixes"]["vnkg"].endswith("core#")
    assert len(data["examples"]) >= 3


def test_neighbours_api(client):
    data = client.get("/api/neighbours", query_string={"iri": ID + "org/la-xi-xieng-khoang.ban-vstbpn"}).get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert ID + "place/la-xi-xieng-khoang" in ids and ID + "event/2014-07-02.gap-mat.8c2e" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert client.get("/api/neighbours?iri=nope").status_code == 400
    assert client.get("/api/neighbours", query_string={"iri": ID + "nothing"}).status_code == 404


def test_rdf_12_triple_terms_show_on_pages_and_refuse_only_json_ld(tmp_path):
    # A Graph Store or SPARQL Update write may bring RDF 1.2 triple terms, which JSON-LD cannot
    # write: the page shows them, the formats that can say them do, and JSON-LD is refused up front.
    app = create_app(store=str(tmp_path / "store"), update_token="t")
    client = app.test_client()
    thing, graph = ID + "thing/x", "http://example.org/g"
    update = f'INSERT DATA {{ GRAPH <{graph}> {{ <{thing}> <http://example.org/says> <<( <http://example.org/a> <http://example.org/b> "c" )>> }} }}'
    assert client.post("/update", data=update, content_type="application/sparql-update", headers={"Authorization": "Bearer t"}).status_code == 204
    r, page = html(client, "/id/thing/x")
    assert r.status_code == 200 and "&lt;&lt;( &lt;http://example.org/a&gt;" in page
    assert client.get("/id/thing/x.ttl").status_code == 200
    r = client.get("/id/thing/x.jsonld")
    assert r.status_code == 406 and b"RDF 1.2" in r.data and b".ttl" in r.data
    assert client.get("/export.ttl").status_code == 200
    r = client.get("/export.jsonld")
    assert r.status_code == 400 and b"triple terms" in r.data
    r = client.get("/store", query_string={"graph": graph}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 406 and b"text/turtle" in r.data
    assert client.get("/store", query_string={"graph": graph}, headers={"Accept": "text/turtle"}).status_code == 200
    app.extensions["vnkg"].close()


def test_a_page_number_past_any_page_is_an_empty_page(client):
    r = client.get("/timeline?page=99999999999999999999999&format=json")
    assert r.status_code == 200 and r.get_json()["events"] == [] and r.get_json()["total"] == 1
    assert client.get("/timeline?page=99999999999999999999999").status_code == 200

"""The Service Description at the endpoints and the VoID description of the dataset."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.sharing import note_write
from server import create_app

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
CORE = "https://w3id.org/vnkg/def/core#"
EX = "http://example.org/"


def triples(response, fmt=ox.RdfFormat.TURTLE) -> list[ox.Triple]:
    assert response.status_code == 200, response.data
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.data, fmt)]


def objects(ts, predicate: str) -> set[str]:
    return {t.object.value for t in ts if t.predicate.value == predicate}


def value(ts, subject: str, predicate: str) -> int:
    (found,) = [t.object.value for t in ts if t.subject.value == subject and t.predicate.value == predicate]
    return int(found)


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="t"))
    yield app
    app.extensions["vnkg"].close()


def test_service_description_at_the_endpoint(app):
    client = app.test_client()
    ts = triples(client.get("/sparql", headers={"Accept": "text/turtle, application/rdf+xml;q=0.9"}))
    assert objects(ts, SD + "endpoint") == {"http://localhost/sparql"}
    assert objects(ts, SD + "supportedLanguage") == {SD + "SPARQL11Query", SD + "SPARQL11Update"}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in objects(ts, SD + "resultFormat")
    assert SD + "UnionDefaultGraph" in objects(ts, SD + "feature")
    assert objects(ts, SD + "defaultDataset") == {"http://localhost/.well-known/void#dataset"}
    # Without Accept (curl) too; and as JSON-LD; a browser gets the help page.
    assert objects(triples(client.get("/sparql")), SD + "endpoint") == {"http://localhost/sparql"}
    assert objects(triples(client.get("/query", headers={"Accept": "application/ld+json"}), ox.RdfFormat.JSON_LD), SD + "endpoint") == {"http://localhost/query"}
    assert client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"}).mimetype == "text/html"
    ts = triples(client.get("/update"))
    assert objects(ts, SD + "supportedLanguage") == {SD + "SPARQL11Update"}


def test_read_only_service_does_not_offer_update(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store")))
    try:
        ts = triples(app.test_client().get("/sparql", headers={"Accept": "text/turtle"}))
        assert objects(ts, SD + "supportedLanguage") == {SD + "SPARQL11Query"}
        assert SD + "BasicFederatedQuery" not in objects(ts, SD + "feature")
    finally:
        app.extensions["vnkg"].close()


def test_void_counts_follow_the_store(app, tmp_path, monkeypatch):
    from server.state import StatsCache

    monkeypatch.setattr(StatsCache, "GRAPH_CHECK_EVERY", 0.0)  # count the graphs on every ask
    client = app.test_client()
    dataset = "http://localhost/.well-known/void#dataset"
    ts = triples(client.get("/.well-known/void"))
    assert value(ts, dataset, VOID + "triples") == 0
    assert objects(ts, VOID + "sparqlEndpoint") == {"http://localhost/sparql"}
    article = "https://w3id.org/vnkg/id/article/x1"
    agency = "https://w3id.org/vnkg/id/org/vn-01.ubnd"
    update = f"""INSERT DATA {{ GRAPH <https://w3id.org/vnkg/id/graph/x1> {{
        <{article}> a <{CORE}Article> ; <https://schema.org/mentions> <{agency}> .
        <{agency}> a <{CORE}Agency> ; <http://www.w3.org/2000/01/rdf-schema#label> "UBND thành phố Hà Nội"@vi . }} }}"""
    r = client.post("/update", data=update, content_type="application/sparql-update", headers={"Authorization": "Bearer t"})
    assert r.status_code == 204
    ts = triples(client.get("/void", headers={"Accept": "text/turtle"}))
    assert value(ts, dataset, VOID + "triples") == 4
    assert value(ts, dataset, VOID + "classes") == 2
    assert value(ts, dataset, VOID + "properties") == 3
    assert value(ts, dataset, VOID + "documents") == 1
    assert value(ts, dataset, CORE + "namedGraphs") == 1
    assert objects(ts, VOID + "exampleResource") == {article, agency}
    assert {CORE + "Article", CORE + "Agency"} <= objects(ts, VOID + "class")
    # A write by another program that counts its writes (as `vnkg build` does) is seen too.
    other = ox.Store(str(tmp_path / "store"))
    other.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"), ox.NamedNode(EX + "g")))
    del other
    note_write(tmp_path / "store")
    ts = triples(client.get("/.well-known/void", query_string={"format": "ntriples"}), ox.RdfFormat.N_TRIPLES)
    assert value(ts, dataset, VOID + "triples") == 5
    assert value(ts, dataset, CORE + "namedGraphs") == 2
    # The Service Description gives the default graph's size once it is counted.
    ts = triples(client.get("/sparql", headers={"Accept": "text/turtle"}))
    assert "5" in objects(ts, VOID + "triples")


def test_void_over_the_seed(seed_store_dir, tmp_path):
    import shutil

    path = tmp_path / "store"
    shutil.copytree(seed_store_dir, path)
    app = create_app(Settings(store=str(path)))
    try:
        ts = triples(app.test_client().get("/.well-known/void"))
        dataset = "http://localhost/.well-known/void#dataset"
        assert value(ts, dataset, VOID + "triples") > 1000
        assert value(ts, dataset, VOID + "documents") == 1
        examples = objects(ts, VOID + "exampleResource")
        assert any("/article/" in e for e in examples) and any("/org/" in e for e in examples)
        assert app.test_client().get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
    finally:
        app.extensions["vnkg"].close()

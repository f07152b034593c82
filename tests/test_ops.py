"""Operations: /health, /metrics, CORS on reads (not on writes), cross-site writes refused."""

from __future__ import annotations

import os
import re
import signal
import time

import pytest

from kg.config import Settings
from server import create_app

INSERT = "INSERT DATA { <http://example.org/s> <http://example.org/p> 'o' }"
ASK = "ASK { <http://example.org/s> ?p ?o }"


def make(tmp_path, **kw):
    return create_app(Settings(store=str(tmp_path / "store"), query_workers=1, **kw))


@pytest.fixture
def app(tmp_path):
    app = make(tmp_path, update_token="t")
    yield app
    app.extensions["vnkg"].close()


def asked(client) -> bool:
    return client.get("/sparql", query_string={"query": ASK}).json["boolean"]


def test_health(app):
    client = app.test_client()
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json["ok"] is True and r.json["store"]["readable"] is True
    assert r.json["workers"] == {"alive": 1, "wanted": 1}
    r = client.get("/health?deep=1")
    assert r.status_code == 200 and r.json["workers"]["query"] == "ok"


def test_health_reports_a_dead_worker_and_queries_go_on(app):
    client = app.test_client()
    assert client.get("/health").status_code == 200
    pool = app.extensions["vnkg"].queries
    (worker,) = list(pool._all)
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)
    r = client.get("/health")
    assert r.status_code == 503 and r.json["ok"] is False and r.json["workers"]["alive"] == 0
    # (a query the workers answer: one about a single resource is answered in the web process)
    r = client.get("/sparql", query_string={"query": "ASK { ?s <http://example.org/p> ?o }"})
    assert r.json["boolean"] is False  # the dead worker is replaced before the query
    assert client.get("/health").status_code == 200


def metric(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = "^" + re.escape(name + ("{" + wanted + "}" if labels else "")) + r" (\S+)$"
    found = re.search(pattern, text, re.M)
    assert found, f"{name} {labels} not in the metrics"
    return float(found.group(1))


def test_metrics(app):
    client = app.test_client()
    for _ in range(3):
        client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    client.get("/sparql", query_string={"query": "SELECT WHERE {"})
    client.post("/update", data=INSERT, content_type="application/sparql-update", headers={"Authorization": "Bearer t"})
    client.post("/update", data=INSERT, content_type="application/sparql-update")
    client.put("/store?default", data=b"<http://a/b> <http://a/c> 1 .", content_type="text/turtle", headers={"Authorization": "Bearer t"})
    r = client.get("/metrics")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert metric(text, "vnkg_sparql_queries_total", form="SELECT", format="json") == 3
    assert metric(text, "vnkg_sparql_queries_total", form="ASK", format="xml") == 1
    assert metric(text, "vnkg_sparql_query_errors_total", status="400") == 1
    assert metric(text, "vnkg_sparql_updates_total", status="204") == 1
    assert metric(text, "vnkg_sparql_updates_total", status="401") == 1
    assert metric(text, "vnkg_graph_store_requests_total", method="PUT", status="204") == 1
    assert metric(text, "vnkg_sparql_query_timeouts_total") == 0
    assert metric(text, "vnkg_sparql_busy_total") == 0
    assert metric(text, "vnkg_sparql_query_duration_seconds_count") == 5
    assert metric(text, "vnkg_sparql_query_duration_seconds_bucket", le="+Inf") == 5
    assert metric(text, "vnkg_query_workers_alive") == 1
    assert metric(text, "vnkg_store_writes") == 2


def test_timeouts_are_counted(tmp_path):
    import pyoxigraph as ox

    app = make(tmp_path, query_timeout=1.0)
    try:
        app.extensions["vnkg"].write(lambda store: store.extend([ox.Quad(ox.NamedNode(f"http://a/{i}"), ox.NamedNode("http://a/p"), ox.Literal(str(i))) for i in range(300)]))
        client = app.test_client()
        r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})
        assert r.status_code == 503
        text = client.get("/metrics").get_data(as_text=True)
        assert metric(text, "vnkg_sparql_query_timeouts_total") == 1
        assert metric(text, "vnkg_sparql_query_errors_total", status="503") == 1
    finally:
        app.extensions["vnkg"].close()


def test_cors_reads_on_writes_off(app):
    client = app.test_client()
    origin = {"Origin": "http://elsewhere.example"}
    r = client.get("/sparql", query_string={"query": ASK}, headers=origin)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-VNKG-Truncated" in r.headers["Access-Control-Expose-Headers"]
    for path in ("/store?default", "/.well-known/void", "/export.nt", "/health"):
        assert client.get(path, headers=origin).headers.get("Access-Control-Allow-Origin") == "*", path
    r = client.options("/update", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.options("/store", headers={**origin, "Access-Control-Request-Method": "PUT"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.options("/sparql", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert r.headers["Access-Control-Allow-Origin"] == "*" and "Authorization" not in r.headers["Access-Control-Allow-Headers"]


def test_cross_site_writes_are_refused(tmp_path):
    app = make(tmp_path, allow_anonymous_update=True)
    try:
        client = app.test_client()
        r = client.post("/sparql", data={"update": INSERT}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403 and b"another site" in r.data
        boundary = "x"
        body = f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.nt\"\r\n\r\n<http://a/b> <http://a/c> 1 .\r\n--{boundary}--\r\n"
        r = client.post("/store?default", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                        headers={"Origin": "null"})
        assert r.status_code == 403
        assert asked(client) is False
        # The server's own pages (same origin) and clients that send no Origin may write.
        r = client.post("/sparql", data={"update": INSERT}, headers={"Origin": "http://localhost"})
        assert r.status_code == 204
        assert asked(client) is True
    finally:
        app.extensions["vnkg"].close()


def test_cors_configuration(tmp_path):
    app = make(tmp_path, update_token="t", cors_origins=("https://app.example",), cors_updates=True)
    try:
        client = app.test_client()
        r = client.get("/sparql", query_string={"query": ASK}, headers={"Origin": "https://app.example"})
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example" and "Origin" in r.headers["Vary"]
        r = client.get("/sparql", query_string={"query": ASK}, headers={"Origin": "https://other.example"})
        assert "Access-Control-Allow-Origin" not in r.headers
        r = client.options("/update", headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert "Authorization" in r.headers["Access-Control-Allow-Headers"]
        r = client.post("/update", data=INSERT, content_type="application/sparql-update",
                        headers={"Origin": "https://app.example", "Authorization": "Bearer t"})
        assert r.status_code == 204
        r = client.post("/update", data=INSERT, content_type="application/sparql-update",
                        headers={"Origin": "https://other.example", "Authorization": "Bearer t"})
        assert r.status_code == 403
    finally:
        app.extensions["vnkg"].close()
    app = make(tmp_path / "b", cors=False)
    try:
        r = app.test_client().get("/sparql", query_string={"query": ASK}, headers={"Origin": "https://app.example"})
        assert "Access-Control-Allow-Origin" not in r.headers
    finally:
        app.extensions["vnkg"].close()

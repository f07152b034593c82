"""The SPARQL 1.1 Protocol endpoint: request forms, formats, datasets, limits, updates, safety."""

from __future__ import annotations

import json
import socket
import threading

import pyoxigraph as ox
import pytest

from kg.config import Settings
from server import create_app

EX = "http://example.org/"
GRAPHS = [f"{EX}g{i}" for i in range(3)]
COUNT_ALL = "SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }"


def fill(store: ox.Store) -> None:
    """300 triples spread over three named graphs, and one in the default graph."""
    for i in range(300):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"v{i}"), ox.NamedNode(GRAPHS[i % 3])))
    store.add(ox.Quad(ox.NamedNode(f"{EX}d"), ox.NamedNode(f"{EX}p"), ox.Literal("in the default graph")))


def make_app(path, **overrides):
    settings = Settings(store=str(path) if path is not None else None, **overrides)
    app = create_app(settings)
    app.extensions["vnkg"].write(fill)
    return app


@pytest.fixture(scope="module")
def sparql_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("sparql") / "store")
    yield app
    app.extensions["vnkg"].close()


@pytest.fixture
def sparql_client(sparql_app):
    return sparql_app.test_client()


def count(response) -> int:
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    data = json.loads(response.data)
    return int(data["results"]["bindings"][0]["c"]["value"])


# --- request forms ----------------------------------------------------------------------------------


def test_get_query_answers_json_by_default(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": COUNT_ALL})
    assert r.mimetype == "application/sparql-results+json"
    assert count(r) == 301


def test_head_query_gives_the_get_headers_without_a_body(sparql_client):
    get = sparql_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    head = sparql_client.head("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"] and head.data == b""
    assert sparql_client.head("/query", query_string={"query": "nonsense"}).status_code == 400


def test_post_form_and_post_direct(sparql_client):
    r = sparql_client.post("/sparql", data={"query": COUNT_ALL})
    assert count(r) == 301
    r = sparql_client.post("/sparql", data=COUNT_ALL, content_type="application/sparql-query")
    assert count(r) == 301
    r = sparql_client.post("/query", data=COUNT_ALL.encode(), content_type="application/sparql-query; charset=utf-8")
    assert count(r) == 301


def test_unsupported_content_type_and_get_update(sparql_client):
    r = sparql_client.post("/sparql", data=COUNT_ALL, content_type="text/plain")
    assert r.status_code == 415
    r = sparql_client.get("/sparql", query_string={"update": "CLEAR ALL"})
    assert r.status_code == 400
    r = sparql_client.get("/sparql", query_string=[("query", COUNT_ALL), ("query", COUNT_ALL)])
    assert r.status_code == 400


def test_no_query_gives_help_page_to_browsers(sparql_client):
    r = sparql_client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"/sparql-ui" in r.data
    assert sparql_client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400


# --- formats ----------------------------------------------------------------------------------------

SELECT5 = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s LIMIT 5"
CONSTRUCT5 = f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s LIMIT 5"


@pytest.mark.parametrize(
    "fmt, media, parse",
    [
        ("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("csv", "text/csv", None),
    ],
)
def test_select_result_formats(sparql_client, fmt, media, parse):
    r = sparql_client.get("/sparql", query_string={"query": SELECT5, "format": fmt})
    assert r.status_code == 200 and r.mimetype == media
    if parse is None:
        lines = r.data.decode().strip().splitlines()
        assert lines[0] == "s,o" and len(lines) == 6
    else:
        assert len(list(ox.parse_query_results(r.data, parse))) == 5


def test_ask_formats(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert json.loads(r.data)["boolean"] is True
    r = sparql_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+xml"})
    assert bool(ox.parse_query_results(r.data, ox.QueryResultsFormat.XML)) is True


@pytest.mark.parametrize(
    "fmt, media, rdf",
    [
        ("turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("trig", "application/trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_formats(sparql_client, fmt, media, rdf):
    r = sparql_client.get("/sparql", query_string={"query": CONSTRUCT5, "format": fmt})
    assert r.status_code == 200 and r.mimetype == media
    assert len(list(ox.parse(r.data, rdf))) == 5


def test_a_graph_the_format_cannot_say_is_406(sparql_client):
    # JSON-LD has no RDF 1.2 triple terms: the client is told which formats can give the answer
    q = f"CONSTRUCT {{ <{EX}x> <{EX}p> <<( <{EX}s> <{EX}p> <{EX}o> )>> }} WHERE {{}}"
    r = sparql_client.get("/sparql", query_string={"query": q}, headers={"Accept": "application/ld+json"})
    assert r.status_code == 406 and b"RDF 1.2" in r.data and b"text/turtle" in r.data
    r = sparql_client.get("/sparql", query_string={"query": q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and b"<<(" in r.data


def test_construct_defaults_to_turtle_and_uses_query_prefixes(sparql_client):
    q = f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ex:p ?o }} WHERE {{ ?s ex:p ?o }} LIMIT 2"
    r = sparql_client.get("/sparql", query_string={"query": q})
    assert r.mimetype == "text/turtle"
    assert b"ex:p" in r.data


def test_content_negotiation_honours_q_values(sparql_client):
    q = {"query": SELECT5}
    r = sparql_client.get("/sparql", query_string=q, headers={"Accept": "application/sparql-results+json;q=0.5, application/sparql-results+xml;q=0.9"})
    assert r.mimetype == "application/sparql-results+xml"
    r = sparql_client.get("/sparql", query_string=q, headers={"Accept": "text/csv;q=1.0, application/sparql-results+json;q=0.1"})
    assert r.mimetype == "text/csv"
    r = sparql_client.get("/sparql", query_string={"query": CONSTRUCT5}, headers={"Accept": "text/turtle;q=0.2, application/n-triples;q=0.8"})
    assert r.mimetype == "application/n-triples"
    r = sparql_client.get("/sparql", query_string=q, headers={"Accept": "*/*"})
    assert r.mimetype == "application/sparql-results+json"


def test_not_acceptable(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": SELECT5}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = sparql_client.get("/sparql", query_string={"query": SELECT5, "format": "turtle"})
    assert r.status_code == 406
    r = sparql_client.get("/sparql", query_string={"query": SELECT5, "format": "nonsense"})
    assert r.status_code == 400 and b"unknown format" in r.data


def test_format_parameter_overrides_accept(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": SELECT5, "format": "tsv"}, headers={"Accept": "application/sparql-results+xml"})
    assert r.mimetype == "text/tab-separated-values"
    r = sparql_client.get("/sparql", query_string={"query": CONSTRUCT5, "format": "json"})
    assert r.mimetype == "application/ld+json"


def test_cors_on_reads(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": SELECT5})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = sparql_client.options("/sparql", headers={"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "POST" in r.headers["Access-Control-Allow-Methods"]


# --- the dataset ------------------------------------------------------------------------------------


def test_default_graph_is_the_union(sparql_client):
    assert count(sparql_client.get("/sparql", query_string={"query": COUNT_ALL})) == 301


def test_default_graph_uri_and_named_graph_uri(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": COUNT_ALL, "default-graph-uri": GRAPHS[0]})
    assert count(r) == 100
    r = sparql_client.get("/sparql", query_string=[("query", COUNT_ALL), ("default-graph-uri", GRAPHS[0]), ("default-graph-uri", GRAPHS[1])])
    assert count(r) == 200
    q = "SELECT (COUNT(*) AS ?c) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = sparql_client.get("/sparql", query_string={"query": q, "named-graph-uri": GRAPHS[2]})
    assert count(r) == 100


def test_from_in_the_query_is_respected(sparql_client):
    q = f"SELECT (COUNT(*) AS ?c) FROM <{GRAPHS[1]}> WHERE {{ ?s ?p ?o }}"
    assert count(sparql_client.get("/sparql", query_string={"query": q})) == 100


# --- errors and limits ------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p "})
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert "not valid SPARQL" in text and "1:" in text
    assert "Traceback" not in text


def test_body_too_large_is_413(tmp_path):
    app = make_app(tmp_path / "store", max_request_bytes=200)
    try:
        client = app.test_client()
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 500
        assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
        assert client.post("/sparql", data={"query": big}).status_code == 413
        assert client.get("/sparql", query_string={"query": big}).status_code == 413
        assert count(client.post("/sparql", data=COUNT_ALL, content_type="application/sparql-query")) == 301
    finally:
        app.extensions["vnkg"].close()


def test_runaway_query_is_stopped_and_the_next_one_answered(tmp_path):
    app = make_app(tmp_path / "store", query_timeout=1.0, query_workers=1)
    try:
        client = app.test_client()
        runaway = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        r = client.get("/sparql", query_string={"query": runaway})
        assert r.status_code == 503
        assert "time limit of 1 s" in r.get_data(as_text=True)
        assert "Retry-After" not in r.headers
        assert count(client.get("/sparql", query_string={"query": COUNT_ALL})) == 301
    finally:
        app.extensions["vnkg"].close()


def test_runaway_update_is_stopped_writes_nothing_and_frees_the_store(tmp_path):
    app = make_app(tmp_path / "store", update_timeout=1.0, update_token="t")
    auth = {"Authorization": "Bearer t"}
    try:
        client = app.test_client()
        # One update of two operations: the first is quick, the second's WHERE would run for hours
        # (its patterns are over the named graphs: an update's default graph is the store's own).
        where = " ".join(f"GRAPH ?g{i} {{ ?s{i} ?p{i} ?o{i} }}" for i in range(4))
        runaway = f"{INSERT} ; INSERT {{ <{EX}x> <{EX}p> ?o0 }} WHERE {{ {where} }}"
        r = client.post("/update", data=runaway, content_type="application/sparql-update", headers=auth)
        assert r.status_code == 503
        assert "time limit of 1 s" in r.get_data(as_text=True) and "nothing of it was written" in r.get_data(as_text=True)
        # Nothing of it was written, reads go on, and the store's write lock is free for the next update.
        assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0
        assert count(client.get("/sparql", query_string={"query": COUNT_ALL})) == 301
        r = client.post("/update", data=INSERT, content_type="application/sparql-update", headers=auth)
        assert r.status_code == 204
        assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 1
        assert "\nvnkg_sparql_update_timeouts_total 1\n" in client.get("/metrics").get_data(as_text=True)
    finally:
        app.extensions["vnkg"].close()


def test_truncated_answers_say_so(tmp_path):
    app = make_app(tmp_path / "store", max_rows=7)
    try:
        client = app.test_client()
        q = "SELECT ?s WHERE { ?s ?p ?o }"
        r = client.get("/sparql", query_string={"query": q})
        assert r.headers["X-VNKG-Truncated"] == "true"
        data = json.loads(r.data)
        assert data["vnkg:truncated"] is True and len(data["results"]["bindings"]) == 7
        r = client.get("/sparql", query_string={"query": q, "format": "xml"})
        assert b"def/core#truncated" in r.data
        assert len(list(ox.parse_query_results(r.data, ox.QueryResultsFormat.XML))) == 7
        r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert r.headers["X-VNKG-Truncated"] == "true"
        assert len(list(ox.parse(r.data, ox.RdfFormat.TURTLE))) == 7
        r = client.get("/sparql", query_string={"query": q + " LIMIT 7"})
        assert "X-VNKG-Truncated" not in r.headers and "vnkg:truncated" not in json.loads(r.data)
    finally:
        app.extensions["vnkg"].close()


def test_in_memory_store_runs_in_process():
    app = make_app(None)
    client = app.test_client()
    assert count(client.get("/sparql", query_string={"query": COUNT_ALL})) == 301


# --- updates ----------------------------------------------------------------------------------------

INSERT = f"INSERT DATA {{ GRAPH <{EX}new> {{ <{EX}x> <{EX}p> 'new' }} }}"
COUNT_NEW = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH <{EX}new> {{ ?s ?p ?o }} }}"


def test_updates_refused_when_read_only(sparql_client):
    r = sparql_client.post("/sparql", data={"update": INSERT})
    assert r.status_code == 403 and b"read-only" in r.data
    r = sparql_client.post("/update", data=INSERT, content_type="application/sparql-update", headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403
    assert count(sparql_client.get("/sparql", query_string={"query": COUNT_NEW})) == 0


@pytest.fixture
def token_app(tmp_path):
    app = make_app(tmp_path / "store", update_token="s3cret")
    yield app
    app.extensions["vnkg"].close()


def test_update_needs_the_right_token(token_app):
    client = token_app.test_client()
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0  # workers started
    r = client.post("/sparql", data={"update": INSERT})
    assert r.status_code == 401 and "Bearer" in r.headers["WWW-Authenticate"]
    r = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = client.post("/update", data=INSERT, content_type="application/sparql-update", headers={"Authorization": "Basic czNjcmV0"})
    assert r.status_code == 401
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0
    r = client.post("/sparql", data={"update": INSERT}, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    # The query workers reopen their read-only view and see the write.
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 1
    r = client.post("/update", data=f"DROP GRAPH <{EX}new>", content_type="application/sparql-update", headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 204
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0


def test_bad_update_is_400_and_changes_nothing(token_app):
    client = token_app.test_client()
    auth = {"Authorization": "Bearer s3cret"}
    r = client.post("/sparql", data={"update": INSERT + " ; INSERT DATA { <broken"}, headers=auth)
    assert r.status_code == 400 and b"not valid SPARQL" in r.data
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0
    r = client.post("/query", data={"update": INSERT}, headers=auth)
    assert r.status_code == 400


def test_text_that_is_not_utf8_is_refused_not_stored_as_other_text(token_app):
    client = token_app.test_client()
    auth = {"Authorization": "Bearer s3cret"}
    form = {"Content-Type": "application/x-www-form-urlencoded", **auth}
    # werkzeug alone reads `%FF` (no UTF-8 byte) as the text "%FF": the update would store it
    bad = f"update=INSERT+DATA+%7B+GRAPH+<{EX}new>+%7B+<{EX}x>+<{EX}p>+'%FF'+%7D+%7D"
    r = client.post("/sparql", data=bad, headers=form)
    assert r.status_code == 400 and b"form is not UTF-8" in r.data
    assert count(client.get("/sparql", query_string={"query": COUNT_NEW})) == 0
    r = client.get("/sparql?query=ASK+%7B+%3Fs+%3Fp+'%C3'+%7D")
    assert r.status_code == 400 and b"query string is not UTF-8" in r.data
    r = client.post("/update?using-graph-uri=urn:%FF", data=INSERT, headers={"Content-Type": "application/sparql-update", **auth})
    assert r.status_code == 400 and b"query string is not UTF-8" in r.data
    # UTF-8 escapes, and a malformed escape kept as written
    good = f"update=INSERT+DATA+%7B+GRAPH+<{EX}new>+%7B+<{EX}x>+<{EX}p>+'%E1%BB%A7y+ban+%zz'+%7D+%7D"
    assert client.post("/sparql", data=good, headers=form).status_code == 204
    r = client.get("/sparql", query_string={"query": f"SELECT ?o {{ GRAPH <{EX}new> {{ ?s ?p ?o }} }}"}, headers={"Accept": "text/csv"})
    assert r.get_data(as_text=True).splitlines()[1] == "ủy ban %zz"


def test_an_update_the_store_rules_out_is_400_and_changes_nothing(token_app):
    client = token_app.test_client()
    auth = {"Authorization": "Bearer s3cret"}
    post = lambda text: client.post("/update", data=text, content_type="application/sparql-update", headers=auth)  # noqa: E731
    assert post(f"CREATE GRAPH <{EX}made>").status_code == 204
    r = post(f"INSERT DATA {{ GRAPH <{EX}made> {{ <{EX}a> <{EX}b> 1 }} }} ; CREATE GRAPH <{EX}made>")
    assert r.status_code == 400 and b"already exists" in r.data and b"SILENT" in r.data
    assert count(client.get("/sparql", query_string={"query": f"SELECT (COUNT(*) AS ?c) {{ GRAPH <{EX}made> {{ ?s ?p ?o }} }}"})) == 0
    for text in (f"DROP GRAPH <{EX}nowhere>", f"CLEAR GRAPH <{EX}nowhere>", f"MOVE <{EX}nowhere> TO <{EX}made>"):
        r = post(text)
        assert r.status_code == 400 and b"does not exist" in r.data, text
    assert post(f"DROP SILENT GRAPH <{EX}nowhere>").status_code == 204


def test_deeply_nested_text_is_400_not_a_crash(token_app):
    # pyoxigraph's parser overflows its thread's stack (a segmentation fault that takes the
    # process down) on a few thousand nested groups: such text never reaches it.
    client = token_app.test_client()
    deep = "{ " * 5000 + "?s ?p ?o" + " }" * 5000
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE " + deep})
    assert r.status_code == 400 and b"5000 deep" in r.data
    r = client.post("/update", data=f"INSERT {{ <{EX}s> <{EX}p> 1 }} WHERE " + deep, content_type="application/sparql-update",
                    headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and b"5000 deep" in r.data
    chain = " || ".join(["?o = 1"] * 10000)  # a chain recurses as deep in the parser
    r = client.post("/update", data=f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER({chain}) }}", content_type="application/sparql-update",
                    headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and b"operators" in r.data
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


# --- SERVICE and LOAD -------------------------------------------------------------------------------


class Listener:
    """A socket on 127.0.0.1 that records connections and answers each like a SPARQL endpoint."""

    BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from far away"}}]}}'

    def __init__(self, body: bytes | None = None, content_type: str = "application/sparql-results+json"):
        if body is not None:
            self.BODY = body
        self.content_type = content_type
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    conn.sendall(
                        f"HTTP/1.1 200 OK\r\nContent-Type: {self.content_type}\r\n".encode()
                        + f"Content-Length: {len(self.BODY)}\r\nConnection: close\r\n\r\n".encode()
                        + self.BODY
                    )
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_service_to_a_loopback_port_is_refused_without_a_request(sparql_client, listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }}",
        f"PREFIX r: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?x ?y ?z }} }}",
        f"PREFIX : <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE:sparql {{ ?x ?y ?z }} }}",
        "SELECT * WHERE { SERVICE <http://\\u0031\\u0032\\u0037.0.0.1:%d/> { ?x ?y ?z } }" % listener.port,
        "SELECT * WHERE { BIND(<%s> AS ?u) SERVICE ?u { ?x ?y ?z } }" % url,
    ]
    for q in queries:
        r = sparql_client.get("/sparql", query_string={"query": q})
        assert r.status_code == 403, q
        assert b"refused" in r.data
    r = sparql_client.post("/sparql", data={"query": queries[0]})
    assert r.status_code == 403
    # The guard ran before the engine: nothing connected to the listening port.
    listener.stop.set()
    listener.thread.join(2)
    assert listener.connections == 0


def test_load_is_refused(tmp_path, listener):
    app = make_app(tmp_path / "store", update_token="t")
    try:
        client = app.test_client()
        auth = {"Authorization": "Bearer t"}
        r = client.post("/sparql", data={"update": f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"}, headers=auth)
        assert r.status_code == 403 and b"allow-list" in r.data
        r = client.post("/update", data=f"PREFIX : <http://127.0.0.1:{listener.port}/> LOAD:x", content_type="application/sparql-update", headers=auth)
        assert r.status_code == 403
        assert listener.connections == 0
    finally:
        app.extensions["vnkg"].close()


def test_service_to_an_allowed_host_is_reached(tmp_path, listener):
    app = make_app(tmp_path / "store", allowed_hosts=(f"127.0.0.1:{listener.port}",))
    try:
        client = app.test_client()
        q = f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?x ?y ?z }} }}"
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 200, r.data
        assert json.loads(r.data)["results"]["bindings"][0]["x"]["value"] == "from far away"
        assert listener.connections >= 1
    finally:
        app.extensions["vnkg"].close()


# --- the protocol's finer points (the W3C suite checks these too) ------------------------------------


def test_update_with_using_graph_uri(token_app):
    client = token_app.test_client()
    auth = {"Authorization": "Bearer s3cret"}
    target = f"{EX}copied"
    update = f"INSERT {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}"
    r = client.post(f"/update?using-graph-uri={GRAPHS[0]}", data=update, content_type="application/sparql-update", headers=auth)
    assert r.status_code == 204, r.data
    q = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    assert count(client.get("/sparql", query_string={"query": q})) == 100
    # USING NAMED, in a form POST; DELETE WHERE takes the protocol's dataset too.
    r = client.post("/sparql", data={"update": f"DELETE WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}",
                                     "using-named-graph-uri": target}, headers=auth)
    assert r.status_code == 204, r.data
    assert count(client.get("/sparql", query_string={"query": q})) == 0


def test_using_graph_uri_conflicts_with_with(token_app):
    client = token_app.test_client()
    update = f"WITH <{GRAPHS[0]}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}"
    r = client.post(f"/update?using-graph-uri={GRAPHS[1]}", data=update, content_type="application/sparql-update",
                    headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 400 and b"WITH" in r.data
    assert count(client.get("/sparql", query_string={"query": COUNT_ALL})) == 301


def test_relative_iris_resolve_against_the_endpoint(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "ntriples"})
    assert r.status_code == 200 and b"<http://localhost/s>" in r.data


def test_accept_with_media_type_parameters(sparql_client):
    r = sparql_client.get("/sparql", query_string={"query": SELECT5},
                          headers={"Accept": "application/sparql-results+xml; charset=utf-8; q=0.9, text/csv; q=0.5"})
    assert r.mimetype == "application/sparql-results+xml"


def test_load_from_an_allowed_host_is_reached(tmp_path):
    server = Listener(b"<http://example.org/loaded> <http://example.org/p> 'from far away' .\n", "text/turtle")
    app = make_app(tmp_path / "store", update_token="t", allowed_hosts=(f"127.0.0.1:{server.port}",))
    try:
        client = app.test_client()
        update = f"LOAD <http://127.0.0.1:{server.port}/data.ttl> INTO GRAPH <{EX}loaded>"
        r = client.post("/update", data=update, content_type="application/sparql-update", headers={"Authorization": "Bearer t"})
        assert r.status_code == 204, r.data
        assert server.connections >= 1
        q = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH <{EX}loaded> {{ ?s ?p ?o }} }}"
        assert count(client.get("/sparql", query_string={"query": q})) == 1
    finally:
        app.extensions["vnkg"].close()
        server.close()

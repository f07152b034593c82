"""server.fastpath answers plain queries exactly as the Flask view does (status, headers, body, metrics)."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import BadRequest
from werkzeug.test import create_environ
from werkzeug.wrappers import Request

from kg.config import Settings
from server import create_app
from server.fastpath import FastPath, FastRequest
from server.querystring import parse_query_string

SELECT = "SELECT * { VALUES ?x { 1 2 3 } }"
CASES = [
    ("GET", "/sparql", {"query": "ASK {}"}, {}, None),
    ("GET", "/query", {"query": SELECT}, {"Origin": "https://a.example", "Accept": "text/csv"}, None),
    ("GET", "/sparql", {"query": SELECT, "format": "xml"}, {"Origin": "https://b.example"}, None),
    ("GET", "/sparql", {"query": "CONSTRUCT { ?x ?x ?x } WHERE { VALUES ?x { <urn:a> <urn:b> } }"}, {"Accept": "application/n-triples"}, None),
    ("POST", "/sparql", {}, {"Content-Type": "application/sparql-query"}, SELECT.encode()),
    ("POST", "/query", {}, {"Content-Type": "application/sparql-query; charset=utf-8"}, b"ASK {}"),
    # errors: handed to Flask with their exception
    ("GET", "/query", {"query": "SELEC"}, {"Accept": "application/json"}, None),
    ("GET", "/sparql", {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {}, None),
    ("GET", "/sparql", {"update": "CLEAR ALL"}, {}, None),
    ("GET", "/sparql", {"query": "ASK {}", "timeout": "abc"}, {}, None),
    ("GET", "/sparql", {"query": "ASK {}", "format": "nope"}, {}, None),
    ("GET", "/sparql", {"query": "ASK {}"}, {"Accept": "image/png"}, None),
    ("GET", "/sparql", {"query": "SELECT * {}" + " " * 3000}, {}, None),
    ("POST", "/sparql", {}, {"Content-Type": "application/sparql-query"}, b"\xff"),
    # not the fast path's: Flask alone
    ("GET", "/sparql", {}, {"Accept": "text/turtle"}, None),
    ("POST", "/sparql", {}, {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D"),
]


def make(path):
    return create_app(Settings(store=str(path), query_workers=1, cors_origins=("https://a.example",), max_rows=2, max_request_bytes=2000))


def answers(app):
    client = app.test_client()
    out = []
    for method, path, args, headers, body in CASES:
        r = client.open(path, method=method, query_string=args, headers=headers, data=body)
        out.append((r.status_code, sorted(r.headers.items()), r.data))
    # the counters (durations and the start time differ from run to run)
    metrics = [line for line in client.get("/metrics").text.splitlines() if line.startswith("vnkg_") and "duration" not in line and "start_time" not in line]
    return out, metrics


def test_fast_path_answers_as_flask_does(tmp_path):
    fast_app, flask_app = make(tmp_path / "a"), make(tmp_path / "b")
    try:
        assert isinstance(fast_app.wsgi_app, FastPath)
        flask_app.wsgi_app = flask_app.wsgi_app.flask_wsgi  # Flask alone
        fast, fast_metrics = answers(fast_app)
        slow, slow_metrics = answers(flask_app)
    finally:
        fast_app.extensions["vnkg"].close()
        flask_app.extensions["vnkg"].close()
    for case, a, b in zip(CASES, fast, slow):
        if case[3] != {"Accept": "text/turtle"}:
            assert a == b, case
        else:  # the Service Description: each store's own (its statistics), and Flask's either way
            assert a[0] == b[0] and a[2].startswith(b"@prefix"), case
    assert [a[0] for a in fast] == [200, 200, 200, 200, 200, 200, 400, 403, 400, 400, 400, 406, 413, 400, 200, 200]
    assert ("Vary", "Accept, Origin") in fast[1][1] and ("X-VNKG-Truncated", "true") in fast[1][1]
    assert fast_metrics == slow_metrics
    assert 'vnkg_http_responses_total{status="200"} 8' in fast_metrics


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["a", "=", "&", "+", "%", "%2", "%41", "%zz", "%C3", "%A9", "%E1%BB%A7", "é", "\\", "\\x41", "%5C", "x", " ", "?", "#"]), max_size=12))
@example(["=", "&", "a", "&", "="])  # werkzeug lists a MultiDict's pairs name by name
def test_query_string_read_as_werkzeug_reads_it(parts):
    raw = "".join(parts).encode()
    environ = {**create_environ(), "QUERY_STRING": raw.decode("latin-1")}  # WSGI's str of bytes
    expected = Request(environ).args
    if not _utf8(raw):  # werkzeug keeps such escapes as text (`%C3`); we refuse them
        with pytest.raises(BadRequest, match="not UTF-8"):
            FastRequest(environ).args
        return
    assert FastRequest(environ).args == expected
    # the same values of each name, in the same order (a MultiDict lists its pairs name by name)
    pairs = parse_query_string(raw)
    assert {k: [v for n, v in pairs if n == k] for k, _ in pairs} == expected.to_dict(flat=False)


def _utf8(raw: bytes) -> bool:
    """Is every name and value of this query string UTF-8 once its escapes are decoded?"""
    try:
        for pair in raw.split(b"&"):
            for part in pair.split(b"=", 1):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True

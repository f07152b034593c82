"""server.asgi: queries are answered on the event loop (about one resource right there, others by
a query worker the loop waits for), everything else on threads, with the same answers as the WSGI
app gives; and, in a real server, queries are answered while a slow page holds every thread."""

from __future__ import annotations

import asyncio
import threading
import time
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import requests

from kg.config import Settings
from server import create_app
from server.asgi import Front

EX = "http://example.org/"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{EX}s1> ?p ?o }}"
JOIN = f"SELECT ?o WHERE {{ <{EX}s1> ?p ?x . ?x ?q ?o }}"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = create_app(Settings(store=str(tmp_path_factory.mktemp("asgi") / "store"), query_workers=1))
    quads = [ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(f"giá trị {i}")) for i in range(20)]
    app.extensions["vnkg"].write(lambda store: store.extend(quads))
    yield app
    app.extensions["vnkg"].close()


def http_scope(method: str, path: str, query_string: str = "", headers=()) -> dict:
    """An ASGI scope as granian gives it; `headers` as (name, value) strings (Host: localhost unless given)."""
    encoded = [(k.lower().encode(), v.encode()) for k, v in headers]
    if not any(k == b"host" for k, _ in encoded):
        encoded.insert(0, (b"host", b"localhost"))
    return {"type": "http", "http_version": "1.1", "method": method, "path": path, "raw_path": path.encode(), "root_path": "",
            "scheme": "http", "query_string": query_string.encode(), "headers": encoded,
            "client": ("127.0.0.1", 5555), "server": ("localhost", 80)}


def exchange(front: Front, scope: dict, messages: list[dict]) -> list[dict]:
    """One request through the ASGI app, its body coming as `messages` (then the connection
    ends: http.disconnect); the messages it sent back."""
    messages, sent = list(messages), []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(front(scope, receive, send))
    return sent


def call(front: Front, method: str, path: str, query_string: str = "", headers=(), body: bytes = b""):
    """One request through the ASGI app: (status, headers as a dict, body)."""
    sent = exchange(front, http_scope(method, path, query_string, headers), [{"type": "http.request", "body": body, "more_body": False}])
    start = sent[0]
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]))


def flask_answer(app, query_string: str, accept: str, headers=()):
    r = app.test_client().get("/sparql?" + query_string, headers=[("Accept", accept), *headers])
    return r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.data


@pytest.mark.parametrize("query, accept", [
    (LOOKUP, "application/sparql-results+json"),
    (LOOKUP, "text/csv"),
    (f"ASK {{ <{EX}s1> ?p ?o }}", "application/sparql-results+xml"),
    (f"DESCRIBE <{EX}s2>", "text/turtle"),
    (JOIN, "application/sparql-results+json"),  # through a query worker
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/tab-separated-values"),
    (LOOKUP, "image/png"),  # 406, made by Flask's error handler, still on the loop
    ("SELECT nonsense", "text/csv"),  # 400
])
def test_queries_are_answered_on_the_loop_as_flask_answers_them(app, query, accept, monkeypatch):
    front = Front(app, threads=2)
    monkeypatch.setattr(front, "threaded", None)  # calling it would fail: nothing may go to a thread
    qs = urlencode({"query": query})
    status, headers, body = call(front, "GET", "/sparql", qs, [("Accept", accept)])
    assert (status, headers, body) == flask_answer(app, qs, accept)


@pytest.mark.parametrize("headers", [
    [("Origin", "https://example.net")],  # CORS
    [("Host", "example.org:8080")],  # the base IRI of relative IRIs
    [("Host", "example.org:80")],  # the default port left out, as werkzeug does
    [("Accept", "text/tab-separated-values;q=0.1")],  # sent twice: both lists count
])
def test_headers_are_read_on_the_loop_as_flask_reads_them(app, headers, monkeypatch):
    front = Front(app, threads=2)
    monkeypatch.setattr(front, "threaded", None)
    qs = urlencode({"query": "SELECT ?x WHERE { BIND(<relative> AS ?x) }"})
    sent = [("Accept", "text/csv;q=0.5"), *headers]
    status, got_headers, body = call(front, "GET", "/sparql", qs, sent)
    assert status == 200
    assert (status, got_headers, body) == flask_answer(app, qs, "text/csv;q=0.5", headers)


def test_a_query_string_with_raw_utf8_bytes_is_read_as_if_percent_encoded(app):
    # Some clients put UTF-8 in the request line as it is; a2wsgi read the query string as ASCII
    # and the server answered 500.
    front = Front(app, threads=2)
    query = 'SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "giá trị 3") }'
    raw = "query=" + query.replace(" ", "+")  # '?', '=', '"' and the Vietnamese letters unescaped
    assert call(front, "GET", "/sparql", raw, [("Accept", "text/csv")]) == call(
        front, "GET", "/sparql", urlencode({"query": query}), [("Accept", "text/csv")])
    status, _, body = call(front, "GET", "/sparql", raw, [("Accept", "text/csv")])
    assert status == 200 and body.split() == [b"s", f"{EX}s3".encode()]
    status, _, body = call(front, "GET", "/sparql", "query=ASK+{}&timeout=một", [])  # 400, made by Flask
    assert status == 400 and b"timeout" in body
    assert call(front, "GET", "/search", "q=ủy+ban")[0] == 200  # a page, on the threads


def test_a_posted_query_is_answered_on_the_loop(app, monkeypatch):
    front = Front(app, threads=2)
    monkeypatch.setattr(front, "threaded", None)
    status, _, body = call(front, "POST", "/query", "", [("Content-Type", "application/sparql-query"), ("Accept", "text/csv")],
                           b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200 and body.split() == [b"n", b"20"]
    status, _, body = call(front, "POST", "/sparql", "", [("Content-Type", "application/sparql-query")], b"x" * 1_000_001)
    assert status == 413


def test_everything_else_goes_to_the_threads(app):
    front = Front(app, threads=2)
    answered_in: list[str] = []
    inner = front.threaded.app

    def spy(environ, start_response):
        answered_in.append(threading.current_thread().name)
        return inner(environ, start_response)

    front.threaded.app = spy
    form = urlencode({"query": "ASK { ?s ?p ?o }"})
    status, _, body = call(front, "POST", "/sparql", "", [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "text/csv")],
                           form.encode())
    assert status == 200 and b"true" in body
    assert call(front, "GET", "/health")[0] == 200
    assert call(front, "GET", "/sparql", "xquery=1", [("Accept", "text/html")])[0] == 200  # the help page
    assert call(front, "POST", "/update", "", [("Content-Type", "application/sparql-update")], b"INSERT DATA {}")[0] == 403
    assert len(answered_in) == 4 and all(name.startswith("WSGI") for name in answered_in)  # a2wsgi's threads


def call_cut(front: Front, method: str, path: str, query_string: str, headers, first_part: bytes):
    """A request whose body stops after `first_part`: the connection ends (granian then says
    http.disconnect). The status answered, or None."""
    sent = exchange(front, http_scope(method, path, query_string, headers), [{"type": "http.request", "body": first_part, "more_body": True}])
    return sent[0]["status"] if sent else None


def test_a_body_cut_off_before_its_end_changes_nothing(tmp_path):
    # a2wsgi read the end of the connection as the end of the body: a chunked PUT cut halfway
    # replaced the graph with the half that came
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="t", query_workers=1))
    front = Front(app, threads=2)
    auth, ttl_type = ("Authorization", "Bearer t"), ("Content-Type", "text/turtle")
    graph = ox.NamedNode(EX + "g")
    lines = [f"<{EX}s{i}> <{EX}p> {i} .\n".encode() for i in range(10)]
    assert call(front, "PUT", "/store", f"graph={graph.value}", [ttl_type, auth], b"".join(lines))[0] == 201

    def stored() -> int:
        return len(list(app.extensions["vnkg"].store.quads_for_pattern(None, None, None, graph)))

    half = b"".join(lines[:5])
    for length in ([("Transfer-Encoding", "chunked")], [("Content-Length", str(len(b"".join(lines))))]):
        assert call_cut(front, "PUT", "/store", f"graph={graph.value}", [ttl_type, auth, *length], half) in (None, 400)
        assert stored() == 10
    update = f"DELETE WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }} ; INSERT DATA {{ <{EX}a> <{EX}b> 1 }}".encode()
    cut = update[: update.index(b";")]  # a whole DELETE, if the cut were taken for the end
    assert call_cut(front, "POST", "/update", "", [("Content-Type", "application/sparql-update"), auth, ("Transfer-Encoding", "chunked")], cut) in (None, 400)
    assert stored() == 10
    assert call_cut(front, "POST", "/sparql", "", [("Content-Type", "application/sparql-query"), ("Transfer-Encoding", "chunked")], b"ASK {") is None
    assert call(front, "GET", "/sparql", urlencode({"query": "ASK { ?s ?p ?o }"}))[0] == 200
    app.extensions["vnkg"].close()


def test_a_stalled_upload_holds_no_thread_and_is_timed_out(tmp_path, monkeypatch):
    # The body is read on the loop before a thread is taken: with the only thread free, the next
    # request is answered while an upload waits for the rest of its body; the upload ends with 408.
    import server.asgi

    monkeypatch.setattr(server.asgi, "BODY_IDLE_SECONDS", 0.2)
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="t", query_workers=1))
    front = Front(app, threads=1)

    async def run():
        stalled_sent: list[dict] = []
        first = [{"type": "http.request", "body": b"<a> <b> ", "more_body": True}]
        never = asyncio.Event()

        async def stalled_receive():
            if first:
                return first.pop()
            await never.wait()

        async def stalled_send(message):
            stalled_sent.append(message)

        headers = [("Content-Type", "text/turtle"), ("Content-Length", "100"), ("Authorization", "Bearer t")]
        upload = asyncio.create_task(front(http_scope("PUT", "/store", "", headers), stalled_receive, stalled_send))
        await asyncio.sleep(0)  # the upload is waiting for its body
        answered: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            answered.append(message)

        await asyncio.wait_for(front(http_scope("GET", "/health"), receive, send), 30)
        await asyncio.wait_for(upload, 30)
        return answered[0]["status"], stalled_sent[0]["status"], b"".join(m.get("body", b"") for m in stalled_sent[1:])

    try:
        health, upload, body = asyncio.run(run())
    finally:
        app.extensions["vnkg"].close()
    assert health == 200
    assert upload == 408 and b"request body" in body


def test_a_client_that_leaves_a_streamed_answer_frees_its_thread(tmp_path):
    # a2wsgi's thread waited forever on its queue once a send failed (the task sending it had
    # ended): every client that left an export took a thread, and the process could not exit
    app = create_app(Settings(store=str(tmp_path / "store"), query_workers=1))
    app.extensions["vnkg"].write(lambda store: store.extend(
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal("giá trị " * 4 + str(i))) for i in range(30000)))
    front = Front(app, threads=1)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def run():
        sent: list[dict] = []

        async def send_then_fail(message):
            if len(sent) >= 2:
                raise OSError("the connection is closed")
            sent.append(message)

        await asyncio.wait_for(front(http_scope("GET", "/export.nt"), receive, send_then_fail), 60)  # ~3 MB: more than a2wsgi's queue holds
        answered: list[dict] = []

        async def send(message):
            answered.append(message)

        await asyncio.wait_for(front(http_scope("GET", "/health"), receive, send), 60)  # the only thread is free again
        return sent[0]["status"], answered[0]["status"]

    try:
        assert asyncio.run(run()) == (200, 200)
    finally:
        app.extensions["vnkg"].close()


def test_a_chunked_body_is_read_whole(app):
    front = Front(app, threads=1)
    status, _, body = call(front, "POST", "/sparql", "", [("Content-Type", "application/sparql-query"), ("Accept", "text/csv"),
                                                          ("Transfer-Encoding", "chunked")], b"ASK { ?s ?p ?o }")
    assert status == 200 and b"true" in body


def test_chunked_uploads_small_and_large_are_read_whole(tmp_path):
    # up to max_request_bytes on the loop, larger ones by their thread; both with their length
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="t", query_workers=1, max_request_bytes=2000))
    front = Front(app, threads=1)
    for n in (10, 300):  # ~0.5 KB and ~16 KB of Turtle
        data = b"".join(f"<{EX}s{i}> <{EX}p> {i} .\n".encode() for i in range(n))
        parts = [data[i : i + 700] for i in range(0, len(data), 700)]
        scope = http_scope("PUT", "/store", f"graph={EX}g{n}",
                           [("Content-Type", "text/turtle"), ("Transfer-Encoding", "chunked"), ("Authorization", "Bearer t")])
        sent = exchange(front, scope, [{"type": "http.request", "body": part, "more_body": i < len(parts) - 1} for i, part in enumerate(parts)])
        assert sent[0]["status"] == 201
        assert len(list(app.extensions["vnkg"].store.quads_for_pattern(None, None, None, ox.NamedNode(f"{EX}g{n}")))) == n
    app.extensions["vnkg"].close()


def test_queries_are_answered_while_a_runaway_query_holds_the_only_worker(tmp_path, vnkg_serve):
    """The loop waits for the runaway query's worker without blocking: a point lookup (answered on
    the loop) and a page (on the only thread) are answered meanwhile."""
    store = ox.Store(str(tmp_path / "store"))
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i)) for i in range(300))
    del store
    base = vnkg_serve(tmp_path / "store", "--processes", "1", "--threads", "1", "--query-workers", "1", "--query-timeout", "4")
    runaway = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    slow = threading.Thread(target=lambda: requests.get(base + "/sparql", params={"query": runaway}, timeout=30))
    slow.start()
    deadline = time.monotonic() + 10  # until the runaway query holds the worker
    while requests.get(base + "/health", timeout=10).json()["workers"]["alive"] and time.monotonic() < deadline:
        metrics = requests.get(base + "/metrics", timeout=10).text
        if "vnkg_sparql_queries_in_flight 1" in metrics:
            break
    r = requests.get(base + "/sparql", params={"query": LOOKUP.replace("s1", "s7")}, headers={"Accept": "text/csv"}, timeout=30)
    page = requests.get(base + "/health", timeout=30)
    assert slow.is_alive()  # both answered before the time limit ended the runaway query
    assert r.status_code == 200 and r.text.split() == ["p,o", f"{EX}p,7"] and page.status_code == 200
    slow.join()

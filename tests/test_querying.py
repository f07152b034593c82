"""kg.querying: answers identical to pyoxigraph's own, the row cap, the busy limit, the pool."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.config import Settings
from kg.sharing import SharedStore
from kg.querying import Busy, QueryPool, QueryRequest, QueryTimeout, execute
from server import create_app

EX = "http://example.org/"

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
literals = st.one_of(
    texts.map(ox.Literal),
    st.tuples(texts, st.sampled_from(["vi", "en-GB"])).map(lambda t: ox.Literal(t[0], language=t[1])),
    st.integers(-(10**12), 10**12).map(ox.Literal),
    st.floats(allow_nan=False).map(ox.Literal),
    st.tuples(texts, st.sampled_from([EX + "dt", "http://www.w3.org/2001/XMLSchema#date"])).map(
        lambda t: ox.Literal(t[0], datatype=ox.NamedNode(t[1]))
    ),
)
objects = st.one_of(literals, st.integers(0, 5).map(lambda i: ox.BlankNode(f"b{i}")), st.integers(0, 5).map(lambda i: ox.NamedNode(f"{EX}o{i}")))


@settings(max_examples=60, deadline=None)
@given(st.lists(objects, min_size=0, max_size=12))
def test_answers_are_what_pyoxigraph_writes(values):
    store = ox.Store()
    for i, value in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), value))
    q = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    for fmt, rf in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("csv", ox.QueryResultsFormat.CSV)):
        expected = store.query(q).serialize(format=rf)
        assert execute(store, QueryRequest(q, results_format=fmt)).body == expected
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    expected = set(ox.parse(store.query(c).serialize(format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES))
    got = set(ox.parse(execute(store, QueryRequest(c, graph_format="turtle")).body, ox.RdfFormat.TURTLE))
    assert got == expected


def test_row_cap_counts_rows_not_lines():
    store = ox.Store()
    for i in range(10):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(f"line one\nline two {i}")))
    answer = execute(store, QueryRequest("SELECT ?o WHERE { ?s ?p ?o }", max_rows=4))
    assert answer.truncated and answer.count == 4
    assert len(json.loads(answer.body)["results"]["bindings"]) == 4
    answer = execute(store, QueryRequest("SELECT ?o WHERE { ?s ?p ?o }", max_rows=10))
    assert not answer.truncated and answer.count == 10


@pytest.fixture
def one_worker_pool(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    for i in range(200):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i)))
    store.flush()
    pool = QueryPool(tmp_path / "store", workers=1, queue_size=0, timeout=5.0)
    yield pool
    pool.close()


def test_busy_when_every_place_is_taken(one_worker_pool):
    assert one_worker_pool._slots.acquire(blocking=False)  # a request in flight
    try:
        with pytest.raises(Busy):
            one_worker_pool.run(QueryRequest("ASK {}"))
    finally:
        one_worker_pool._slots.release()
    assert one_worker_pool.run(QueryRequest("ASK {}")).body == b'{"head":{},"boolean":true}'


def test_per_request_timeout_is_capped_by_the_pool(one_worker_pool):
    runaway = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeout, match="0.5 s"):
        one_worker_pool.run(QueryRequest(runaway), timeout=0.5)
    answer = one_worker_pool.run(QueryRequest("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }", results_format="csv"))
    assert answer.body == b"c\r\n200\r\n"


def test_busy_is_503_with_retry_after(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), query_workers=1, query_queue=0))
    try:
        pool = app.extensions["vnkg"].queries
        client = app.test_client()
        assert pool._slots.acquire(blocking=False)
        r = client.get("/sparql", query_string={"query": "ASK {}"})
        pool._slots.release()
        assert r.status_code == 503 and r.headers["Retry-After"] == "2"
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    finally:
        app.extensions["vnkg"].close()


def test_timeout_parameter_and_query_log(tmp_path):
    log = tmp_path / "queries.log"
    app = create_app(Settings(store=str(tmp_path / "store"), query_log=str(log)))
    try:
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "ASK {}", "timeout": "nope"}).status_code == 400
        assert client.get("/sparql", query_string={"query": "ASK {}", "timeout": "3"}).status_code == 200
        entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert entries[-1]["text"] == "ASK {}" and entries[-1]["status"] == 200
    finally:
        app.extensions["vnkg"].close()


def test_a_query_about_one_resource_is_answered_while_the_workers_are_busy(tmp_path):
    import threading

    shared = SharedStore(tmp_path / "store")
    shared.write(lambda store: store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(i)) for i in range(200)))
    pool = QueryPool(tmp_path / "store", workers=1, queue_size=2, timeout=3.0, shared=shared)
    try:
        runaway = "SELECT (COUNT(*) AS ?c) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        hog = threading.Thread(target=lambda: pytest.raises(QueryTimeout, pool.run, QueryRequest(runaway)))
        hog.start()
        while pool._idle.qsize():  # until the only worker has taken the runaway query
            threading.Event().wait(0.001)
        lookup = pool.run(QueryRequest(f"SELECT ?o WHERE {{ <{EX}s7> ?p ?o }}", results_format="csv"))
        assert lookup.body == b"o\r\n7\r\n" and hog.is_alive()  # answered here, not by the worker
        describe = pool.run(QueryRequest(f"DESCRIBE <{EX}s7>", graph_format="ntriples"))
        assert describe.body == f'<{EX}s7> <{EX}p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'.encode()
        capped = pool.run(QueryRequest(f"SELECT ?o WHERE {{ <{EX}s7> ?p ?o }}", max_rows=0))
        assert capped.truncated  # the row cap holds here too
        hog.join()
    finally:
        pool.close()


@pytest.mark.parametrize("query", [
    "SELECT DISTINCT ?p WHERE { <http://x/a> ?p ?o }", "SELECT ?p WHERE { ?s ?p ?o }",
    "SELECT ?p WHERE { <http://x/a> ?p ?o } ORDER BY ?p", "SELECT ?p WHERE { <http://x/a> ?p ?o } OFFSET 9",
    "SELECT ?p WHERE { <http://x/a> ?p ?o . ?o ?q ?r }", "SELECT ?p WHERE { <http://x/a> <http://p>* ?o }",
    "SELECT * WHERE { <http://x/a> ?p ?o SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } }",
    "SELECT ?p FROM <http://g> WHERE { <http://x/a> ?p ?o }", "DESCRIBE ?x WHERE { ?x ?p ?o }",
])
def test_only_queries_the_row_cap_bounds_skip_the_workers(query):
    from kg.querying import one_resource

    assert not one_resource(query)
    assert one_resource("PREFIX ex: <http://x/>\nSELECT ?p ?o WHERE { <http://x/a> ?p ?o } LIMIT 5")


# --- idle workers: first come, first served -------------------------------------------------------


def test_idle_workers_go_to_waiting_threads_in_order():
    import threading
    import time as clock

    from kg.querying import _IdleWorkers

    idle = _IdleWorkers()
    got: dict[int, str] = {}
    threads = []
    for i in range(3):
        t = threading.Thread(target=lambda i=i: got.__setitem__(i, idle.wait(30)))
        t.start()
        threads.append(t)
        deadline = clock.monotonic() + 10
        while len(idle._waiters) < i + 1 and clock.monotonic() < deadline:  # registered, in this order
            clock.sleep(0.001)
    for name in ("a", "b", "c"):
        idle.put(name)
    for t in threads:
        t.join(10)
    assert got == {0: "a", 1: "b", 2: "c"}
    with pytest.raises(Busy):
        idle.wait(0.05)
    assert not idle._waiters  # the one that gave up is no longer waiting: a worker put back stays idle
    idle.put("d")
    assert idle.get_nowait() == "d" and idle.get_nowait() is None


def test_idle_workers_go_to_waiting_tasks_in_order_and_a_cancelled_task_loses_none():
    import asyncio

    from kg.querying import _IdleWorkers

    async def scenario():
        loop = asyncio.get_running_loop()
        idle = _IdleWorkers()
        tasks = []
        for _ in range(3):
            tasks.append(asyncio.create_task(idle.await_one(loop, 30)))
            await asyncio.sleep(0)  # registered, in this order
        tasks[1].cancel()
        await asyncio.sleep(0)
        for name in ("a", "b"):
            idle.put(name)
        first, third = await tasks[0], await tasks[2]
        with pytest.raises(Busy):
            await idle.await_one(loop, 0.05)
        return first, third, tasks[1].cancelled(), idle.get_nowait()

    assert asyncio.run(scenario()) == ("a", "b", True, None)

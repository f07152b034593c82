"""One store, several processes (kg.sharing): every read sees every write, whichever process made it.

First the store itself, written by other OS processes; then `vnkg serve --processes 2`.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest
import requests

from kg.sharing import SharedStore, StoreBusy, note_write

EX = "http://example.org/"
WRITER = """
import sys
import pyoxigraph as ox
from kg.sharing import SharedStore
shared = SharedStore(sys.argv[1])
for i in range(int(sys.argv[2]), int(sys.argv[3])):
    shared.write(lambda store: store.add(ox.Quad(ox.NamedNode(f"{sys.argv[4]}s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i))))
"""


def count(store: ox.Store) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None))


def writer(path, start: int, stop: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start), str(stop), EX])


def test_a_write_by_another_process_is_seen_at_once(tmp_path):
    shared = SharedStore(tmp_path / "store")
    before = shared.view()
    assert count(before) == 0 and shared.generation == 0  # making the store is not a write
    assert writer(tmp_path / "store", 0, 3).wait(60) == 0
    assert shared.generation == 3
    assert count(shared.view()) == 3
    assert count(before) == 0  # a view is a snapshot: readers holding it are not disturbed


def test_writers_in_several_processes_take_turns(tmp_path):
    shared = SharedStore(tmp_path / "store")
    procs = [writer(tmp_path / "store", k * 20, k * 20 + 20) for k in range(3)]
    ours = [shared.write(lambda store, i=i: store.add(ox.Quad(ox.NamedNode(f"{EX}own{i}"), ox.NamedNode(EX + "p"), ox.Literal(i)))) for i in range(20)]
    assert [p.wait(120) for p in procs] == [0, 0, 0] and ours == [None] * 20
    assert count(shared.view()) == 80 and shared.generation == 80


def test_a_failed_change_writes_nothing_and_frees_the_store(tmp_path):
    shared = SharedStore(tmp_path / "store")

    def half_then_fail(store):
        store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }} ; INSERT DATA {{ <{EX}b> <{EX}p> 'unterminated }}")

    for _ in range(3):  # the store must be free again after each failure
        with pytest.raises(SyntaxError):
            shared.write(half_then_fail)
    assert count(shared.view()) == 0
    assert writer(tmp_path / "store", 0, 1).wait(60) == 0  # another process can write
    assert count(shared.view()) == 1


def test_another_program_holding_the_store_is_a_clear_error(tmp_path):
    shared = SharedStore(tmp_path / "store")
    other = ox.Store(str(tmp_path / "store"))  # say, a `vnkg build` into the served store
    try:
        with pytest.raises(StoreBusy, match="another program"):
            shared.write(lambda store: store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(1))))
        other.add(ox.Quad(ox.NamedNode(EX + "t"), ox.NamedNode(EX + "p"), ox.Literal(2)))
    finally:
        del other
    note_write(tmp_path / "store")  # what `vnkg build` does when it is done
    assert [q.subject.value for q in shared.view().quads_for_pattern(None, None, None)] == [EX + "t"]


def test_a_write_while_another_program_holds_the_store_is_a_503_and_reads_go_on(tmp_path):
    from kg.config import Settings
    from server import create_app

    app = create_app(Settings(store=str(tmp_path / "store"), update_token="t"))
    client = app.test_client()
    other = ox.Store(str(tmp_path / "store"))
    try:
        r = client.post("/update", data=f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}", headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        assert r.status_code == 503 and r.headers["Retry-After"] and b"another program" in r.data
        assert 'vnkg_sparql_updates_total{status="503"} 1' in client.get("/metrics").get_data(as_text=True)
        r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
        assert r.status_code == 200 and b"false" in r.data
    finally:
        del other
        app.extensions["vnkg"].close()
    r = client.post("/update", data=f"INSERT DATA {{ <{EX}s> <{EX}p> 1 }}", headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
    assert r.status_code == 204


# --- a server in two processes ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def two(tmp_path_factory, vnkg_serve):
    return vnkg_serve(tmp_path_factory.mktemp("two") / "store", "--processes", "2", "--allow-anonymous-update")


def pids_answering(base: str, at_least: int = 2, tries: int = 400) -> set[int]:
    """Process ids that answer /health on fresh connections (until `at_least` are seen)."""
    seen: set[int] = set()
    for _ in range(tries):
        seen.add(requests.get(base + "/health", timeout=10).json()["process"])
        if len(seen) >= at_least:
            break
    return seen


def ask(base: str, query: str) -> bool:
    r = requests.get(base + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


def test_two_processes_answer_and_every_read_sees_every_write(two):
    assert len(pids_answering(two)) == 2
    for i in range(10):
        r = requests.post(two + "/update", data=f"INSERT DATA {{ <{EX}w{i}> <{EX}p> {i} }}".encode(),
                          headers={"Content-Type": "application/sparql-update"}, timeout=10)
        assert r.status_code == 204
        # the next requests, on new connections, go to either process: each sees the write
        answers = [ask(two, f"ASK {{ <{EX}w{i}> <{EX}p> {i} }}") for _ in range(6)]
        assert answers == [True] * 6


def test_concurrent_writes_through_both_processes_all_land(two):
    def put(i: int) -> int:
        r = requests.put(two + "/store", params={"graph": f"{EX}graph{i}"}, data=f"<{EX}g{i}> <{EX}p> {i} .".encode(),
                         headers={"Content-Type": "text/turtle"}, timeout=30)
        return r.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(put, range(40)))
    assert statuses == [201] * 40
    r = requests.get(two + "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} FILTER(STRSTARTS(STR(?g), '{EX}graph')) }}"},
                     headers={"Accept": "text/csv"}, timeout=10)
    assert r.text.split() == ["n", "40"]


def metric(text: str, series: str) -> float:
    """The sum of the samples whose line starts with `series` (a name, or a name and labels)."""
    if "{" not in series:
        series += " "
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(series))


def test_metrics_count_every_process(two):
    from server.ops import Metrics

    def asks() -> float:
        return metric(requests.get(two + "/metrics", timeout=10).text, 'vnkg_sparql_queries_total{form="ASK"')

    def settled() -> list[float]:
        """Eight scrapes in a row (either process may answer each), once they agree: each process
        publishes its counts every second, so after a quiet second they must (at most 20 s)."""
        time.sleep(1.5 * Metrics.PUBLISH_EVERY)  # a quiet moment: each process has published since
        deadline = time.monotonic() + 20
        while True:
            seen = [asks() for _ in range(8)]
            if len(set(seen)) == 1 or time.monotonic() > deadline:
                return seen
            time.sleep(0.3)

    start = settled()[0]  # earlier tests' queries included
    for _ in range(30):
        ask(two, "ASK {}")
    assert settled() == [start + 30] * 8
    text = requests.get(two + "/metrics", timeout=10).text
    assert metric(text, "vnkg_query_workers") == 2  # one per process: the two of --query-workers shared out


def test_graph_store_reads_follow_writes_in_every_process(two):
    thing = f"{EX}page-thing"
    r = requests.post(two + "/update", data=f'INSERT DATA {{ <{thing}> <http://www.w3.org/2000/01/rdf-schema#label> "Trang mới"@vi }}'.encode(),
                      headers={"Content-Type": "application/sparql-update"}, timeout=10)
    assert r.status_code == 204
    seen = collections.Counter()
    for _ in range(8):
        r = requests.get(two + "/store", params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=10)
        seen["Trang mới" in r.text] += 1
    assert seen == {True: 8}


def test_a_build_into_a_served_store_is_seen(seed_store_dir, tmp_path, vnkg_serve):
    import shutil

    store = tmp_path / "store"
    shutil.copytree(seed_store_dir, store)
    base = vnkg_serve(store, "--processes", "2")
    article = tmp_path / "moi.txt"
    article.write_text("Hội nghị mới ở Quỳnh Lưu\n\nSáng 2/7/2025, UBND huyện Quỳnh Lưu tổ chức hội nghị tổng kết.\n", encoding="utf-8")
    query = 'ASK { GRAPH ?g { ?a <https://schema.org/headline> "Hội nghị mới ở Quỳnh Lưu" } }'
    assert not ask(base, query)
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", "--store", str(store), "-q", str(article)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [ask(base, query) for _ in range(6)] == [True] * 6  # whichever process answers

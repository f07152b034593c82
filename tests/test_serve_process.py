"""A real server process: `vnkg serve` on 127.0.0.1, queried with SPARQLWrapper over HTTP."""

from __future__ import annotations

import socket

import pyoxigraph as ox
import pytest
import requests
from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

EX = "http://example.org/"


@pytest.fixture(scope="module")
def served(tmp_path_factory, vnkg_serve):
    """(base URL, update token) of a server process over a small store; always terminated."""
    path = tmp_path_factory.mktemp("served") / "store"
    store = ox.Store(str(path))
    for i in range(30):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"giá trị {i}"), ox.NamedNode(f"{EX}g{i % 2}")))
    store.flush()
    del store  # the server opens it for writing
    base = vnkg_serve(path, "--update-token", "tok", "--query-workers", "1", "--threads", "4")
    return base, "tok"


COUNT = "SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(served, method):
    base, _ = served
    sw = SPARQLWrapper(base + "/sparql")
    sw.setMethod(POST if method == "POST" else "GET")
    sw.setQuery(COUNT)
    sw.setReturnFormat(JSON)
    data = sw.query().convert()
    assert data["results"]["bindings"][0]["c"]["value"] == "30"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_xml(served, method):
    base, _ = served
    sw = SPARQLWrapper(base + "/sparql")
    sw.setMethod(POST if method == "POST" else "GET")
    sw.setQuery(f"SELECT ?o WHERE {{ <{EX}s3> <{EX}p> ?o }}")
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert values == ["giá trị 3"]


def test_update_over_http_and_read_back(served):
    base, token = served
    insert = f"INSERT DATA {{ GRAPH <{EX}new> {{ <{EX}n> <{EX}p> 'mới' }} }}"
    r = requests.post(base + "/update", data=insert.encode(), headers={"Content-Type": "application/sparql-update"}, timeout=10)
    assert r.status_code == 401
    r = requests.post(base + "/update", data=insert.encode(),
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 204, r.text
    r = requests.get(base + "/sparql", params={"query": f"SELECT ?o WHERE {{ <{EX}n> ?p ?o }}"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert r.json()["results"]["bindings"][0]["o"]["value"] == "mới"


def test_export_over_http(served):
    base, _ = served
    r = requests.get(base + "/export.nq", timeout=10)
    assert r.status_code == 200
    assert len(list(ox.parse(r.content, ox.RdfFormat.N_QUADS))) >= 30


def test_bad_request_is_not_a_500(served):
    base, _ = served
    r = requests.get(base + "/sparql", params={"query": "SELECT WHERE {"}, timeout=10)
    assert r.status_code == 400 and "Traceback" not in r.text


def test_serve_refuses_unsafe_or_unavailable_addresses(tmp_path):
    from kg.config import Settings
    from server.run import ServeError, serve

    with pytest.raises(ServeError, match="anonymous updates"):
        serve(Settings(store=str(tmp_path / "a"), host="0.0.0.0", allow_anonymous_update=True))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(ServeError, match="cannot listen"):
            serve(Settings(store=str(tmp_path / "b"), host="127.0.0.1", port=taken.getsockname()[1]))
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(ServeError, match="cannot open the store"):
        serve(Settings(store=str(tmp_path / "file"), host="127.0.0.1", port=0))


# --- rdflib's SPARQLStore and SPARQLUpdateStore through the endpoint ---------------------------------


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")  # rdflib's own call
def test_rdflib_sparqlstore_reads(served):
    from rdflib import Dataset, Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    base, _ = served
    store = SPARQLStore(base + "/sparql")
    ds = Dataset(store=store)
    rows = list(ds.query(f"SELECT ?o WHERE {{ <{EX}s4> <{EX}p> ?o }}"))
    assert [str(r[0]) for r in rows] == ["giá trị 4"]
    assert ds.query(f"ASK {{ <{EX}s5> ?p ?o }}").askAnswer is True
    graph = Graph(store=store, identifier=URIRef(f"{EX}g1"))
    values = {str(o) for o in graph.objects(URIRef(f"{EX}s7"), URIRef(f"{EX}p"))}
    assert values == {"giá trị 7"}
    assert (URIRef(f"{EX}s7"), URIRef(f"{EX}p"), Literal("giá trị 7")) in graph
    constructed = ds.query(f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s LIMIT 3").graph
    assert len(constructed) == 3
    store.close()


@pytest.mark.parametrize("auth", ["bearer", "basic"])
def test_rdflib_sparqlupdatestore_writes(served, auth):
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    base, token = served
    credentials = {"headers": {"Authorization": f"Bearer {token}"}} if auth == "bearer" else {"auth": ("anyone", token)}
    store = SPARQLUpdateStore(base + "/query", base + "/update", **credentials)
    name = URIRef(f"{EX}rdflib-{auth}")
    graph = Graph(store=store, identifier=name)
    subject = URIRef(f"{EX}written-by-rdflib")
    graph.add((subject, URIRef(f"{EX}p"), Literal("Hà Nội", lang="vi")))
    graph.add((subject, URIRef(f"{EX}q"), Literal(42)))
    assert len(graph) == 2
    # Read back by another client: the Graph Store Protocol.
    r = requests.get(base + "/store", params={"graph": str(name)}, headers={"Accept": "application/n-triples"}, timeout=10)
    assert r.status_code == 200
    assert '"Hà Nội"@vi' in r.text and "42" in r.text
    graph.remove((subject, URIRef(f"{EX}q"), None))
    assert {str(o) for o in graph.objects(subject, None)} == {"Hà Nội"}
    store.update(f"DROP GRAPH <{name}>")
    r = requests.get(base + "/store", params={"graph": str(name)}, timeout=10)
    assert r.status_code == 404
    store.close()


def test_rdflib_update_without_the_token_is_refused(served):
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    base, _ = served
    store = SPARQLUpdateStore(base + "/query", base + "/update", auth=("anyone", "wrong"))
    graph = Graph(store=store, identifier=URIRef(f"{EX}refused"))
    with pytest.raises(Exception):
        graph.add((URIRef(f"{EX}x"), URIRef(f"{EX}p"), Literal("x")))
    r = requests.get(base + "/store", params={"graph": f"{EX}refused"}, timeout=10)
    assert r.status_code == 404

"""Export: the whole store or one graph, in every syntax, from the library and over HTTP."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.export import FORMATS, dump
from server import create_app

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
RDF = {name: fmt for name, (fmt, _, _) in FORMATS.items()}


def fill(store: ox.Store) -> None:
    a, p = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p")
    store.add(ox.Quad(a, p, ox.Literal("tiếng Việt", language="vi")))  # default graph
    store.add(ox.Quad(a, p, ox.Literal("tiếng Việt", language="vi"), G1))  # the same triple again
    for i in range(50):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(i), G1 if i % 2 else G2))


@pytest.fixture
def export_store():
    store = ox.Store()
    fill(store)
    return store


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_triple_formats_give_the_union_once(export_store, fmt):
    out = io.BytesIO()
    dump(export_store, out, fmt)
    triples = list(ox.parse(out.getvalue(), RDF[fmt]))
    assert len(triples) == 51  # the triple stated in two graphs is written once


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_formats_keep_the_graphs(export_store, fmt):
    out = io.BytesIO()
    dump(export_store, out, fmt)
    quads = list(ox.parse(out.getvalue(), RDF[fmt]))
    assert len(quads) == 52
    assert {q.graph_name for q in quads} == {ox.DefaultGraph(), G1, G2}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_one_graph(export_store, fmt):
    out = io.BytesIO()
    dump(export_store, out, fmt, graph=G2.value)
    items = list(ox.parse(out.getvalue(), RDF[fmt]))
    assert len(items) == 25
    if RDF[fmt].supports_datasets and fmt != "jsonld":
        assert {q.graph_name for q in items} == {G2}


def test_bad_arguments(export_store):
    with pytest.raises(ValueError, match="unknown export format"):
        dump(export_store, io.BytesIO(), "yaml")
    with pytest.raises(ValueError, match="no graph"):
        dump(export_store, io.BytesIO(), "turtle", graph=EX + "missing")


def test_turtle_uses_the_project_prefixes(export_store):
    export_store.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode("https://schema.org/name"), ox.Literal("x")))
    out = io.BytesIO()
    dump(export_store, out, "turtle")
    assert b"schema:name" in out.getvalue()


# --- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture
def export_client(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store")))
    app.extensions["vnkg"].write(fill)
    yield app.test_client()
    app.extensions["vnkg"].close()


@pytest.mark.parametrize(
    "ext, media, rdf, n",
    [
        ("ttl", "text/turtle", ox.RdfFormat.TURTLE, 51),
        ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, 51),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, 51),
        ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, 51),
        ("trig", "application/trig", ox.RdfFormat.TRIG, 52),
        ("nq", "application/n-quads", ox.RdfFormat.N_QUADS, 52),
    ],
)
def test_http_export(export_client, ext, media, rdf, n):
    r = export_client.get(f"/export.{ext}")
    assert r.status_code == 200 and r.mimetype == media
    assert r.is_streamed
    assert len(list(ox.parse(r.data, rdf))) == n


def test_http_export_of_one_graph(export_client):
    r = export_client.get("/export.nq", query_string={"graph": G1.value})
    quads = list(ox.parse(r.data, ox.RdfFormat.N_QUADS))
    assert len(quads) == 26 and {q.graph_name for q in quads} == {G1}


def test_http_export_errors(export_client):
    assert export_client.get("/export.yaml").status_code == 404
    r = export_client.get("/export.ttl", query_string={"graph": EX + "missing"})
    assert r.status_code == 404 and b"no graph" in r.data
    assert export_client.get("/export.ttl", query_string={"graph": "not an iri"}).status_code == 400


def test_http_export_streams_a_large_store(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store")))
    try:
        p = ox.NamedNode(EX + "p")
        app.extensions["vnkg"].write(lambda store: store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal("x" * 100), G1) for i in range(20000)))
        r = app.test_client().get("/export.nt")
        chunks = list(r.response)
        assert len(chunks) > 1  # sent in pieces as it is written
        assert sum(c.count(b"\n") for c in chunks) == 20000
        r.close()
    finally:
        app.extensions["vnkg"].close()


def test_http_export_stops_when_the_client_goes_away(tmp_path):
    import threading

    app = create_app(Settings(store=str(tmp_path / "store")))
    try:
        p = ox.NamedNode(EX + "p")
        app.extensions["vnkg"].write(lambda store: store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal("x" * 100), G1) for i in range(50000)))
        r = app.test_client().get("/export.nt")
        first = next(iter(r.response))
        assert first
        r.close()  # what the WSGI server does when the client disconnects
        for thread in [t for t in threading.enumerate() if t.name == "vnkg-export"]:
            thread.join(10)
            assert not thread.is_alive()
    finally:
        app.extensions["vnkg"].close()

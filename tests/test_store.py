"""The Graph Store HTTP Protocol on /store: identification, methods, statuses, bodies, tokens."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg.config import Settings
from server import create_app

EX = "http://example.org/"
TTL = "text/turtle; charset=utf-8"
PERSON = b"""@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://example.org/person/1> a foaf:Person ; foaf:businessCard [ foaf:name "Nguy\xe1\xbb\x85n V\xc4\x83n A" ] .
"""
AUTH = {"Authorization": "Bearer s3cret"}


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="s3cret", max_upload_bytes=5000))
    yield app
    app.extensions["vnkg"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def graph_of(response) -> set[str]:
    """The triples of a Turtle answer, blank nodes written as _ (enough for these small graphs)."""
    assert response.status_code == 200, response.data
    out = set()
    for t in ox.parse(response.data, ox.RdfFormat.TURTLE):
        terms = ["_" if isinstance(x, ox.BlankNode) else str(x) for x in (t.subject, t.predicate, t.object)]
        out.add(" ".join(terms))
    return out


def count(client, query: str) -> int:
    r = client.get("/sparql", query_string={"query": query})
    return int(json.loads(r.data)["results"]["bindings"][0]["c"]["value"])


def test_put_get_replace_delete_indirect(client):
    url = "/store?graph=" + EX + "g1"
    r = client.put(url, data=PERSON, content_type=TTL, headers=AUTH)
    assert r.status_code == 201
    r = client.get(url, headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle"
    assert any("Nguyễn Văn A" in t for t in graph_of(r))
    r = client.put(url, data=b"<http://example.org/a> <http://example.org/b> 'c' .", content_type=TTL, headers=AUTH)
    assert r.status_code == 204
    assert graph_of(client.get(url)) == {'<http://example.org/a> <http://example.org/b> "c"'}
    r = client.head(url, headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 200 and r.mimetype == "text/turtle" and r.data == b""
    assert client.delete(url, headers=AUTH).status_code == 204
    assert client.get(url).status_code == 404
    assert client.head(url).status_code == 404
    assert client.delete(url, headers=AUTH).status_code == 404


def test_direct_identification_and_post_to_the_store(client):
    r = client.put("/store/people/1.ttl", data=PERSON, content_type=TTL, headers=AUTH)
    assert r.status_code == 201
    # The graph's IRI is the request URL: the same graph by indirect identification.
    r = client.get("/store", query_string={"graph": "http://localhost/store/people/1.ttl"})
    assert r.status_code == 200 and len(graph_of(r)) == 3
    r = client.post("/store", data=PERSON, content_type=TTL, headers=AUTH)
    assert r.status_code == 201
    location = r.headers["Location"]
    assert location.startswith("http://localhost/store/")
    assert len(graph_of(client.get(location.removeprefix("http://localhost")))) == 3


def test_post_merges_and_multipart(client):
    url = "/store?graph=" + EX + "g2"
    assert client.post(url, data=PERSON, content_type=TTL, headers=AUTH).status_code == 201
    boundary = "b0undary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.ttl\"\r\nContent-Type: text/turtle\r\n\r\n"
        "<http://example.org/person/1> <http://xmlns.com/foaf/0.1/familyName> \"Nguyễn\" .\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.nt\"\r\n\r\n"
        "<http://example.org/person/1> <http://xmlns.com/foaf/0.1/givenName> \"A\" .\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    r = client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=AUTH)
    assert r.status_code == 204, r.data
    triples = graph_of(client.get(url))
    assert len(triples) == 5 and any("familyName" in t for t in triples) and any("givenName" in t for t in triples)


def test_default_graph_is_the_stores_own(client):
    client.put("/store?graph=" + EX + "g3", data=PERSON, content_type=TTL, headers=AUTH)
    r = client.get("/store?default")
    assert r.status_code == 200 and graph_of(r) == set()
    r = client.put("/store?default", data=b"<http://example.org/d> <http://example.org/p> 1 .", content_type=TTL, headers=AUTH)
    assert r.status_code == 204
    assert len(graph_of(client.get("/store?default"))) == 1
    assert client.delete("/store?default", headers=AUTH).status_code == 204
    assert graph_of(client.get("/store?default")) == set()


def test_bad_bodies_store_nothing(client):
    url = "/store?graph=" + EX + "g4"
    client.put(url, data=PERSON, content_type=TTL, headers=AUTH)
    r = client.put(url, data=b"<http://example.org/a> <http://example.org/b> .", content_type=TTL, headers=AUTH)
    assert r.status_code == 400 and b"Turtle" in r.data and b"Traceback" not in r.data
    assert len(graph_of(client.get(url))) == 3  # untouched
    r = client.put(url, data=PERSON, content_type="application/pdf", headers=AUTH)
    assert r.status_code == 415
    r = client.put(url, data=PERSON, headers=AUTH)
    assert r.status_code == 415
    r = client.put(url, data=PERSON, content_type="text/turtle; charset=latin-1", headers=AUTH)
    assert r.status_code == 415
    trig = b"<http://example.org/other> { <http://example.org/a> <http://example.org/b> 'c' . }"
    r = client.put(url, data=trig, content_type="application/trig", headers=AUTH)
    assert r.status_code == 400 and b"names the graph" in r.data
    r = client.put(url, data=b"<a> <b> 'x' . " * 1000, content_type=TTL, headers=AUTH)
    assert r.status_code == 413
    assert len(graph_of(client.get(url))) == 3


def test_bad_identification(client):
    assert client.get("/store?graph=" + EX + "x&default").status_code == 400
    assert client.get("/store?graph=").status_code == 400
    assert client.get("/store", query_string=[("graph", EX + "a"), ("graph", EX + "b")]).status_code == 400
    assert client.get("/store/x?graph=" + EX + "a").status_code == 400
    assert client.delete("/store", headers=AUTH).status_code == 400
    assert client.get("/store?graph=" + EX + "never").status_code == 404
    r = client.get("/store?graph=" + EX + "never", headers={"Accept": "image/png"})
    assert r.status_code == 404


def test_writes_need_the_token(client):
    url = "/store?graph=" + EX + "g5"
    assert client.put(url, data=PERSON, content_type=TTL).status_code == 401
    assert client.post(url, data=PERSON, content_type=TTL, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.delete(url).status_code == 401
    assert client.get(url).status_code == 404


def test_read_only_store_refuses_writes(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store")))
    try:
        r = app.test_client().put("/store?default", data=PERSON, content_type=TTL, headers=AUTH)
        assert r.status_code == 403
    finally:
        app.extensions["vnkg"].close()


def test_queries_see_graph_store_writes(client):
    q = f"SELECT (COUNT(*) AS ?c) WHERE {{ GRAPH <{EX}g6> {{ ?s ?p ?o }} }}"
    assert count(client, q) == 0  # the query workers are up and have a view of the store
    client.put("/store?graph=" + EX + "g6", data=PERSON, content_type=TTL, headers=AUTH)
    assert count(client, q) == 3
    client.delete("/store?graph=" + EX + "g6", headers=AUTH)
    assert count(client, q) == 0


def test_formats_and_the_whole_dataset(client):
    url = "/store?graph=" + EX + "g7"
    client.put(url, data=PERSON, content_type=TTL, headers=AUTH)
    for media, fmt in [("application/n-triples", ox.RdfFormat.N_TRIPLES), ("application/ld+json", ox.RdfFormat.JSON_LD),
                       ("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/n-quads", ox.RdfFormat.N_QUADS)]:
        r = client.get(url, headers={"Accept": media})
        assert r.mimetype == media and len(list(ox.parse(r.data, fmt))) == 3
    assert client.get(url, headers={"Accept": "image/png"}).status_code == 406
    dataset = b"<http://example.org/d1> { <http://example.org/a> <http://example.org/b> 'c' . }\n<http://example.org/a> <http://example.org/b> 'in default' ."
    assert client.post("/store", data=dataset, content_type="application/trig", headers=AUTH).status_code == 204
    r = client.get("/store", headers={"Accept": "application/n-quads"})
    quads = list(ox.parse(r.data, ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name) for q in quads} == {"DEFAULT", f"<{EX}g7>", f"<{EX}d1>"}
    assert client.put("/store", data=dataset, content_type="application/trig", headers=AUTH).status_code == 204
    quads = list(ox.parse(client.get("/store", headers={"Accept": "application/n-quads"}).data, ox.RdfFormat.N_QUADS))
    assert len(quads) == 2
    assert client.put("/store", data=PERSON, content_type=TTL, headers=AUTH).status_code == 400


def test_odd_graph_names_and_bodies_are_400s(client):
    assert client.put("/store?graph=%00", data=PERSON, content_type=TTL, headers=AUTH).status_code == 400
    assert client.get("/store/%00%ff").status_code == 400
    assert client.put("/store?graph=http://a%20b", data=PERSON, content_type=TTL, headers=AUTH).status_code == 400
    r = client.post("/store?default", data=b"x", content_type="multipart/form-data; boundary=", headers=AUTH)
    assert r.status_code == 400
    r = client.post("/store?default", data=b"\xff\xfe", content_type=TTL, headers=AUTH)
    assert r.status_code == 400
    # A relative graph IRI is resolved against the request URL (RFC 3986: beside /store).
    assert client.put("/store?graph=store/people/2", data=PERSON, content_type=TTL, headers=AUTH).status_code == 201
    assert client.get("/store/people/2").status_code == 200


def test_deeply_nested_json_ld_is_400_not_a_crash(tmp_path):
    # pyoxigraph's JSON-LD parser overflows its thread's stack (a segmentation fault that ends the
    # process) on a few thousand nested objects: such a body never reaches it.
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="s3cret"))
    client = app.test_client()
    url = "/store?graph=" + EX + "deep"
    client.put(url, data=PERSON, content_type=TTL, headers=AUTH)
    deep = b'{"@id": "http://example.org/x", "http://example.org/p": ' * 5000 + b"1" + b"}" * 5000
    r = client.put(url, data=deep, content_type="application/ld+json", headers=AUTH)
    assert r.status_code == 400 and b"5000 deep" in r.data
    assert len(graph_of(client.get(url))) == 3  # untouched
    shallow = b'{"@id": "http://example.org/x", "http://example.org/p": {"@id": "http://example.org/y"}}'
    assert client.post(url, data=shallow, content_type="application/ld+json", headers=AUTH).status_code == 204
    assert len(graph_of(client.get(url))) == 4
    app.extensions["vnkg"].close()


def test_unreadable_graph_iris_and_giant_terms_are_400s(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="s3cret", max_upload_bytes=40_000_000))
    client = app.test_client()
    url = "/store?graph=" + EX + "g"
    client.put(url, data=PERSON, content_type=TTL, headers=AUTH)
    r = client.get("/store?graph=http://[::1")
    assert r.status_code == 400 and b"not a valid IRI" in r.data
    # pyoxigraph reads one term into a buffer of at most 16 MB
    giant = b'<http://example.org/a> <http://example.org/b> "' + b"x" * 17_000_000 + b'" .'
    r = client.put(url, data=giant, content_type=TTL, headers=AUTH)
    assert r.status_code == 400 and b"16777216" in r.data
    # pyoxigraph's RDF/XML parser slows with the depth (100,000 levels: a minute)
    xml = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:a="http://example.org/"><rdf:Description rdf:about="http://example.org/x">'
           + b"<a:p><rdf:Description>" * 600 + b"</rdf:Description></a:p>" * 600 + b"</rdf:Description></rdf:RDF>")
    r = client.put(url, data=xml, content_type="application/rdf+xml", headers=AUTH)
    assert r.status_code == 400 and b"XML elements" in r.data
    assert len(graph_of(client.get(url))) == 3  # untouched
    app.extensions["vnkg"].close()


def test_json_nesting_skips_strings_even_unclosed_ones():
    from kg.graphstore import json_nesting

    assert json_nesting(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_nesting(b'{"a": "never closed [[[[[[') == 1
    assert json_nesting(b'{"a": 1}' + b'\\"' * 1000) == 1


def test_rdf_12_triple_terms_are_stored_and_odd_structures_refused(tmp_path):
    app = create_app(Settings(store=str(tmp_path / "store"), update_token="s3cret"))
    client = app.test_client()
    url = "/store?graph=" + EX + "tt"
    said = b'VERSION "1.2" <http://example.org/x> <http://example.org/says> <<( <http://example.org/a> <http://example.org/b> "c" )>> .'
    assert client.put(url, data=said, content_type=TTL, headers=AUTH).status_code == 201
    assert b'<<( <http://example.org/a> <http://example.org/b> "c" )>>' in client.get(url, headers={"Accept": "application/n-triples"}).data
    deep = "<http://example.org/o>"
    for _ in range(300):
        deep = f"<<( <http://example.org/s> <http://example.org/p> {deep} )>>"
    r = client.put(url, data=f'VERSION "1.2" <http://example.org/x> <http://example.org/says> {deep} .'.encode(), content_type=TTL, headers=AUTH)
    assert r.status_code == 400 and b"300 deep" in r.data
    r = client.post("/store", data=b"_:g { <http://example.org/a> <http://example.org/b> 1 . }", content_type="application/trig", headers=AUTH)
    assert r.status_code == 400 and b"blank node" in r.data
    assert len(graph_of(client.get(url))) == 1  # untouched
    app.extensions["vnkg"].close()

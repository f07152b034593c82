"""The peer the issue names: a bare Flask wrapper of pyoxigraph, with no limits, checks or logs.

Served by bench_sparql.py (`--servers bare`) under granian like `vnkg serve`, on the same store opened
read-only: what a SPARQL endpoint costs in Python before anything vnkg adds to it.
"""

import os

import pyoxigraph as ox
from flask import Flask, Response, request

store = ox.Store.read_only(os.environ["BARE_STORE"])
app = Flask(__name__)
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON, "text/csv": ox.QueryResultsFormat.CSV}
GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}


@app.route("/query", methods=["GET", "POST"])
def query():
    accept = request.headers.get("Accept", "")
    result = store.query(request.values["query"], use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        media = next((m for m in GRAPHS if m in accept), "text/turtle")
        return Response(result.serialize(format=GRAPHS[media]), content_type=media)
    media = next((m for m in RESULTS if m in accept), "application/sparql-results+json")
    return Response(result.serialize(format=RESULTS[media]), content_type=media)

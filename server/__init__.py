"""The vnkg web service: create_app() and one blueprint per area.

sparql    /sparql (/query, /update): the SPARQL 1.1 protocol, with limits
store     /store: the Graph Store HTTP Protocol
service   the Service Description (at the endpoints) and /.well-known/void
ops       /health and /metrics
export    /export.{ttl,trig,nq,nt,jsonld}: the whole graph, streamed
resources /id/...: linked-data pages and their machine twins
browse    /, /search, /ontology, ...: the pages a person browses
"""

from __future__ import annotations

from flask import Flask

from kg.config import Settings

from .state import State


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    settings = settings or Settings.from_env(**overrides)
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = max(settings.max_request_bytes, settings.max_upload_bytes)
    app.extensions["vnkg"] = State(settings)

    from . import browse, errors, export, ops, resources, service, sparql, store

    errors.register(app)
    ops.register(app)
    for module in (sparql, store, service, ops, export, resources, browse):
        app.register_blueprint(module.bp)
    from .fastpath import FastPath

    # Plain SPARQL queries skip Flask's request machinery (server.fastpath); all else goes through.
    app.wsgi_app = FastPath(app, app.wsgi_app)
    return app

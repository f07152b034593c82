"""A thin WSGI layer in front of Flask for the commonest request: a SPARQL query.

Why: a trivial query (a point lookup, ASK, the triples of one resource) takes ~0.1 ms in Oxigraph,
but ~0.75 ms of the web process's CPU under the GIL, a quarter of it in Flask's request machinery
(app and request contexts, URL routing, hooks, the Response object). For GET /sparql?query=... and
POST application/sparql-query to /sparql or /query, this layer parses the request with werkzeug's
own Request and calls the same functions as the Flask view (server.sparql.read_operation and
answer_query: the size limits, the SERVICE / LOAD guard, negotiation, the time limit in the worker
pool, the row cap and its markers, the query log, the metrics), adds the same CORS headers
(server.ops.cors_headers) and counts the response as Flask's after_request hook does.

Everything else goes to Flask unchanged: other paths and methods, updates, form POSTs (reading the
form would use up the body Flask would need), a GET without a query (help page / Service
Description). A query that fails here (400, 403, 413, 503, ...) is handed to Flask with its
exception, which the sparql blueprint raises again before its view runs, so error bodies, CORS and
metrics come from the one place they are made.

`FastPath.steps` is the same work as steps (server.sparql.answering): `__call__` runs its query in
the calling thread, server.asgi awaits it on an event loop.
"""

from __future__ import annotations

from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.utils import get_host
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request

from . import ops, sparql
from .querystring import parse_query_string

PATHS = ("/sparql", "/query")


class FastRequest(Request):
    @cached_property
    def args(self) -> ImmutableMultiDict:
        return ImmutableMultiDict(parse_query_string(self.query_string))


class ScopeRequest:
    """What the query steps read of a request (werkzeug Request's names and meanings), straight
    from an ASGI scope, for queries on the event loop (server.asgi): building a WSGI environ and a
    werkzeug Request, and letting them go, was ~10 µs of an ASK's 47 in-process."""

    __slots__ = ("method", "query_string", "scheme", "root_path", "path", "remote_addr", "max_content_length", "_scope", "_body", "_args", "_headers")

    def __init__(self, scope, body: bytes = b""):
        self._scope, self._body = scope, body
        self.method = scope["method"]
        self.query_string = scope["query_string"]
        self.scheme = scope.get("scheme", "http")
        self.root_path = scope.get("root_path", "")
        path = scope["path"]
        self.path = path[len(self.root_path) :] if self.root_path and path.startswith(self.root_path) else path
        client = scope.get("client")
        self.remote_addr = client[0] if client else None
        self.max_content_length = None
        self._args = self._headers = None

    @property
    def args(self) -> ImmutableMultiDict:
        if self._args is None:
            self._args = ImmutableMultiDict(parse_query_string(self.query_string))
        return self._args

    @property
    def headers(self) -> dict[str, str]:
        """Lower-case names; a header sent more than once, its values joined by commas (as in a
        WSGI environ). Callers ask with lower-case names."""
        if self._headers is None:
            headers: dict[str, str] = {}
            for name, value in self._scope["headers"]:
                key, text = name.decode("latin-1").lower(), value.decode("latin-1")
                headers[key] = f"{headers[key]},{text}" if key in headers else text
            self._headers = headers
        return self._headers

    @property
    def mimetype(self) -> str:
        return self.headers.get("content-type", "").partition(";")[0].strip().lower()

    @property
    def host(self) -> str:
        return get_host(self.scheme, self.headers.get("host"), self._scope.get("server"))

    def get_data(self, cache: bool = True) -> bytes:
        if self.max_content_length is not None and len(self._body) > self.max_content_length:
            raise RequestEntityTooLarge()  # as werkzeug's Request does
        return self._body


class FastPath:
    def __init__(self, app, flask_wsgi):
        self.app = app
        self.flask_wsgi = flask_wsgi

    @staticmethod
    def takes(environ) -> bool:
        """Is this a plain query (GET with `query=`, or POST application/sparql-query)?"""
        method = environ.get("REQUEST_METHOD")
        return environ.get("PATH_INFO") in PATHS and (
            method == "GET"
            or (method == "POST" and environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower() == "application/sparql-query")
        )

    def __call__(self, environ, start_response):
        if not self.takes(environ):
            return self.flask_wsgi(environ, start_response)
        # populate_request=False: werkzeug would keep the request in environ, a reference cycle
        # left to the garbage collector, whose runs were most of the slowest 1% of answers
        req = FastRequest(environ, populate_request=False)
        try:
            done = sparql.run_answering(self.steps(req), self.app.extensions["vnkg"].queries.run)
        except Exception as exc:  # noqa: BLE001 - Flask turns it into the response (and logs a 500)
            return self.failed(environ, start_response, exc)
        if done is None:  # the help page or the Service Description: Flask's
            return self.flask_wsgi(environ, start_response)
        headers, body = done
        start_response("200 OK", headers)
        return [body]

    def failed(self, environ, start_response, exc: Exception):
        environ[sparql.FAST_PATH_ERROR] = exc
        return self.flask_wsgi(environ, start_response)

    def steps(self, req):
        """The answer to `req` (a FastRequest or a ScopeRequest) as steps (server.sparql.answering):
        yields (query, timeout) once, returns (headers, body), or None for a request that Flask
        answers."""
        app = self.app
        settings = app.config["SETTINGS"]
        op, text, params = sparql.read_operation(req, settings)
        if op is None:
            return None
        metrics = app.extensions["vnkg-metrics"]
        body, headers = yield from sparql.answering(text, params, req, settings, app.extensions["vnkg"], metrics)
        for name, value in ops.cors_headers(settings, req.headers.get("origin"), write=False, preflight=False):
            if name == "Vary":
                headers = [(k, f"{v}, {value}" if k == "Vary" else v) for k, v in headers]
            else:
                headers.append((name, value))
        headers.append(("Content-Length", str(len(body))))
        metrics.inc("vnkg_http_responses_total", status="200")
        return headers, body

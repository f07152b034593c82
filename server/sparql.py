"""Blueprint sparql: the SPARQL 1.1 Protocol on /sparql (queries and updates), /query and /update.

Queries: GET `?query=`, POST `application/x-www-form-urlencoded` (`query=`), or POST
`application/sparql-query` (the body is the query); `default-graph-uri` / `named-graph-uri` name the
dataset (default: the union of all graphs; rdflib's and Jena's names for a client's default graph,
`urn:x-rdflib:default`, `urn:x-arq:DefaultGraph`, mean that too). The answer format comes from
`Accept` (q-values honoured, media-type parameters ignored) or from `format=` (json, xml, csv, tsv for SELECT / ASK; turtle, ntriples, rdfxml, jsonld, nquads, trig
for CONSTRUCT / DESCRIBE; a media type works too); without either, JSON for SELECT / ASK and Turtle
for graphs. `timeout=` (seconds) may lower the server's time limit for one query.

Limits (kg.querying): a query is stopped at the time limit with 503 and a body that says the limit
(503 as Fuseki does; no Retry-After, since the same query would be stopped again); when every worker
and queue place is taken, 503 with Retry-After. An answer cut at `max_rows` rows / triples carries
`X-VNKG-Truncated: true` (and in SPARQL JSON a top-level `"vnkg:truncated": true`, in SPARQL XML a
`<link href="https://w3id.org/vnkg/def/core#truncated"/>`). Request bodies over `max_request_bytes`
get 413. SERVICE and LOAD may reach only the hosts on `allowed_hosts` (kg.safety): others get 403.
Text nesting more than 200 groups deep or chaining more than 4,000 operators gets 400 before the
engine parses it (kg.safety: its parser would overflow its stack).

Updates: POST form `update=` or POST `application/sparql-update`, with `Authorization: Bearer TOKEN`
matching `update_token` (or HTTP Basic with the token as password). No token configured: the service is read-only (403). A missing or wrong
token: 401. From a page of another site (its `Origin`): 403 unless `cors_updates` admits it
(server.ops). A refused update changes nothing. An update runs in a writer process (kg.writer), on
the store opened for writing, one writer at a time across the server's processes (kg.sharing); one
still running after `update_timeout` seconds is killed, nothing of it is written, and the answer is
503. Every later read sees an update that ran. An update
the store's state rules out (CREATE of a graph that exists, DROP / CLEAR / MOVE of one that does
not, without SILENT) is 400 and changes nothing.
`using-graph-uri` / `using-named-graph-uri` name the update's dataset (kg.protocol writes them into
the update as USING / USING NAMED); with a WITH / USING clause in the update as well: 400. Without
them an update's WHERE reads the store's default graph (SPARQL Update's own rule), not the union.

Plain queries (GET with `query=`, POST application/sparql-query) reach `answer_query` through
server.fastpath, a thin WSGI layer that skips Flask's request machinery; the checks are the same.

Relative IRIs in queries and updates are resolved against the endpoint's URL. A GET without a query
that accepts RDF gets the Service Description (server.service); a browser gets a help page.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import logging
import threading
import time

from flask import Blueprint, Response, current_app, g, request
from markupsafe import escape
from werkzeug.datastructures import ImmutableMultiDict, WWWAuthenticate
from werkzeug.exceptions import (
    BadGateway,
    BadRequest,
    Forbidden,
    HTTPException,
    InternalServerError,
    NotAcceptable,
    RequestEntityTooLarge,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
)

from kg import protocol, querying, safety
from kg.sharing import StoreBusy

from . import negotiate, ops
from .querystring import parse_query_string
from .state import state

bp = Blueprint("sparql", __name__)

# Media types offered, in order of preference (the first wins for */*).
RESULT_MEDIA = [
    ("json", "application/sparql-results+json"),
    ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"),
    ("tsv", "text/tab-separated-values"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("xml", "text/xml"),
]
GRAPH_MEDIA = [
    ("turtle", "text/turtle"),
    ("ntriples", "application/n-triples"),
    ("rdfxml", "application/rdf+xml"),
    ("jsonld", "application/ld+json"),
    ("nquads", "application/n-quads"),
    ("trig", "application/trig"),
    ("ntriples", "text/plain"),
    ("jsonld", "application/json"),
    ("turtle", "application/x-turtle"),
    ("rdfxml", "application/xml"),
    ("rdfxml", "text/xml"),
]
# `format=` names and aliases -> (results format or None, graph format or None)
FORMAT_NAMES = {
    "json": ("json", "jsonld"),
    "srj": ("json", None),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "ntriples": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "nt": (None, "ntriples"),
    "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "nquads": (None, "nquads"),
    "n-quads": (None, "nquads"),
    "nq": (None, "nquads"),
    "trig": (None, "trig"),
}

# Names that clients give the endpoint's own default graph (rdflib's Dataset sends the first as
# default-graph-uri); they mean "the default graph as the service has it", the union of all graphs.
CLIENT_DEFAULT_GRAPHS = {"urn:x-rdflib:default", "urn:x-arq:DefaultGraph", "urn:x-arq:UnionGraph"}

_log_lock = threading.Lock()


# --- routes ---------------------------------------------------------------------------------------


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    return _endpoint(allow_query=True, allow_update=True)


@bp.route("/query", methods=["GET", "POST"])
def query():
    return _endpoint(allow_query=True, allow_update=False)


@bp.route("/update", methods=["GET", "POST"])
def update():
    return _endpoint(allow_query=False, allow_update=True)


# --- the protocol ---------------------------------------------------------------------------------


FAST_PATH_ERROR = "vnkg.fastpath.error"


@bp.before_app_request
def _fast_path_error():
    # server.fastpath answers plain queries without Flask; when one fails there it hands the error
    # here, so that the error body, CORS and the metrics are Flask's, as for any other request.
    # (server.asgi does the same for a request body that stops coming, on any path.)
    exc = request.environ.pop(FAST_PATH_ERROR, None)
    if exc is not None:
        raise exc


def _endpoint(allow_query: bool, allow_update: bool):
    settings = current_app.config["SETTINGS"]
    op, text, params = read_operation(request, settings)
    if op is None:
        return _help_or_description(allow_query, allow_update)
    if op == "update":
        if not allow_update:
            raise BadRequest("this endpoint answers queries; send updates to /update or /sparql")
        g.vnkg_update = True
        return _update(text, params, settings)
    if not allow_query:
        raise BadRequest("this endpoint runs updates (parameter `update`); send queries to /query or /sparql")
    body, headers = answer_query(text, params, request, settings, state(), ops.metrics())
    return Response(body, status=200, headers=headers)


def read_operation(req, settings):
    """(`"query"` | `"update"` | None, text, parameters) from any of the protocol's request forms.

    `req` is a werkzeug Request: Flask's, or server.fastpath's own (the same parsing either way).
    """
    req.max_content_length = settings.max_request_bytes
    if len(req.query_string) > settings.max_request_bytes:
        raise RequestEntityTooLarge(f"the request is larger than the limit of {settings.max_request_bytes} bytes")
    if req.method in ("GET", "HEAD"):  # HEAD: GET's headers, without the body (Flask drops it)
        params = req.args
        if "update" in params:
            raise BadRequest("updates must be sent with POST (form parameter `update` or application/sparql-update)")
        return ("query", _one(params, "query"), params) if "query" in params else (None, "", params)
    mimetype = req.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        # read here rather than by werkzeug's form parser, which keeps what is not UTF-8 as text
        form = ImmutableMultiDict(parse_query_string(req.get_data(cache=True), "form"))
        params = _merge(_strict_args(req), form)
        if "query" in form and "update" in form:
            raise BadRequest("give either `query` or `update`, not both")
        if "update" in form:
            return "update", _one(form, "update"), params
        if "query" in form:
            return "query", _one(form, "query"), params
        raise BadRequest("missing form parameter `query` (or `update`)")
    if mimetype in ("application/sparql-query", "application/sparql-update"):
        try:
            text = req.get_data(cache=True).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the request body is not UTF-8: {exc}") from None
        return ("query" if mimetype.endswith("query") else "update"), text, _strict_args(req)
    raise UnsupportedMediaType(
        f"unsupported Content-Type {mimetype or '(none)'!r}: POST application/sparql-query, "
        "application/sparql-update or application/x-www-form-urlencoded"
    )


def _strict_args(req):
    """The query string's parameters, refused (400) when not UTF-8 (server.querystring): Flask's own
    request keeps such escapes as text."""
    return ImmutableMultiDict(parse_query_string(req.query_string))


def _param(params, name: str) -> str | None:
    # not `params.get(name)`: werkzeug's MultiDict raises and catches an exception for a missing
    # name, three times per query (~10 µs, and garbage that starts the collector)
    return params[name] if name in params else None


def _one(params, name: str) -> str:
    values = params.getlist(name)
    if len(values) != 1:
        raise BadRequest(f"give exactly one `{name}` parameter (got {len(values)})")
    return values[0]


def _merge(a, b):
    from werkzeug.datastructures import MultiDict

    merged = MultiDict(a)
    for key, value in b.items(multi=True):
        merged.add(key, value)
    return merged


def answer_query(text: str, params, req, settings, st, m) -> tuple[bytes, list[tuple[str, str]]]:
    """Run a query with every check and limit: (the answer's body, its headers), or an HTTPException.

    Shared by the Flask view and server.fastpath, so it takes what it needs as arguments (`req`, a
    werkzeug Request; `st`, the State; `m`, the Metrics) rather than from Flask's context.
    """
    return run_answering(answering(text, params, req, settings, st, m), st.queries.run)


def run_answering(steps, run):
    """Drive `answering` (or steps that end in it): run its query with `run(query, timeout)`,
    give it the outcome, return what it returns."""
    try:
        query, timeout = next(steps)
    except StopIteration as stop:  # steps that needed no query
        return stop.value
    try:
        answer = run(query, timeout)
    except querying.QueryError as exc:
        return _finish(steps.throw, exc)
    return _finish(steps.send, answer)


async def await_answering(steps, arun):
    """`run_answering` with a query that is awaited: `await arun(query, timeout)`."""
    try:
        query, timeout = next(steps)
    except StopIteration as stop:
        return stop.value
    try:
        answer = await arun(query, timeout)
    except querying.QueryError as exc:
        return _finish(steps.throw, exc)
    return _finish(steps.send, answer)


def _finish(step, value):
    try:
        step(value)
    except StopIteration as stop:
        return stop.value
    raise RuntimeError("answering() asked for a second query")


def answering(text: str, params, req, settings, st, m):
    """`answer_query` as steps, so that the query can also be awaited (server.asgi): a generator
    that yields (QueryRequest, timeout) once, takes the answer (or has the QueryError thrown in)
    and returns (body, headers), or raises an HTTPException."""
    try:
        scan = safety.check(text, settings.allowed_hosts)
    except safety.Refused as exc:
        raise Forbidden(str(exc)) from None
    except safety.TooDeep as exc:
        raise BadRequest(f"the query is refused: {exc}") from None
    results_format, graph_format = _negotiate(params, req.headers.get("accept", ""))
    query = querying.QueryRequest(
        query=text,
        default_graph=[g for g in params.getlist("default-graph-uri") if g not in CLIENT_DEFAULT_GRAPHS] or None,
        named_graphs=params.getlist("named-graph-uri") or None,
        union=not scan.has_dataset,
        results_format=results_format,
        graph_format=graph_format,
        max_rows=settings.max_rows,
        prefixes=scan.prefixes,
        base_iri=_endpoint_url(req),
        retry=not scan.remote,
    )
    timeout = _timeout(params)
    started = time.monotonic()
    status = 200
    m.flight(+1)
    try:
        answer = yield query, timeout
    except querying.QueryError as exc:
        status = exc.status
        if isinstance(exc, querying.QueryTimeout):
            m.inc("vnkg_sparql_query_timeouts_total")
        elif isinstance(exc, querying.Busy):
            m.inc("vnkg_sparql_busy_total")
        if isinstance(exc, querying.QueryFailed) and scan.remote:
            status = 502
            raise BadGateway(f"a SERVICE call failed: {exc.message}") from None
        raise _http_error(exc) from None
    finally:
        m.flight(-1)
        m.observe(time.monotonic() - started)
        if status != 200:
            m.inc("vnkg_sparql_query_errors_total", status=str(status))
        _log(settings, "query", text, status, started, req.remote_addr)
    m.inc("vnkg_sparql_queries_total", form=scan.form or "unknown", format=answer.format)
    if answer.truncated:
        m.inc("vnkg_sparql_truncated_total")
    headers = [("Content-Type", _content_type(answer.media_type)), ("Vary", "Accept")]
    if answer.truncated:
        headers.append(("X-VNKG-Truncated", "true"))
    return answer.body, headers


def _endpoint_url(req) -> str:
    # req.base_url, without werkzeug's IRI round trip (a tenth of a millisecond per query): the
    # endpoints' paths are plain ASCII.
    return f"{req.scheme}://{req.host}{req.root_path}{req.path}"


def _update(text: str, params, settings) -> Response:
    try:
        _authorise(settings)
        ops.check_write_origin()
    except HTTPException as exc:
        ops.metrics().inc("vnkg_sparql_updates_total", status=str(exc.code))
        raise
    try:
        scan = safety.check(text, settings.allowed_hosts)
    except safety.Refused as exc:
        raise Forbidden(str(exc)) from None
    except safety.TooDeep as exc:
        raise BadRequest(f"the update is refused: {exc}") from None
    try:
        text = protocol.update_with_dataset(text, params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri"))
    except protocol.DatasetConflict as exc:
        raise BadRequest(str(exc)) from None
    started = time.monotonic()
    status = 204
    try:
        base = request.base_url
        state().updates.run(text, base_iri=base)
    except StoreBusy:  # another program holds the store: 503 (server.errors)
        status = 503
        raise
    except querying.QueryError as exc:
        status = exc.status
        if isinstance(exc, querying.QueryTimeout):
            ops.metrics().inc("vnkg_sparql_update_timeouts_total")
        if isinstance(exc, querying.QueryFailed) and scan.remote:
            status = 502
            raise BadGateway(f"a LOAD or SERVICE call failed: {exc.message}") from None
        raise _http_error(exc) from None
    finally:
        ops.metrics().inc("vnkg_sparql_updates_total", status=str(status))
        _log(settings, "update", text, status, started, request.remote_addr)
    return Response(status=204)


def _authorise(settings) -> None:
    """Updates need the token: `Authorization: Bearer TOKEN`, or HTTP Basic with the token as the
    password (any user name), for clients that only do Basic (rdflib, Jena, SPARQLWrapper)."""
    if settings.allow_anonymous_update:
        return
    if not settings.update_token:
        raise Forbidden("this SPARQL service is read-only: updates are enabled by starting it with an update token")
    if not hmac.compare_digest(_given_token(), settings.update_token.encode()):
        raise Unauthorized(
            "updates need the header `Authorization: Bearer <update token>` (or Basic with the token as "
            "password); the token is missing or wrong",
            www_authenticate=[WWWAuthenticate("bearer", {"realm": "vnkg"}), WWWAuthenticate("basic", {"realm": "vnkg"})],
        )


def _given_token() -> bytes:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip().encode()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return b""
        user, colon, password = decoded.partition(":")
        return password.encode() if colon else b""
    return b""


def _negotiate(params, accept: str) -> tuple[str | None, str | None]:
    """The results format and the graph format to answer in (None: the client accepts none)."""
    name = _param(params, "format") or _param(params, "output")
    if name:
        key = name.strip().lower()
        if key in FORMAT_NAMES:
            return FORMAT_NAMES[key]
        by_media = [f for f, m in RESULT_MEDIA if m == key], [f for f, m in GRAPH_MEDIA if m == key]
        if by_media[0] or by_media[1]:
            return (by_media[0] or [None])[0], (by_media[1] or [None])[0]
        raise BadRequest(
            f"unknown format {name!r}: use one of json, xml, csv, tsv (SELECT / ASK) or "
            "turtle, ntriples, rdfxml, jsonld, nquads, trig (CONSTRUCT / DESCRIBE)"
        )
    return _formats_for(accept.strip())


@functools.lru_cache(maxsize=256)
def _formats_for(accept_header: str) -> tuple[str | None, str | None]:
    # Clients send the same few Accept headers again and again; matching costs more than a query.
    if not accept_header:
        return "json", "turtle"
    accept = negotiate.parse(accept_header)
    return _best(accept, RESULT_MEDIA), _best(accept, GRAPH_MEDIA)


def _best(accept, offered) -> str | None:
    media = accept.best_match([m for _, m in offered])
    return dict((m, f) for f, m in reversed(offered)).get(media) if media else None


def _timeout(params) -> float | None:
    raw = _param(params, "timeout")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadRequest(f"`timeout` must be a number of seconds, not {raw!r}") from None
    if not value > 0:
        raise BadRequest("`timeout` must be more than 0 seconds")
    return value


def _http_error(exc: querying.QueryError) -> HTTPException:
    if isinstance(exc, querying.Busy):
        return ServiceUnavailable(exc.message, retry_after=exc.retry_after)
    if isinstance(exc, querying.QueryTimeout):
        return ServiceUnavailable(exc.message)
    if isinstance(exc, querying.NotAcceptable):
        return NotAcceptable(exc.message)
    if isinstance(exc, (querying.QuerySyntaxError, querying.UpdateRefused)):
        return BadRequest(exc.message)
    return InternalServerError(exc.message)


def _content_type(media: str) -> str:
    if media.startswith("text/") or media in ("application/sparql-results+json", "application/n-triples"):
        return f"{media}; charset=utf-8"
    return media


def _help_or_description(allow_query: bool, allow_update: bool) -> Response:
    """No operation: the Service Description for RDF clients, a help page for browsers, else 400."""
    from . import service

    rdf = list(dict.fromkeys(m for _, m in GRAPH_MEDIA if m not in ("application/json", "application/xml", "text/xml", "text/plain")))
    if request.method == "GET" and "format" in request.args:
        return service.description_response(request.base_url, query=allow_query, update=allow_update)
    best = negotiate.best(rdf + ["text/html"]) if negotiate.has_accept() else rdf[0]
    if request.method == "GET" and best in rdf:
        return service.description_response(request.base_url, query=allow_query, update=allow_update)
    if best != "text/html":
        raise BadRequest("missing parameter `query`: GET /sparql?query=... or POST a query (see the SPARQL 1.1 Protocol)")
    return _help(allow_query, allow_update)


def _help(allow_query: bool, allow_update: bool) -> Response:
    example = escape("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10")
    html = f"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>SPARQL endpoint</title>
<h1>SPARQL endpoint</h1>
<p>This is the SPARQL 1.1 Protocol endpoint of vnkg. Write queries in the <a href="/sparql-ui">query editor</a>,
or send them here: <code>GET {escape(request.path)}?query=…</code>, a form POST with <code>query=</code>, or a POST of
<code>application/sparql-query</code>. The default graph is the union of all graphs.</p>
<form action="{escape(request.path)}" method="get">
<p><textarea name="query" rows="6" cols="80">{example}</textarea></p>
<p><label>format <select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option>
<option>turtle</option><option>jsonld</option></select></label> <button>Run</button></p>
</form>
</html>
"""
    return Response(html, content_type="text/html; charset=utf-8")


def _log(settings, kind: str, text: str, status: int, started: float, client: str | None) -> None:
    if not settings.query_log:
        return
    line = json.dumps(
        {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "kind": kind,
            "status": status,
            "seconds": round(time.monotonic() - started, 4),
            "client": client,
            "text": text,
        },
        ensure_ascii=False,
    )
    try:
        with _log_lock, open(settings.query_log, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError:
        # Flask's app.logger is this logger (the app is named after the package); no app context
        # is needed, so the fast path can log too.
        logging.getLogger("server").warning("cannot write the query log %s", settings.query_log)

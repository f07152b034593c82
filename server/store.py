"""Blueprint store: the SPARQL 1.1 Graph Store HTTP Protocol on /store.

Graphs are identified
- indirectly: `/store?graph=IRI` (a relative IRI is resolved against the request URL) or
  `/store?default` (the store's own default graph, not the union of all graphs that SPARQL
  queries see);
- directly: `/store/any/path` is the graph whose IRI is that URL, such as
  `http://host:port/store/person/1.ttl` (graphs made by a POST to /store live there too).

Methods: GET (404 for a graph that does not exist; an empty named graph exists), HEAD, PUT
(replace; 201 Created for a new graph, else 204), POST (merge; 201 for a new graph, else 204),
DELETE (204; 404 for no such graph; for the default graph it empties it). POST to /store itself
makes a new graph and answers 201 with its IRI in `Location`; a TriG or N-Quads body POSTed or PUT
to /store itself adds to (POST) or replaces (PUT) the whole dataset. GET /store itself gives the
whole dataset as TriG or N-Quads. A POST may be multipart/form-data: every part is read by its own
Content-Type (or its file name's extension) and all are added in one transaction.

Bodies: any RDF syntax pyoxigraph reads, by Content-Type (415 otherwise); a body that does not
parse is a 400 and nothing is written; a body over `max_upload_bytes` is a 413. Answers by
`Accept` (or `format=`), Turtle by default; large graphs are streamed.

Writes need the update token (`Authorization: Bearer ...`) unless anonymous updates are on; each
write is one transaction (`state().write`), seen by every later read.
"""

from __future__ import annotations

import uuid
from urllib.parse import urljoin

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import BadRequest, NotAcceptable, NotFound, UnsupportedMediaType

from kg import export, graphstore
from kg.querying import GRAPH_FORMATS
from kg.vocab import PREFIXES

from . import negotiate, ops
from .state import state

bp = Blueprint("store", __name__)

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
DATASET_MEDIA = [("trig", "application/trig"), ("nquads", "application/n-quads")]


@bp.route("/store", methods=METHODS)
@bp.route("/store/<path:rest>", methods=METHODS)
def graph_store(rest: str | None = None):
    settings = current_app.config["SETTINGS"]
    request.max_content_length = settings.max_upload_bytes
    target = _target(direct=rest is not None)
    if request.method in ("GET", "HEAD"):
        return _get(target)
    from .sparql import _authorise

    g.vnkg_update = True
    _authorise(settings)
    ops.check_write_origin()
    return _write(target)


# --- which graph ----------------------------------------------------------------------------------


def _target(direct: bool) -> graphstore.Graph | None:
    """The graph the request is about; None for the store itself (the whole dataset)."""
    args = request.args
    if direct:
        if "graph" in args or "default" in args:
            raise BadRequest("a graph named by its URL (/store/...) takes no `graph` or `default` parameter")
        return _graph_iri(request.base_url, "the URL")
    if "graph" in args and "default" in args:
        raise BadRequest("give either `graph=IRI` or `default`, not both")
    if "default" in args:
        return ox.DefaultGraph()
    if "graph" not in args:
        return None
    values = args.getlist("graph")
    if len(values) != 1 or not values[0].strip():
        raise BadRequest(f"give exactly one non-empty `graph` parameter (got {len(values)})")
    try:
        iri = urljoin(request.base_url, values[0].strip())
    except ValueError as exc:  # urllib cannot read it (an unclosed IPv6 host, ...)
        raise BadRequest(f"`graph` is not a valid IRI: {values[0]!r} ({exc})") from None
    return _graph_iri(iri, "`graph`", values[0])


def _graph_iri(iri: str, what: str, given: str | None = None) -> ox.NamedNode:
    given = iri if given is None else given
    if any(ord(c) < 0x20 or c in '<>"{}|^`\\' for c in iri + given):
        raise BadRequest(f"{what} is not a valid IRI: {given!r} (it has a character IRIs may not hold)")
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadRequest(f"{what} is not a valid IRI: {given!r} ({exc})") from None


# --- reading --------------------------------------------------------------------------------------


def _get(target: graphstore.Graph | None) -> Response:
    from .export import stream
    from .sparql import FORMAT_NAMES, GRAPH_MEDIA

    store = state().store
    if target is not None and not graphstore.exists(store, target):
        raise NotFound(f"no graph {target} in the store")
    fmt = _negotiate(DATASET_MEDIA if target is None else GRAPH_MEDIA, FORMAT_NAMES)
    rdf_format, media = GRAPH_FORMATS[fmt]
    if fmt == "jsonld" and export.has_triple_terms(store, target):  # found before the first byte is sent
        others = ", ".join(m for f, m in (DATASET_MEDIA if target is None else GRAPH_MEDIA) if f != fmt)
        raise NotAcceptable(f"the data holds RDF 1.2 triple terms, which JSON-LD cannot write; ask for one of {others}")
    content_type = f"{media}; charset=utf-8" if media.startswith("text/") or media == "application/n-triples" else media
    prefixes = PREFIXES if fmt in ("turtle", "trig", "rdfxml") else None
    if request.method == "HEAD":
        response = Response(status=200, content_type=content_type)
    elif target is None:
        response = Response(stream(lambda out: store.dump(out, rdf_format, prefixes=prefixes)), content_type=content_type)
    elif rdf_format.supports_datasets:
        quads = lambda: store.quads_for_pattern(None, None, None, target)  # noqa: E731
        response = Response(stream(lambda out: ox.serialize(quads(), out, rdf_format, prefixes=prefixes)), content_type=content_type)
    else:
        response = Response(stream(lambda out: store.dump(out, rdf_format, from_graph=target, prefixes=prefixes)), content_type=content_type)
    response.headers["Vary"] = "Accept"
    return response


def _negotiate(offered: list[tuple[str, str]], names: dict) -> str:
    name = request.args.get("format")
    if name:
        fmt = names.get(name.strip().lower(), (None, None))[1]
        if fmt is None or fmt not in dict(offered):
            raise BadRequest(f"unknown or unsuitable format {name!r}: use one of {', '.join(dict(offered))}")
        return fmt
    if not negotiate.has_accept():
        return offered[0][0]
    media = negotiate.best([m for _, m in offered])
    if media is None:
        raise NotAcceptable(f"this can be given as {', '.join(dict.fromkeys(m for _, m in offered))}; the request accepts none of these")
    return dict((m, f) for f, m in reversed(offered))[media]


# --- writing --------------------------------------------------------------------------------------


def _write(target: graphstore.Graph | None) -> Response:
    """The request's write: its body read first, then one change to the store (kg.sharing)."""
    method = request.method
    if method == "DELETE":
        if target is None:
            raise BadRequest("DELETE needs a graph: /store?graph=IRI, /store?default or /store/...")
        if not state().write(lambda store: graphstore.delete(store, target)):
            raise NotFound(f"no graph {target} in the store")
        return Response(status=204)
    base = target.value if isinstance(target, ox.NamedNode) else request.base_url
    quads = _body_quads(base)
    if target is None:
        if all(isinstance(q.graph_name, ox.DefaultGraph) for q in quads) and method == "POST" and not _dataset_body():
            # POST to the store itself: a new graph, named under /store/ so it can be read there.
            target = ox.NamedNode(request.url_root + "store/" + uuid.uuid4().hex)
            _store(lambda store: graphstore.post(store, target, quads))
            response = Response(status=201)
            response.headers["Location"] = target.value
            return response
        if not _dataset_body():
            raise BadRequest("a PUT to the store itself replaces the whole dataset: send TriG or N-Quads")
        _store(lambda store: (graphstore.put_dataset if method == "PUT" else graphstore.post_dataset)(store, quads))
        return Response(status=204)
    try:
        quads = graphstore.triples_only(quads)
    except graphstore.BadContent as exc:
        raise BadRequest(str(exc)) from None
    created = _store(lambda store: (graphstore.put if method == "PUT" else graphstore.post)(store, target, quads))
    return Response(status=201 if created else 204)


def _store(change):
    try:
        return state().write(change)
    except graphstore.BadContent as exc:
        raise BadRequest(str(exc)) from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise BadRequest(f"the data could not be stored: {exc}") from None


def _dataset_body() -> bool:
    try:
        return graphstore.rdf_format(request.headers.get("Content-Type")).supports_datasets
    except graphstore.UnsupportedFormat:
        return False


def _body_quads(base: str) -> list[ox.Quad]:
    """The quads of the request body (of every part of a multipart body), parsed whole."""
    try:
        if request.mimetype == "multipart/form-data":
            if request.method != "POST":
                raise BadRequest("multipart/form-data is for POST")
            quads: list[ox.Quad] = []
            for name, part in request.files.items(multi=True):
                media = part.mimetype
                if not media or media in ("application/octet-stream", "text/plain"):
                    by_ext = ox.RdfFormat.from_extension(part.filename.rsplit(".", 1)[-1]) if part.filename and "." in part.filename else None
                    media = by_ext.media_type if by_ext else media
                label = f"the part {part.filename or name!r}"
                quads += graphstore.parse(part.read(), media + _charset(part.mimetype_params), base, name=label)
            for name in request.form:
                raise BadRequest(f"the form field {name!r} has no file name or Content-Type; send each part as a file")
            if not request.files:
                raise BadRequest("the multipart/form-data body has no parts (is its boundary right?)")
            return quads
        return graphstore.parse(request.get_data(cache=False), request.headers.get("Content-Type"), base)
    except graphstore.UnsupportedFormat as exc:
        raise UnsupportedMediaType(str(exc)) from None
    except graphstore.BadContent as exc:
        raise BadRequest(str(exc)) from None


def _charset(params: dict) -> str:
    return f"; charset={params['charset']}" if "charset" in params else ""

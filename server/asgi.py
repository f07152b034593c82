"""The app as granian serves it: an ASGI front that answers SPARQL queries on its event loop and
hands everything else to the WSGI app (Flask) on a pool of threads.

Why: a process runs Python in one thread at a time (the GIL). With a thread per request, a point
lookup spent more time waiting for the GIL, behind the other requests' threads, than running: with
eight clients the slowest answers took 3–5× Oxigraph's. Here a query — GET /sparql?query=... or POST
application/sparql-query to /sparql or /query, the requests server.fastpath takes — runs on the
event loop: its checks and its answer in the loop's thread, one request after another, queued fairly
by granian (in Rust) rather than in front of the GIL. A query about one resource is answered right
there (kg.querying.one_resource: the row cap bounds it); any other goes to a query worker process,
and the loop waits for the worker's pipe (`QueryPool.arun`) instead of holding a thread. The steps
are server.fastpath's and server.sparql's own (`answering`), so answers, checks, limits, errors and
metrics are the same as under a WSGI server. Everything else — pages, updates, the Graph Store,
exports, the help page — runs on `threads` threads (a2wsgi), as under a WSGI server, once its body
has come whole (read on the loop: a slow or stalled upload holds no thread).
"""

from __future__ import annotations

import asyncio
import threading
from io import BytesIO
from urllib.parse import quote_from_bytes

from a2wsgi.wsgi import WSGIMiddleware, build_environ
from werkzeug.exceptions import ClientDisconnected, RequestTimeout

from . import sparql
from .fastpath import PATHS, FastPath, ScopeRequest


class Front:
    def __init__(self, app, threads: int):
        self.app = app
        self.fast: FastPath = app.wsgi_app  # server.fastpath's layer, in front of Flask
        self.threaded = WSGIMiddleware(self._whole_body, workers=max(1, threads))
        self._in_threads: set[threading.Event] = set()  # the `gone` flags of the requests on threads

    def _whole_body(self, environ, start_response):
        # A chunked body larger than the loop reads (see __call__): werkzeug would read it as
        # empty, or, told that the stream ends with the body, cut it silently at the limit. So it
        # is read here, up to one byte past the largest limit, and given its length: werkzeug then
        # answers 413 for a body over its endpoint's limit, as for any other.
        if "CONTENT_LENGTH" not in environ and environ["REQUEST_METHOD"] in ("POST", "PUT", "PATCH"):
            try:
                _buffered(environ, environ["wsgi.input"].read(self.app.config["MAX_CONTENT_LENGTH"] + 1))
            except ClientDisconnected as exc:
                return exc(environ, start_response)
        return _until(environ["asgi.scope"]["vnkg.gone"], self.app(environ, start_response))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        if not scope["query_string"].isascii():
            scope = _ascii_query(scope)
        if scope["type"] == "http" and scope["path"] in PATHS and _is_query(scope) and await self._query(scope, receive, send):
            return
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH"):
            # A body of up to max_request_bytes is read here, on the loop, before a thread is
            # taken: a client that sends it slowly, or stops halfway, holds no thread (two dozen
            # such clients took every thread, and pages and writes waited). Larger ones (Graph
            # Store uploads) are read by their thread once the endpoint has checked the token.
            small = self.app.config["SETTINGS"].max_request_bytes
            declared = _header(scope, b"content-length")
            if declared is None or (declared.isdigit() and int(declared) <= small):
                try:
                    body, whole = await _read_body(receive, small + 1, idle=BODY_IDLE_SECONDS)
                except ClientDisconnected:
                    return  # gone before the end of its body: there is no one to answer
                except TimeoutError:
                    return await self._too_slow(scope, send)
                if whole:  # handed on with its length (werkzeug read a chunked body as empty)
                    scope, receive = _with_length(scope, len(body)), _replay(body)
                else:  # a larger chunked body: what came, then the rest (see _whole_body)
                    receive = _replay(body, then=receive)

        async def coroutine_receive():
            # a2wsgi hands receive() to the loop from its threads with run_coroutine_threadsafe,
            # which wants a coroutine; granian's receive() gives an awaitable of its own
            return _not_cut(await receive())

        # a2wsgi's thread puts the answer's parts in a bounded queue that a task on the loop sends
        # on. When a send failed (the client went away), that task ended, the queue filled, and
        # the thread waited on it forever (with the export it was streaming): after eight such
        # clients no thread was left, and the process could not exit. So a failed send marks the
        # request `gone`, the parts after it are dropped, and its thread stops at the next part.
        gone = threading.Event()

        async def send_until_gone(message):
            if gone.is_set():
                return
            try:
                await send(message)
            except Exception:  # noqa: BLE001 - granian's error for a connection that is closed
                gone.set()

        self._in_threads.add(gone)
        try:
            return await self.threaded({**scope, "vnkg.gone": gone}, coroutine_receive, send_until_gone)
        finally:
            self._in_threads.discard(gone)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Answers still streaming from threads (exports) are cut, and their threads given
                # a few seconds to stop while the loop still runs: a thread waiting on a loop that
                # has stopped would keep the process from exiting.
                for gone in list(self._in_threads):
                    gone.set()
                for _ in range(100):
                    if not self._in_threads:
                        break
                    await asyncio.sleep(0.05)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _query(self, scope, receive, send) -> bool:
        """Answer a query; False for a GET that is not one after all (Flask's help page)."""
        body = b""
        if scope["method"] == "POST":
            # the body, up to one byte past the limit (see __call__)
            try:
                body, _ = await _read_body(receive, self.app.config["SETTINGS"].max_request_bytes + 1, idle=BODY_IDLE_SECONDS)
            except ClientDisconnected:
                return True  # gone before the end of its query: there is no one to answer
            except TimeoutError:
                await self._too_slow(scope, send)
                return True
        try:
            done = await sparql.await_answering(self.fast.steps(ScopeRequest(scope, body)), self.app.extensions["vnkg"].queries.arun)
        except Exception as exc:  # noqa: BLE001 - Flask makes the error's response, as for WSGI
            environ = build_environ(scope, BytesIO())
            if scope["method"] == "POST":
                _buffered(environ, body)
            await _send_wsgi(self.fast.failed, environ, send, exc)
            return True
        if done is None:
            return False
        headers, body = done
        await send({"type": "http.response.start", "status": 200, "headers": _encode(headers)})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _too_slow(self, scope, send) -> None:
        exc = RequestTimeout(f"no part of the request body came for {BODY_IDLE_SECONDS} s")
        await _send_wsgi(self.fast.failed, build_environ(scope, BytesIO()), send, exc)


BODY_IDLE_SECONDS = 30  # the longest wait for the next part of a request body (granian's for headers)


def _header(scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _with_length(scope, length: int):
    """The scope of a request whose body has been read whole: its length, no longer chunked."""
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"content-length", b"transfer-encoding")]
    return {**scope, "headers": headers + [(b"content-length", str(length).encode())]}


def _replay(body: bytes, then=None):
    """A receive() that gives `body` first: the whole body, or (with `then`) its first part,
    `then` giving the rest."""
    first = [{"type": "http.request", "body": body, "more_body": then is not None}]

    async def receive():
        return first.pop() if first else await then()

    return receive


def _buffered(environ, body: bytes) -> None:
    """The request's body, read whole: with its length, and no longer chunked (werkzeug reads a
    chunked body as empty unless told the stream ends, and then cuts it at the limit silently)."""
    environ["wsgi.input"], environ["CONTENT_LENGTH"] = BytesIO(body), str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)


_ASCII = "".join(map(chr, range(128)))


def _ascii_query(scope):
    """The scope with the bytes of its query string outside ASCII percent-encoded, which means the
    same to a URL decoder. Some clients send them raw (UTF-8 in the request line); a2wsgi reads the
    query string as ASCII, and failed on them with a 500."""
    return {**scope, "query_string": quote_from_bytes(scope["query_string"], safe=_ASCII).encode("ascii")}


def _is_query(scope) -> bool:
    """GET with `query=`, or POST application/sparql-query (FastPath.takes, on the scope)."""
    method = scope["method"]
    if method == "GET":
        return b"query=" in scope["query_string"]
    if method != "POST":
        return False
    for name, value in scope["headers"]:
        if name.lower() == b"content-type":
            return value.partition(b";")[0].strip().lower() == b"application/sparql-query"
    return False


def _not_cut(message: dict) -> dict:
    """The message, unless it says the client went away before the end of its body: granian says so
    for a stream cut short or a malformed chunk, and a2wsgi took it for the end of the body (a
    chunked PUT cut halfway replaced the graph with the half that came)."""
    if message["type"] == "http.disconnect":
        raise ClientDisconnected("the request body was cut off: the connection ended before its end")
    return message


async def _read_body(receive, limit: int, idle: float | None = None) -> tuple[bytes, bool]:
    """(what came of the body, whether that is all of it): read until it ends or `limit` bytes have
    come (a message is kept whole); TimeoutError when no part of it comes for `idle` seconds."""
    body = bytearray()
    while len(body) < limit:
        message = _not_cut(await asyncio.wait_for(receive(), idle) if idle else await receive())
        body += message.get("body", b"")
        if not message.get("more_body"):
            return bytes(body), True
    return bytes(body), False


async def _send_wsgi(handler, environ, send, exc: Exception) -> None:
    """The response Flask makes for `exc` (an error page: cheap, made right here)."""
    started: list = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, headers]

    body = b"".join(handler(environ, start_response, exc))
    status, headers = started
    await send({"type": "http.response.start", "status": int(status[:3]), "headers": _encode(headers)})
    await send({"type": "http.response.body", "body": body})


def _encode(headers) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def _until(gone: threading.Event, body):
    """The response body `body`, until the request is `gone`; closed either way (an export's
    close stops the thread writing it)."""
    try:
        for part in body:
            yield part
            if gone.is_set():
                return
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()

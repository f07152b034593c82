"""The app as granian serves it: an ASGI front that answers cheap queries on its event loop and
hands everything else to the WSGI app (Flask, behind server.fastpath) in a pool of threads.

Why: a process answers in one Python thread at a time (the GIL). With a thread per request, a
point lookup spent more time waiting for the GIL, behind the other requests' threads, than running;
with eight clients the slowest answers took 3–5× Oxigraph's. With one thread per process the tail
was at Oxigraph's, but a request waiting for a query worker (up to the time limit) held the only
thread and everything queued behind it. So: requests that cannot wait — a GET of a query about one
resource (kg.querying.one_resource: bounded by the row cap, answered in the process in well under a
millisecond) — run one after another on the event loop, queued fairly by granian, never waiting for
the GIL behind another request; everything else — pages, updates, exports, queries that go to the
query workers (whose wait holds a thread, but not the GIL) — runs on `threads` threads, as before.
Both paths go through the same WSGI app, so the answers, checks, limits and metrics are the same.
"""

from __future__ import annotations

from io import BytesIO

from a2wsgi.wsgi import WSGIMiddleware, build_environ

from kg.querying import one_resource

from .fastpath import PATHS, parse_query_string


class Front:
    def __init__(self, app, threads: int):
        self.app = app
        self.wsgi_app = app.wsgi_app  # server.fastpath's layer, in front of Flask
        self.threaded = WSGIMiddleware(self._whole_body, workers=max(1, threads))

    def _whole_body(self, environ, start_response):
        # a2wsgi's body reader ends where the request's body ends, Content-Length or not: say so,
        # or werkzeug reads a chunked body (no Content-Length) as empty
        environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await _lifespan(receive, send)
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] in PATHS and _cheap(scope["query_string"]):
            return await self._inline(scope, send)
        async def coroutine_receive():
            # a2wsgi hands receive() to the loop from its threads with run_coroutine_threadsafe,
            # which wants a coroutine; granian's receive() gives an awaitable of its own
            return await receive()

        return await self.threaded(scope, coroutine_receive, send)

    async def _inline(self, scope, send) -> None:
        started: list = []

        def start_response(status, headers, exc_info=None):
            started[:] = [status, headers]

        body = b"".join(self.wsgi_app(build_environ(scope, BytesIO()), start_response))
        status, headers = started
        await send({
            "type": "http.response.start",
            "status": int(status[:3]),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        })
        await send({"type": "http.response.body", "body": body})


def _cheap(query_string: bytes) -> bool:
    """A query string with one `query` that is about one resource (and nothing that is not ASCII)."""
    if b"query=" not in query_string:
        return False
    try:
        texts = [v for k, v in parse_query_string(query_string) if k == "query"]
    except (UnicodeDecodeError, ValueError):
        return False
    return len(texts) == 1 and one_resource(texts[0])


async def _lifespan(receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


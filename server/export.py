"""Blueprint export: /export.{ttl,trig,nq,nt,jsonld,rdf}[?graph=IRI] — the store, streamed.

The dump (kg.export.dump) runs in a thread and writes into a bounded queue that the response
reads from, so a large store is sent as it is serialised, never held whole in memory; a client that
goes away stops the dump. TriG and N-Quads keep the named graphs; the triple syntaxes give the
union of all graphs (or the one graph asked for).
"""

from __future__ import annotations

import queue
import threading

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import BadRequest, NotFound

from kg import export

from .state import state

bp = Blueprint("export", __name__)

EXTENSIONS = {ext: name for name, (_, _, ext) in export.FORMATS.items()}
CHUNK = 64 * 1024
_END = object()


@bp.route("/export.<ext>", methods=["GET"])
def export_store(ext: str):
    fmt = EXTENSIONS.get(ext)
    if fmt is None:
        raise NotFound(f"no export as .{ext}: use one of {', '.join('/export.' + e for e in EXTENSIONS)}")
    graph = request.args.get("graph") or None
    store = state().store
    try:
        export.check(store, fmt, graph)
    except ValueError as exc:
        raise (NotFound if graph and "no graph" in str(exc) else BadRequest)(str(exc)) from None
    media = export.FORMATS[fmt][1]
    return Response(_stream(store, fmt, graph), content_type=_content_type(media))


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") or media == "application/n-triples" else media


class _Pipe:
    """A file-like object whose writes are handed, in chunks, to the generator that sends them."""

    def __init__(self):
        self.chunks: queue.Queue = queue.Queue(maxsize=16)
        self.cancelled = threading.Event()
        self.buf = bytearray()

    def write(self, data) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self._put(bytes(self.buf))
            self.buf.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def close_with(self, item) -> None:
        if self.buf:
            self._put(bytes(self.buf))
            self.buf.clear()
        self._put(item)

    def _put(self, item) -> None:
        while not self.cancelled.is_set():
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        raise OSError("the client went away")


def _stream(store, fmt: str, graph: str | None):
    return stream(lambda out: export.dump(store, out, fmt, graph))


def stream(write):
    """The chunks that `write(out)` writes to its binary file-like `out`, as a response body.

    `write` runs in a thread and may be as large as the store: it is sent as it is written, and a
    client that goes away stops it (its next write raises OSError).
    """
    pipe = _Pipe()
    app = current_app._get_current_object()

    def produce():
        try:
            write(pipe)
            pipe.close_with(_END)
        except OSError:
            if not pipe.cancelled.is_set():
                app.logger.exception("export failed")
                _safe_close(pipe)
        except Exception:
            app.logger.exception("export failed")
            _safe_close(pipe)

    thread = threading.Thread(target=produce, name="vnkg-export", daemon=True)
    thread.start()

    def chunks():
        try:
            while True:
                item = pipe.chunks.get()
                if item is _END:
                    return
                yield item
        finally:
            pipe.cancelled.set()

    return chunks()


def _safe_close(pipe: _Pipe) -> None:
    # The response has started; all that can be done is to end it.
    try:
        pipe.close_with(_END)
    except OSError:
        pass

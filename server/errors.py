"""Error pages: a readable body and the right status, never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from kg.sharing import StoreBusy


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body = {"error": exc.name, "status": exc.code, "message": exc.description}
        # Keep the headers the exception carries (Retry-After, WWW-Authenticate, Allow, ...).
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")]
        if request.accept_mimetypes.best_match(["application/json", "text/html", "text/plain"]) == "text/html":
            return f"<!doctype html><title>{exc.code} {exc.name}</title><h1>{exc.code} {exc.name}</h1><p>{_escape(exc.description)}</p>", exc.code, headers
        if request.accept_mimetypes.best == "application/json":
            return jsonify(body), exc.code, headers
        return f"{exc.code} {exc.name}: {exc.description}\n", exc.code, [("Content-Type", "text/plain; charset=utf-8"), *headers]

    @app.errorhandler(StoreBusy)
    def store_busy(exc: StoreBusy):
        # another program (a `vnkg build` into the served store) holds it open for writing
        return f"503 Service Unavailable: {exc}\n", 503, {"Content-Type": "text/plain; charset=utf-8", "Retry-After": "5"}

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("unhandled error")
        return "500 Internal Server Error: the server failed; the error is logged.\n", 500, {"Content-Type": "text/plain; charset=utf-8"}


def _escape(text: str | None) -> str:
    from markupsafe import escape

    return str(escape(text or ""))

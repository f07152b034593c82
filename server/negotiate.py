"""Content negotiation on `Accept`, with q-values, ignoring media-type parameters.

Werkzeug matches `text/turtle; charset=utf-8` in an Accept header only against an offer with the
same parameters, so a client that asks for that gets nothing; here parameters other than q are
dropped before matching (the answer is always UTF-8).
"""

from __future__ import annotations

from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


def parse(header: str) -> MIMEAccept:
    parsed = parse_accept_header(header, MIMEAccept)
    return MIMEAccept([(value.split(";", 1)[0].strip().lower(), q) for value, q in parsed])


def accepted() -> MIMEAccept:
    return parse(request.headers.get("Accept", ""))


def has_accept() -> bool:
    return bool(request.headers.get("Accept", "").strip())


def best(offered: list[str]) -> str | None:
    """The offered media type the client likes best (the first offered wins a tie), or None."""
    return accepted().best_match(offered)

"""Query strings and form-encoded bodies read as werkzeug reads them, fast, and refused when they
are not UTF-8."""

from __future__ import annotations

import codecs
from urllib.parse import parse_qsl

from werkzeug.exceptions import BadRequest


def parse_query_string(raw: bytes, what: str = "query string") -> list[tuple[str, str]]:
    """The pairs of a query string (or a form-encoded body), as werkzeug's `Request.args` reads
    them, at C speed, except that text that is not UTF-8 is refused (BadRequest) where werkzeug
    would keep its escapes as text (`%FF`): a query or update would then run with other text than
    its client sent, and store it.

    urllib's `unquote` is pure Python and builds a list item per escape: a percent-encoded query
    of 300 characters took ~30 µs, a tenth of the web process' time on a point lookup. Here each
    part's escapes become `\\xHH` and `codecs.escape_decode` (C) turns them into bytes, decoded as
    strict UTF-8; a part with a malformed escape (`%zz`, kept as it is written, as by werkzeug and
    browsers) goes to urllib's parsing.
    """
    try:
        text = raw.decode()
        try:
            return [(_unquote(name), _unquote(value)) for name, _, value in (pair.partition("=") for pair in text.split("&") if pair)]
        except UnicodeDecodeError:
            raise
        except ValueError:  # a malformed escape
            return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(f"the {what} is not UTF-8 (once its %-escapes are decoded): send the text as UTF-8") from None


def _unquote(part: str) -> str:
    part = part.replace("+", " ")
    if "%" not in part:
        return part
    escaped = part.replace("\\", "\\\\").replace("%", "\\x").encode("utf-8")
    return codecs.escape_decode(escaped)[0].decode("utf-8")

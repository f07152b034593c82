"""The SERVICE / LOAD guard: no query or update reaches a host that is not on the allow-list.

pyoxigraph really fetches `SERVICE <iri>` and `LOAD <iri>` targets over HTTP, and offers no hook to
stop it, so this check runs on the text before the engine sees it.

The text is read with a tokenizer that follows the SPARQL lexical grammar (strings, long strings,
comments, IRIs, prefixed names with escapes, variables, language tags), so a `SERVICE` inside a
string or comment is not mistaken for one, and one cannot hide behind a comment or a string either:
an IRI token cannot contain `{` (which every SERVICE block needs) nor whitespace, and strings and
comments are lexed the way the engine lexes them. Every target is resolved the way the engine
resolves it: prefixed names through the PREFIX declarations seen so far, relative IRIs against BASE,
and `\\uXXXX` escapes inside IRIs (which pyoxigraph decodes) are decoded before the host is read.

A target is allowed only when it is an http(s) IRI whose host is on `allowed_hosts`; everything
else is refused: `SERVICE ?var` (its target is only known while the query runs), IRIs with user
info, percent-encoded or backslashed hosts, other schemes. Loopback and private addresses get no
special path: they are refused unless listed, like every other host.

Allow-list entries: `example.org` (that host, any port), `example.org:8890` (that host and port),
`*.example.org` or `.example.org` (its sub-domains), `127.0.0.1`, `[::1]` / `::1`.

The same scan reports what the server needs to know about a query without a parser: its form
(SELECT, ASK, CONSTRUCT, DESCRIBE), whether it names its own dataset (FROM / FROM NAMED, in which
case the union default graph must not override it), and its PREFIX declarations (reused when a
graph result is written as Turtle).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

__all__ = ["Refused", "TooDeep", "MAX_NESTING", "MAX_OPERATORS", "Scan", "scan", "check", "host_allowed", "lex"]

# Groups, brackets and parentheses a query or update may nest, and operators it may chain.
# pyoxigraph's parser recurses once per level and once per operator of a chain (`1+1+…`,
# `?a||?b||…`, `p/p/…`, `!!…`, `{…} UNION {…} UNION …`) and overflows the thread's stack — the
# process dies with a segmentation fault — at some 2,500 levels, 5,000–10,000 operators or tens of
# thousands of UNIONs; written queries have a few dozen of any.
MAX_NESTING = 200
MAX_OPERATORS = 4000
_OPERATORS = frozenset("+-*/|&^!")


class Refused(Exception):
    """A SERVICE or LOAD target is not allowed; the message names it and says why."""


class TooDeep(ValueError):
    """The text nests deeper than MAX_NESTING, or chains more than MAX_OPERATORS operators:
    refused before the engine's parser sees it."""


@dataclass
class Scan:
    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None for updates or unreadable text
    has_dataset: bool = False  # the query has FROM / FROM NAMED
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None
    # (keyword, target IRI or None when the target is a variable or unreadable, as written)
    remote: list[tuple[str, str | None, str]] = field(default_factory=list)
    nesting: int = 0  # the deepest nesting of { ( [ outside strings, IRIs and comments
    operators: int = 0  # + - * / | & ^ ! and UNION outside strings, IRIs and comments (`||` counts 2)


# --- the lexer ------------------------------------------------------------------------------------

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
# At most 64 characters: a longer prefix is read as something else, whose target is then unknown
# and refused. Unbounded, `a.a.a.a…` took time quadratic in its length (each `a` rescanned the run).
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]{{0,62}}[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"

_TOKEN = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\r\n]*)",
            r"(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\r\n]|\\.)*'"
            r'|"(?:[^"\\\r\n]|\\.)*")',
            # Wider than IRIREF (it lets `\` through, for the \u escapes pyoxigraph decodes); it still
            # excludes whitespace, braces and quotes, so nothing the engine runs can hide inside.
            r'(?P<iri><[^<>"{}|^`\x00-\x20]*>)',
            r"(?P<var>[?$][" + _PN_CHARS_U + r"0-9][" + _PN_CHARS_U + r"0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            r"(?P<bnode>_:[" + _PN_CHARS_U + r"0-9](?:[" + _PN_CHARS + r".]*[" + _PN_CHARS + r"])?)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<word>[A-Za-z_][A-Za-z_0-9]*)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)

_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESC = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def lex(text: str):
    """(kind, text, start, end) for every token that is not whitespace or a comment.

    Kinds: string, iri, var, bnode, pname, langtag, word (keywords and other names), other (one
    character: punctuation such as `{`, `}`, `;`).

    A quote that starts no string (one never closed) ends the tokens: outside strings, IRIs and
    comments a quote can only start a string, so the engine refuses such text whatever follows.
    Going on would rescan the rest of the text from every later quote (`\\"\\"\\"…`: time
    quadratic in its length, with the event loop held).
    """
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "other" and m.group() in "'\"":
            return
        yield kind, m.group(), m.start(), m.end()


def _tokens(text: str):
    for kind, tok, _, _ in lex(text):
        yield kind, tok


def _unescape_uchars(s: str) -> str:
    def repl(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _UCHAR.sub(repl, s)


# --- the scan -------------------------------------------------------------------------------------

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def scan(text: str) -> Scan:
    """Read what the server needs from a query or update without evaluating it."""
    result = Scan()
    tokens = list(_tokens(text))
    # pyoxigraph reads `SERVICE:x {`, `SILENT:x` and an operation starting `LOAD:x` as the keyword
    # followed by the name `:x`; `at_start` tracks where an update operation may begin.
    at_start = True
    depth = 0
    i = 0
    while i < len(tokens):
        kind, tok = tokens[i]
        if kind == "other":
            if tok in "{([":
                depth += 1
                result.nesting = max(result.nesting, depth)
            elif tok in "})]":
                depth -= 1
            elif tok in _OPERATORS:
                result.operators += 1
        upper = tok.upper() if kind == "word" else ""
        if upper == "UNION":
            result.operators += 1
        if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" and tokens[i + 2][0] == "iri":
            name = tokens[i + 1][1][:-1] if tokens[i + 1][1].endswith(":") else None
            if name is not None:
                result.prefixes[name] = _resolve_iri(tokens[i + 2][1], result.base)
            i += 3
            at_start = True
            continue
        if upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            result.base = _resolve_iri(tokens[i + 1][1], result.base)
            i += 2
            at_start = True
            continue
        if kind == "pname":
            head, _, local = tok.partition(":")
            next_tok = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if (head.upper() == "SERVICE" and next_tok == "{") or (head.upper() == "LOAD" and at_start):
                result.remote.append((head.upper(), _expand(":" + local, result.prefixes), ":" + local))
        if upper in _FORMS and result.form is None:
            result.form = upper
        elif upper == "FROM":
            result.has_dataset = True
        elif upper in ("SERVICE", "LOAD"):
            j = i + 1
            target_kind, target = tokens[j] if j < len(tokens) else ("end", "")
            if target_kind == "word" and target.upper() == "SILENT":
                target_kind, target = tokens[j + 1] if j + 1 < len(tokens) else ("end", "")
            elif target_kind == "pname" and target.partition(":")[0].upper() == "SILENT":
                target = ":" + target.partition(":")[2]
            iri: str | None = None
            if target_kind == "iri":
                iri = _resolve_iri(target, result.base)
            elif target_kind == "pname":
                iri = _expand(target, result.prefixes)
            result.remote.append((upper, iri, target))
        at_start = tok == ";"
        i += 1
    return result


def _resolve_iri(token: str, base: str | None) -> str:
    iri = _unescape_uchars(token[1:-1])
    if base and not re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri):
        iri = urljoin(base, iri)
    return iri


def _expand(pname: str, prefixes: dict[str, str]) -> str | None:
    prefix, _, local = pname.partition(":")
    if prefix not in prefixes:
        return None
    return prefixes[prefix] + _LOCAL_ESC.sub(r"\1", local)


# --- the check ------------------------------------------------------------------------------------


def host_allowed(iri: str, allowed_hosts) -> bool:
    """Is `iri` an http(s) IRI whose host (and port) an entry of `allowed_hosts` names?"""
    if not allowed_hosts or "\\" in iri:
        return False
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        return False
    if "@" in parts.netloc or "%" in parts.netloc:
        return False
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return False
    port = port or (443 if scheme == "https" else 80)
    for entry in allowed_hosts:
        entry = str(entry).strip().lower().rstrip(".")
        if not entry:
            continue
        if entry.startswith("*.") or (entry.startswith(".") and len(entry) > 1):
            suffix = entry.lstrip("*")
            if host.endswith(suffix) and len(host) > len(suffix):
                return True
            continue
        entry_host, entry_port = _split_entry(entry)
        if entry_host == host and (entry_port is None or entry_port == port):
            return True
    return False


def _split_entry(entry: str) -> tuple[str, int | None]:
    if entry.startswith("["):  # [::1] or [::1]:8890
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        if port.isdigit():
            return host, int(port)
    return entry, None  # a name, an IPv4 address or a bare IPv6 address


# The scan is a pure function of the text, and clients send the same short queries again and
# again; on a trivial query the lexer was ~15 % of the web process's CPU (under the GIL). So short
# texts' scans are remembered (at most 1024 of at most 4,000 characters: a few MB).
_SCAN_CACHE_CHARS = 4000
_scan_cached = functools.lru_cache(maxsize=1024)(scan)


def check(text: str, allowed_hosts=()) -> Scan:
    """Scan `text` and raise Refused if any SERVICE or LOAD target is not allowed, TooDeep if it
    nests deeper than MAX_NESTING.

    The Scan returned may be shared with other callers (see above): read it, do not change it.
    """
    result = _scan_cached(text) if len(text) <= _SCAN_CACHE_CHARS else scan(text)
    if result.nesting > MAX_NESTING:
        raise TooDeep(f"the text nests groups, brackets or parentheses {result.nesting} deep; at most {MAX_NESTING} are allowed")
    if result.operators > MAX_OPERATORS:
        raise TooDeep(
            f"the text has {result.operators} operators (+ - * / | & ^ ! UNION); at most {MAX_OPERATORS} are allowed "
            "(for a long list of alternatives use IN or VALUES)"
        )
    for keyword, iri, written in result.remote:
        if iri is None:
            if written.startswith(("?", "$")):
                raise Refused(
                    f"{keyword} {written} refused: a {keyword} target must be an IRI of an allowed host, "
                    "not a variable"
                )
            raise Refused(f"{keyword} refused: cannot read its target {written or '(missing)'!r} as an IRI")
        if not host_allowed(iri, allowed_hosts):
            host = _host_of(iri)
            listed = ", ".join(allowed_hosts) if allowed_hosts else "none are allowed"
            raise Refused(
                f"{keyword} <{iri}> refused: {host} is not on the allow-list of hosts that SERVICE and LOAD "
                f"may reach ({listed}; set allowed_hosts / --allowed-hosts / VNKG_ALLOWED_HOSTS)"
            )
    return result


def _host_of(iri: str) -> str:
    try:
        parts = urlsplit(iri)
        return f"host {parts.hostname!r}" if parts.hostname else "the target"
    except ValueError:
        return "the target"

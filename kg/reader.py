"""Reading articles from files: plain text, JSON / JSON Lines, HTML.

Plain text (the seed format): a title line, a blank line, then paragraphs. The lead may begin with
a dateline such as "(Baonghean.vn) - "; short lines without final punctuation are captions
("Quang cảnh hội nghị"); a final short line of capitalised words is the author.

JSON: {"title", "body", "url", "published", "source", "author"}, one object, a list of them, or
one per line (.jsonl). HTML: <title>/<h1> and the text of <p> elements.

Every article's `text` is the title, a blank line and the body, NFC, with lines trimmed; offsets of
everything extracted point into it. A bad file or line yields a `ReadError` naming it and the
reason; the other files go on.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

from .model import Article
from .text import nfc, slugify

EXTENSIONS = {".txt", ".json", ".jsonl", ".html", ".htm"}
MAX_FILE_BYTES = 200_000_000

# "(Baonghean.vn) - ", "(Dân trí) - ", "TTO - ", "VOV.VN - ", "HÀ NỘI - ": the outlet or the place
_DATELINE = re.compile(r"^\s*(?:\(([^()\n]{2,60})\)|([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ.]{1,15}(?: [A-ZĐÀ-Ỹ.]{2,15}){0,2}))\s*[-–—:]\s*")
_SENTENCE_END = re.compile(r"[.!?…:;\"”»)]\s*$")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


@dataclass
class ReadError:
    source: str  # file name, with ":line" for JSON Lines
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def iter_files(paths: list[str | Path]) -> Iterator[Path | ReadError]:
    """Files to read, in a stable order; folders are walked for known extensions."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS):
                yield f
        elif path.is_file():
            yield path
        else:
            yield ReadError(str(path), "no such file or folder")


def read_path(path: Path) -> Iterator[Article | ReadError]:
    """Articles in one file (a .jsonl file may hold many)."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadError(name, f"cannot read: {exc.strerror or exc}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield ReadError(name, f"file too large ({len(data)} bytes; limit {MAX_FILE_BYTES})")
        return
    if not data.strip():
        yield ReadError(name, "empty file")
        return
    if b"\x00" in data[:8192]:
        yield ReadError(name, "not a text file (binary content)")
        return
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield ReadError(name, f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} on line {line})")
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(raw, name)
    elif suffix == ".json":
        yield from _read_json(raw, name)
    elif suffix in {".html", ".htm"}:
        yield _read_html(raw, name)
    else:
        stripped = raw.lstrip()
        if stripped.startswith("{") or stripped.startswith("["):
            yield from _read_json(raw, name)
        else:
            yield parse_plain(raw, name)


def _read_jsonl(raw: str, name: str) -> Iterator[Article | ReadError]:
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(f"{name}:{n}", f"not JSON ({exc.msg} at column {exc.colno})")
            continue
        yield from_json(obj, f"{name}:{n}")


def _read_json(raw: str, name: str) -> Iterator[Article | ReadError]:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        yield ReadError(name, f"not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})")
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items):
        yield from_json(item, name if len(items) == 1 else f"{name}[{i}]")


def from_json(obj, name: str) -> Article | ReadError:
    if not isinstance(obj, dict):
        return ReadError(name, "expected a JSON object with title and body")
    title, body = obj.get("title"), obj.get("body")
    if not isinstance(title, str) or not title.strip():
        return ReadError(name, "no title")
    if not isinstance(body, str) or not body.strip():
        return ReadError(name, "no body")
    fields = {k: obj.get(k) for k in ("url", "published", "source", "author")}
    bad = [k for k, v in fields.items() if v is not None and not isinstance(v, str)]
    if bad:
        return ReadError(name, f"field {bad[0]!r} must be a string")
    art = parse_plain(_one_line(title) + "\n\n" + body, name)
    if isinstance(art, ReadError):
        return art
    art.url = (fields["url"] or "").strip()
    art.published = _iso_date(fields["published"] or "")
    if fields["source"]:
        art.source = fields["source"].strip()
    if fields["author"]:
        art.author = nfc(fields["author"].strip())
    return art


def parse_plain(raw: str, name: str) -> Article | ReadError:
    text = _INVISIBLE.sub("", nfc(raw)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ReadError(name, "empty file")
    title = lines[0]
    body_lines = lines[1:]
    if not any(body_lines):
        return ReadError(name, "no body: expected a title line, a blank line and paragraphs")
    # Collapse runs of blank lines so paragraphs are separated by exactly one.
    body: list[str] = []
    for line in body_lines:
        if line or (body and body[-1]):
            body.append(line)
    while body and not body[0]:
        body.pop(0)
    text = title + "\n\n" + "\n".join(body)
    art = Article(title=title, text=text, source_file=name)
    _mark_structure(art)
    return art


def _mark_structure(art: Article) -> None:
    """Find the dateline, captions and author line in the text."""
    offset = len(art.title) + 2
    lines = art.text[offset:].split("\n")
    starts = []
    pos = offset
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    nonempty = [i for i, line in enumerate(lines) if line]
    if nonempty:
        first = lines[nonempty[0]]
        m = _DATELINE.match(first)
        line = (m.group(1) or m.group(2)) if m else ""
        if line and re.search(r"[A-Za-z]", line):
            art.dateline = line.strip()
            if not art.source and m.group(1):
                art.source = art.dateline
    last = nonempty[-1] if len(nonempty) > 1 else None
    if last is not None and _looks_like_author(lines[last]):
        art.author = art.author or lines[last]
        art.captions.append((starts[last], starts[last] + len(lines[last])))
    for i in nonempty[1:]:
        if i == last and art.captions:
            continue
        if _looks_like_caption(lines[i]):
            art.captions.append((starts[i], starts[i] + len(lines[i])))
    art.captions.sort()


def _looks_like_author(line: str) -> bool:
    words = line.split()
    return (
        1 <= len(words) <= 5
        and len(line) <= 40
        and not _SENTENCE_END.search(line)
        and all(w[:1].isupper() for w in words if w[:1].isalpha())
        and not any(ch.isdigit() for ch in line)
    )


def _looks_like_caption(line: str) -> bool:
    return len(line.split()) <= 12 and not _SENTENCE_END.search(line)


class _HTMLText(HTMLParser):
    BLOCK = {"p", "h1", "h2", "h3", "h4", "li", "div", "br", "figcaption", "title"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.h1 = ""
        self.blocks: list[str] = []
        self._cur: list[str] = []
        self._stack: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self._flush()
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag in self.BLOCK:
            text = self._flush()
            if tag == "title" and text and not self.title:
                self.title = text
                self.blocks.pop()
            elif tag == "h1" and text and not self.h1:
                self.h1 = text
                self.blocks.pop()
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if not self._skip:
            self._cur.append(data)

    def _flush(self) -> str:
        text = _SPACES.sub(" ", " ".join("".join(self._cur).split())).strip()
        self._cur = []
        if text:
            self.blocks.append(text)
        return text

    def close(self):
        super().close()
        self._flush()


def _read_html(raw: str, name: str) -> Article | ReadError:
    parser = _HTMLText()
    try:
        parser.feed(raw)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        return ReadError(name, f"unreadable HTML ({exc})")
    title = parser.h1 or parser.title
    if not title:
        return ReadError(name, "HTML without <title> or <h1>")
    if not parser.blocks:
        return ReadError(name, "HTML without body text")
    return parse_plain(title + "\n\n" + "\n\n".join(parser.blocks), name)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _iso_date(value: str) -> str:
    """An ISO date or dateTime (xsd-valid: seconds and a colon in the offset added), or "" when the
    value is no real date ("2014-13-45", "29/2/2017")."""
    value = value.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?", value)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
    else:
        m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
        if not m:
            return ""
        (d, mo, y), hh = m.groups(), None
    try:
        day = date(int(y), int(mo), int(d))
        if hh is None:
            return day.isoformat()
        moment = datetime(day.year, day.month, day.day, int(hh), int(mi), int(ss or 0))
    except ValueError:
        return ""
    if tz and tz != "Z":
        tz = tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
    return moment.isoformat() + (tz or "")


def article_key(art: Article) -> str:
    """Deterministic key: source + hash of the URL, else of the text."""
    basis = art.url or art.text
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]
    source = slugify(art.source or "", 30) if art.source else "text"
    source = re.sub(r"-(vn|com|net|org|gov)$", "", source)
    return f"{source}-{digest}"

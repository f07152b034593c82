"""Programmes: a programme noun (mô hình, chương trình, dự án ...) with a quoted title or a proper
name; who runs it (the organisations before it in the sentence) and where (after "ở"/"tại")."""

from __future__ import annotations

import hashlib
import re

from ..model import Doc, Program, Span
from ..pipeline import Resources, stage
from ..text import match_key, slugify
from .patterns import UPPER, alternation

_CACHE: dict[int, re.Pattern] = {}


def program_pattern(res: Resources) -> re.Pattern:
    pat = _CACHE.get(id(res.lexicon))
    if pat is None:
        forms = {f.lower() for c in res.lexicon.program_types.values() for f in c.forms if len(f.split()) <= 5}
        body = alternation(forms)
        pat = re.compile(
            rf"(?i)(?<![\w])(?P<type>{body})(?P<pilot>\s+thí điểm)?\s*"
            rf"(?:[\"“](?P<quoted>[^\"”\n]{{3,160}})[\"”]|(?-i:(?P<proper>[{UPPER}0-9][^\s,.;:!?()\"“”]*)))"
        )
        _CACHE[id(res.lexicon)] = pat
    return pat


# Words that end a programme's name: the clause goes on after them.
_END = {"do", "được", "với", "nhằm", "có", "đã", "đang", "sẽ", "là", "thì", "để", "theo", "khi", "nhưng", "mà",
        "vì", "bị", "cần", "phải", "không", "chưa", "vẫn", "đều", "cũng", "này", "đó", "gồm", "thuộc", "nên",
        "lên", "xuống", "ra", "vào", "đạt", "tăng", "giảm", "còn", "rất", "chỉ", "mới", "vừa"}
_NEXT = re.compile(r"[ ]+([^\s,.;:!?()\"“”]+)")


def _read_name(norm: str, start: int, end: int, first_end: int) -> int:
    """Extend a programme name from its first word over lower-case words until the clause goes on."""
    stop = first_end
    words = 1
    while words < 14:
        m = _NEXT.match(norm, stop, end)
        if not m or m.group(1).lower() in _END:
            break
        stop = m.end(1)
        words += 1
    return stop


def _type_slug(res: Resources, form: str) -> str:
    concept = res.lexicon.program_by_key.get(match_key(form))
    return concept.slug if concept else ""


@stage(requires=("orgs", "places"), assigns=("programs",))
def programs(doc: Doc, res: Resources) -> None:
    text = doc.article.text
    seen: dict[str, Program] = {}
    for sent in doc.sentences:
        for m in program_pattern(res).finditer(doc.norm or text, sent.start, sent.end):
            if m.group("proper"):
                name_end = _read_name(doc.norm or text, m.start("proper"), sent.end, m.end("proper"))
                name = text[m.start("proper"):name_end].strip()
                if len(name.split()) < 2 and not any(ch.isdigit() for ch in name):
                    continue
            else:
                name_end = m.end()
                name = m.group("quoted").strip()
            if m.group("proper") and res.gazetteer.lookup(name):
                continue  # "dự án Quỳnh Lưu" names a place, not a programme
            ptype = _type_slug(res, m.group("type"))
            key = slugify(name, 50) + "." + hashlib.sha1(match_key(name).encode()).hexdigest()[:8]
            span_end = max(m.end(), name_end if m.group("proper") else m.end())
            span = Span(m.start(), span_end, text[m.start():span_end])
            prog = seen.get(key)
            if prog is None:
                prog = Program(key=key, name=name, program_type=ptype, span=span,
                               alt_labels=[f"{text[m.start('type'):m.end('type')]} {name}"])
                seen[key] = prog
                doc.programs.append(prog)
            for s, k in doc.org_mentions:
                if sent.start <= s.start and s.end <= m.start() and k not in prog.runners:
                    prog.runners.append(k)
            for s, k in doc.place_mentions:
                if m.end() <= s.start <= sent.end and re.search(r"(?i)\b(?:ở|tại|trên địa bàn)\s+$", text[max(m.end(), s.start - 20):s.start]):
                    if k not in prog.places:
                        prog.places.append(k)
            pilot = bool(m.group("pilot")) or "thí điểm" in text[max(sent.start, m.start() - 40):m.start()]
            prog.pilot = prog.pilot or pilot

"""Reading one resource out of the store: its description (for twins) and the parts of its page.

Everything is plain data (pyoxigraph terms, dicts); the blueprints turn it into pages. Queries go
over the union of all graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.store import graph_size, select
from kg.vocab import PREFIXES

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
VNKG = PREFIXES["vnkg"]
SCHEMA = PREFIXES["schema"]
NIF = PREFIXES["nif"]
RDF = PREFIXES["rdf"]
ITSRDF = PREFIXES["itsrdf"]

# Incoming links that are provenance plumbing: counted on the page, shown as source sentences.
PROVENANCE_IN = {ITSRDF + "taIdentRef", RDF + "subject", RDF + "object", VNKG + "candidate", VNKG + "sourceSpan"}

ARTICLE = VNKG + "Article"


def iri_ok(iri: str) -> bool:
    """An IRI we can put inside <...> in a query."""
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def exists(store: ox.Store, node: ox.NamedNode) -> bool:
    for pattern in ((node, None, None, None), (None, None, node, None), (None, node, None, None)):
        if next(iter(store.quads_for_pattern(*pattern)), None) is not None:
            return True
    return store.contains_named_graph(node)


def types(store: ox.Store, node: ox.NamedNode) -> list[str]:
    return sorted({q.object.value for q in store.quads_for_pattern(node, RDF_TYPE, None, None) if isinstance(q.object, ox.NamedNode)})


def outgoing(store: ox.Store, node: ox.NamedNode) -> list[ox.Triple]:
    """Triples with `node` as subject, from every graph, without repeats, in a stable order."""
    seen = {}
    for q in store.quads_for_pattern(node, None, None, None):
        t = ox.Triple(q.subject, q.predicate, q.object)
        seen.setdefault(str(t), t)
    return [seen[k] for k in sorted(seen)]


def incoming_counts(store: ox.Store, node: ox.NamedNode) -> dict[str, int]:
    rows = select(store, f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p {node} }} GROUP BY ?p")
    return {r["p"].value: int(r["n"].value) for r in rows}


def incoming(store: ox.Store, node: ox.NamedNode, limit: int, offset: int = 0, skip: set[str] = frozenset(), counts: dict[str, int] | None = None) -> list[tuple[ox.NamedNode, ox.Term]]:
    """(predicate, subject) pairs pointing at `node`, by predicate then index order, one page.

    Walks the store's predicate-object index instead of sorting in SPARQL, so that a page of the
    13,000 communes typed vnkg:Commune costs what the page holds, not what the class holds.
    """
    counts = incoming_counts(store, node) if counts is None else counts
    out: list[tuple[ox.NamedNode, ox.Term]] = []
    pos = 0
    for p in sorted(x for x in counts if x not in skip):
        if pos + counts[p] <= offset:
            pos += counts[p]
            continue
        pred = ox.NamedNode(p)
        seen: set = set()
        for q in store.quads_for_pattern(None, pred, node, None):
            if q.subject in seen:
                continue  # the same link stated in several graphs
            seen.add(q.subject)
            if pos >= offset:
                out.append((pred, q.subject))
                if len(out) >= limit:
                    return out
            pos += 1
    return out


def document_triples(store: ox.Store, node: ox.NamedNode) -> list[ox.Triple]:
    """Triples about the hash IRIs of `node`'s document (an article's text, sentences and phrases,
    {A}#char=…), which dereference to it."""
    if "#" in node.value:
        return []
    prefix = node.value + "#"
    subjects = {t.object for t in outgoing(store, node) if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(prefix)}
    context = ox.NamedNode(NIF + "referenceContext")
    for ctx in list(subjects):
        subjects |= {q.subject for q in store.quads_for_pattern(None, context, ctx, None) if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)}
    out = {}
    for s in subjects:
        for q in store.quads_for_pattern(s, None, None, None):
            t = ox.Triple(q.subject, q.predicate, q.object)
            out.setdefault(str(t), t)
    return [out[k] for k in sorted(out)]


def blank_closure(store: ox.Store, triples: list[ox.Triple]) -> list[ox.Triple]:
    """Descriptions of blank nodes reached from `triples` (a concise bounded description)."""
    extra, todo, seen = [], [t.object for t in triples if isinstance(t.object, ox.BlankNode)], set()
    while todo:
        b = todo.pop()
        if b in seen:
            continue
        seen.add(b)
        for q in store.quads_for_pattern(b, None, None, None):
            extra.append(ox.Triple(q.subject, q.predicate, q.object))
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    return extra


def graph_triples(store: ox.Store, graph: ox.NamedNode, limit: int, offset: int = 0) -> list[ox.Triple]:
    out = []
    for i, q in enumerate(store.quads_for_pattern(None, None, None, graph)):
        if i < offset:
            continue
        if len(out) >= limit:
            break
        out.append(ox.Triple(q.subject, q.predicate, q.object))
    return out


@dataclass
class Description:
    """What the machine twin of a resource holds."""

    triples: list[ox.Triple]
    incoming_total: int
    incoming_shown: int
    offset: int

    @property
    def truncated(self) -> bool:
        return self.offset + self.incoming_shown < self.incoming_total


def description(store: ox.Store, node: ox.NamedNode, limit: int, page: int = 1) -> Description:
    """Outgoing triples from all graphs, the document's hash IRIs, and one page of incoming links."""
    offset = (page - 1) * limit
    triples = outgoing(store, node)
    if not triples and store.contains_named_graph(node):
        # a named graph (an article's facts): its twin is the graph itself, paged
        rows = graph_triples(store, node, limit, offset)
        return Description(rows, graph_size(store, node), len(rows), offset)
    triples += blank_closure(store, triples)
    triples += document_triples(store, node)
    counts = incoming_counts(store, node)
    total = sum(counts.values())
    links = incoming(store, node, limit, offset, counts=counts)
    triples += [ox.Triple(s, p, node) for p, s in links]
    return Description(triples, total, len(links), offset)


# ------------------------------------------------------------------ provenance


@dataclass
class Source:
    """A sentence that something came from, with the ranges to highlight."""

    sentence: str
    text: str
    begin: int
    article: str | None
    headline: str | None
    date: str | None
    marks: list[tuple[int, int]] = field(default_factory=list)  # offsets inside `text`
    whole: bool = False

    def pieces(self) -> list[tuple[str, bool]]:
        """The sentence cut into (text, highlighted) pieces."""
        if self.whole and not self.marks:
            return [(self.text, True)]
        out, pos = [], 0
        for a, b in sorted(self.marks):
            a, b = max(a, pos), min(b, len(self.text))
            if a >= b:
                continue
            if a > pos:
                out.append((self.text[pos:a], False))
            out.append((self.text[a:b], True))
            pos = b
        if pos < len(self.text):
            out.append((self.text[pos:], False))
        return out


class _Spans:
    """Spans, their sentences and their articles, read by direct index lookups and remembered for
    one page. Oxigraph plans the equivalent SPARQL join (OPTIONAL sentence, COALESCE, article by
    context) badly: it cost 150-450 ms per page on the dev corpus; this costs a few ms."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._first: dict[tuple, ox.Term | None] = {}
        self._articles: dict[ox.Term, ox.Term | None] = {}

    def first(self, s: ox.Term, p: ox.NamedNode) -> ox.Term | None:
        key = (s, p)
        if key not in self._first:
            q = next(iter(self.store.quads_for_pattern(s, p, None, None)), None)
            self._first[key] = q.object if q is not None else None
        return self._first[key]

    def article(self, sent: ox.Term) -> ox.Term | None:
        ctx = self.first(sent, _REF_CONTEXT)
        if ctx is None:
            return None
        if ctx not in self._articles:
            q = next(iter(self.store.quads_for_pattern(None, _CONTEXT, ctx, None)), None)
            self._articles[ctx] = q.subject if q is not None else None
        return self._articles[ctx]

    def row(self, span: ox.Term, with_article_meta: bool = True) -> dict | None:
        """What _collect_sources reads about one span: its sentence (the span itself when it is one),
        the sentence's text and offset, the span's offsets, the article, its headline and date."""
        sent = self.first(span, _SENTENCE) or span
        stext, sb = self.first(sent, _ANCHOR), self.first(sent, _BEGIN)
        if stext is None or sb is None:
            return None
        pb, pe = self.first(span, _BEGIN), self.first(span, _END)
        article = self.article(sent)
        row = {"span": span, "sent": sent, "stext": stext, "sb": sb, "pb": pb if pe is not None else None, "pe": pe if pb is not None else None, "article": article}
        if with_article_meta:
            row["headline"] = self.first(article, _HEADLINE) if article is not None else None
            row["date"] = self.first(article, _PUBLISHED) if article is not None else None
        return row


_SENTENCE = ox.NamedNode(NIF + "sentence")
_ANCHOR = ox.NamedNode(NIF + "anchorOf")
_BEGIN = ox.NamedNode(NIF + "beginIndex")
_END = ox.NamedNode(NIF + "endIndex")
_REF_CONTEXT = ox.NamedNode(NIF + "referenceContext")
_CONTEXT = ox.NamedNode(VNKG + "context")
_SOURCE_SPAN = ox.NamedNode(VNKG + "sourceSpan")
_TA_IDENT = ox.NamedNode(ITSRDF + "taIdentRef")
_HEADLINE = ox.NamedNode(SCHEMA + "headline")
_PUBLISHED = ox.NamedNode(SCHEMA + "datePublished")
_RDF_SUBJECT = ox.NamedNode(RDF + "subject")
_RDF_PREDICATE = ox.NamedNode(RDF + "predicate")
_RDF_OBJECT = ox.NamedNode(RDF + "object")


def _objects(store: ox.Store, s: ox.Term, p: ox.NamedNode) -> list[ox.Term]:
    return list(dict.fromkeys(q.object for q in store.quads_for_pattern(s, p, None, None)))


def _subjects(store: ox.Store, p: ox.NamedNode, o: ox.Term) -> list[ox.Term]:
    return list(dict.fromkeys(q.subject for q in store.quads_for_pattern(None, p, o, None)))


def _collect_sources(rows) -> list[Source]:
    by_sentence: dict[str, Source] = {}
    for r in rows:
        sent = r["sent"].value
        src = by_sentence.get(sent)
        if src is None:
            src = by_sentence[sent] = Source(
                sentence=sent,
                text=r["stext"].value,
                begin=int(r["sb"].value),
                article=r["article"].value if r.get("article") else None,
                headline=r["headline"].value if r.get("headline") else None,
                date=r["date"].value if r.get("date") else None,
            )
        if r["span"].value == sent:
            src.whole = True
        elif r.get("pb") is not None and r.get("pe") is not None:
            a, b = int(r["pb"].value) - src.begin, int(r["pe"].value) - src.begin
            if 0 <= a < b <= len(src.text):
                src.marks.append((a, b))
    return sorted(by_sentence.values(), key=lambda s: (s.date or "", s.article or "", s.begin), reverse=True)


def sources(store: ox.Store, node: ox.NamedNode) -> list[Source]:
    """Sentences that mention `node` (its nif:Phrase nodes) or report it (its vnkg:sourceSpan)."""
    spans = _Spans(store)
    found = dict.fromkeys(_subjects(store, _TA_IDENT, node) + _objects(store, node, _SOURCE_SPAN))
    return _collect_sources(r for r in (spans.row(x) for x in found) if r is not None)


def fact_sources(store: ox.Store, node: ox.NamedNode) -> dict[tuple[str, str, str], list[Source]]:
    """For each (subject, predicate, object) about `node` that has a provenance statement: its sentences."""
    spans = _Spans(store)
    statements = dict.fromkeys(_subjects(store, _RDF_SUBJECT, node) + _subjects(store, _RDF_OBJECT, node))
    out: dict[tuple[str, str, str], list[Source]] = {}
    for st in statements:
        triples = [
            (s, p, o)
            for s in _objects(store, st, _RDF_SUBJECT)
            for p in _objects(store, st, _RDF_PREDICATE)
            for o in _objects(store, st, _RDF_OBJECT)
        ]
        if not triples:
            continue
        for span in _objects(store, st, _SOURCE_SPAN):
            r = spans.row(span, with_article_meta=False)
            if r is None:
                continue
            for s, p, o in triples:
                out.setdefault((s.value, p.value, str(o)), []).append(
                    Source(sentence=span.value, text=r["stext"].value, begin=int(r["sb"].value), article=r["article"].value if r["article"] is not None else None, headline=None, date=None)
                )
    return out


def events(store: ox.Store, node: ox.NamedNode, limit: int = 200) -> list[dict]:
    """Events (things with a schema:startDate) that `node` takes part in, newest first."""
    rows = select(
        store,
        f"""SELECT DISTINCT ?e ?role ?date WHERE {{
          ?e ?role {node} ; schema:startDate|vnkg:startMonthDay ?date .
          FILTER(?role IN (schema:organizer, schema:attendee, schema:location, schema:performer, schema:participant))
        }} ORDER BY DESC(STR(?date)) ?e LIMIT {int(limit)}""",
    )
    out: dict[str, dict] = {}
    for r in rows:
        e = out.setdefault(r["e"].value, {"iri": r["e"].value, "date": r["date"].value, "roles": []})
        e["roles"].append(r["role"].value)
    return list(out.values())


EVENT_PROPS = {"organizer": SCHEMA + "organizer", "attendee": SCHEMA + "attendee", "location": SCHEMA + "location", "eventType": VNKG + "eventType", "startDate": SCHEMA + "startDate"}


def event_details(store: ox.Store, iris: list[str]) -> dict[str, dict]:
    """Organisers, attendees, places and the reporting sentence of each event."""
    iris = [i for i in dict.fromkeys(iris) if iri_ok(i)]
    if not iris:
        return {}
    spans = _Spans(store)
    out = {}
    for i in iris:
        e = ox.NamedNode(i)
        det = {name: _objects(store, e, ox.NamedNode(p)) for name, p in EVENT_PROPS.items()}
        rows = (spans.row(span) for span in _objects(store, e, _SOURCE_SPAN))
        det["sources"] = _collect_sources(r for r in rows if r is not None)
        out[i] = det
    _mark_participants(store, out)
    return out


def _mark_participants(store: ox.Store, events: dict[str, dict]) -> None:
    """In each reporting sentence, highlight where it names the event's organisers, attendees and place."""
    sentences = {s.sentence for det in events.values() for s in det["sources"]}
    if not sentences:
        return
    spans = _Spans(store)
    found: dict[str, list[tuple[str, int, int]]] = {}
    for sent in sentences:
        if not iri_ok(sent):
            continue
        for phrase in _subjects(store, _SENTENCE, ox.NamedNode(sent)):
            b, e = spans.first(phrase, _BEGIN), spans.first(phrase, _END)
            if b is None or e is None:
                continue
            for x in _objects(store, phrase, _TA_IDENT):
                found.setdefault(sent, []).append((x.value, int(b.value), int(e.value)))
    for det in events.values():
        who = {o.value for k in ("organizer", "attendee", "location") for o in det[k] if isinstance(o, ox.NamedNode)}
        for src in det["sources"]:
            marks = [(b - src.begin, e - src.begin) for x, b, e in found.get(src.sentence, []) if x in who]
            marks = [(a, b) for a, b in marks if 0 <= a < b <= len(src.text)]
            if marks:
                src.marks, src.whole = marks, False


# ------------------------------------------------------------------ articles


@dataclass
class Mention:
    begin: int
    end: int
    iri: str  # the phrase node
    entity: str | None
    candidates: list[str] = field(default_factory=list)
    children: list["Mention"] = field(default_factory=list)
    kind: str = "mention"  # "mention" | "sentence"


def article_text(store: ox.Store, article: ox.NamedNode) -> tuple[str, str] | None:
    rows = select(store, f"SELECT ?ctx ?text WHERE {{ {article} vnkg:context ?ctx . ?ctx nif:isString ?text }} LIMIT 1")
    if not rows:
        return None
    return rows[0]["ctx"].value, rows[0]["text"].value


def article_spans(store: ox.Store, ctx: str) -> tuple[list[Mention], list[Mention]]:
    """The sentences and the mentions of an article's text, each sorted by position."""
    rows = select(
        store,
        f"""SELECT ?x ?b ?e ?kind ?ent ?cand WHERE {{
          ?x nif:referenceContext <{ctx}> ; nif:beginIndex ?b ; nif:endIndex ?e .
          {{ ?x a nif:Sentence BIND("s" AS ?kind) }} UNION
          {{ ?x a nif:Phrase BIND("p" AS ?kind) OPTIONAL {{ ?x itsrdf:taIdentRef ?ent }} }} UNION
          {{ ?x a vnkg:PlaceMention BIND("p" AS ?kind) OPTIONAL {{ ?x vnkg:candidate ?cand }} }}
        }}""",
    )
    sentences: dict[str, Mention] = {}
    mentions: dict[str, Mention] = {}
    for r in rows:
        x = r["x"].value
        b, e = int(r["b"].value), int(r["e"].value)
        if r["kind"].value == "s":
            sentences.setdefault(x, Mention(b, e, x, None, kind="sentence"))
            continue
        m = mentions.setdefault(x, Mention(b, e, x, None))
        if r.get("ent") is not None:
            m.entity = r["ent"].value
        if r.get("cand") is not None and r["cand"].value not in m.candidates:
            m.candidates.append(r["cand"].value)
    order = lambda m: (m.begin, -m.end)  # noqa: E731
    return sorted(sentences.values(), key=order), sorted(mentions.values(), key=order)


def nest(spans: list[Mention], length: int) -> list[Mention]:
    """Spans as a forest (outer ones contain inner ones); spans that cross another are dropped."""
    roots: list[Mention] = []
    stack: list[Mention] = []
    for m in sorted(spans, key=lambda m: (m.begin, -m.end, m.kind != "sentence")):
        if not (0 <= m.begin < m.end <= length):
            continue
        m.children = []
        while stack and stack[-1].end <= m.begin:
            stack.pop()
        if stack and m.end > stack[-1].end:
            continue  # crosses its container
        (stack[-1].children if stack else roots).append(m)
        stack.append(m)
    return roots


def article_meta(store: ox.Store, article: ox.NamedNode) -> dict:
    rows = select(
        store,
        f"""SELECT ?p ?o WHERE {{ {article} ?p ?o FILTER(?p IN (schema:headline, schema:datePublished, schema:author,
             schema:publisher, schema:url, vnkg:sourceFile)) }}""",
    )
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], []).append(r["o"])
    return out


def article_mentions(store: ox.Store, article: ox.NamedNode) -> list[tuple[str, str]]:
    """(thing, class) for everything the article schema:mentions."""
    rows = select(store, f"SELECT DISTINCT ?x ?c WHERE {{ {article} schema:mentions ?x . OPTIONAL {{ ?x a ?c }} }}")
    return [(r["x"].value, r["c"].value if r.get("c") else "") for r in rows if isinstance(r["x"], ox.NamedNode)]


def article_statements(store: ox.Store, article: ox.NamedNode) -> list[dict]:
    """Relations with provenance statements pointing into this article's text."""
    rows = select(
        store,
        f"""SELECT DISTINCT ?s ?p ?o ?span ?b WHERE {{
          {article} vnkg:context ?ctx .
          ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; vnkg:sourceSpan ?span .
          ?span nif:referenceContext ?ctx ; nif:beginIndex ?b .
        }} ORDER BY ?b ?s ?p ?o""",
    )
    return [{"s": r["s"], "p": r["p"], "o": r["o"], "span": r["span"].value} for r in rows]


# ------------------------------------------------------------------ kinds of things

# Classes in the order pages group things by; the first one a thing has is its kind.
KIND_ORDER = [
    VNKG + "Article",
    VNKG + "Meeting",
    SCHEMA + "Event",
    VNKG + "Agency",
    VNKG + "Organization",
    VNKG + "Country",
    VNKG + "Province",
    VNKG + "District",
    VNKG + "Commune",
    VNKG + "AdministrativeUnit",
    VNKG + "Person",
    VNKG + "Program",
    VNKG + "Figure",
    PREFIXES["org"] + "Membership",
    PREFIXES["org"] + "Role",
    PREFIXES["skos"] + "ConceptScheme",
    PREFIXES["skos"] + "Concept",
    PREFIXES["owl"] + "Class",
    PREFIXES["owl"] + "ObjectProperty",
    PREFIXES["owl"] + "DatatypeProperty",
    PREFIXES["owl"] + "AnnotationProperty",
    RDF + "Property",
    NIF + "Sentence",
    NIF + "Phrase",
    RDF + "Statement",
]
_STYLE = {
    "Article": "article", "Meeting": "event", "Event": "event", "Agency": "org", "Organization": "org",
    "Country": "place", "Province": "place", "District": "place", "Commune": "place", "AdministrativeUnit": "place",
    "Person": "person", "Program": "program", "Figure": "figure",
}


def kind_of(type_iris) -> str:
    type_iris = set(type_iris)
    for c in KIND_ORDER:
        if c in type_iris:
            return c
    return sorted(type_iris)[0] if type_iris else ""


def style_of(kind: str) -> str:
    """A CSS class for things of this kind."""
    return "k-" + _STYLE.get(kind.rsplit("#", 1)[-1].rsplit("/", 1)[-1], "other")


def types_of(store: ox.Store, iris) -> dict[str, list[str]]:
    iris = [i for i in set(iris) if iri_ok(i)]
    out: dict[str, list[str]] = {i: [] for i in iris}
    for start in range(0, len(iris), 400):
        values = " ".join(f"<{i}>" for i in iris[start : start + 400])
        for r in select(store, f"SELECT DISTINCT ?x ?c WHERE {{ VALUES ?x {{ {values} }} ?x a ?c }}"):
            out[r["x"].value].append(r["c"].value)
    return out

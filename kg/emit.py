"""The one place that turns extraction results into RDF: a finished `Doc` → quads of its graph.

Every entity, meeting and programme points to the span it came from (NIF phrases over the NFC
text), and every relation taken from the text has a statement node with its source span.
The terms used are documented in docs/graph-model.md and declared in ontology/vnkg.ttl.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from .model import Doc, Span
from .text import unaccent
from .vocab import (ITSRDF, NIF, ORG, QB, RDF, RDFS, SCHEMA, SKOS, VNKG, XSD, concept, graph_of,
                    thing)
from .config import ID

VI = "vi"


def _lit(value, lang: str | None = None, dtype: NamedNode | None = None) -> Literal:
    if lang:
        return Literal(value, language=lang)
    if dtype is not None:
        return Literal(str(value), datatype=dtype)
    return Literal(value)


def _date(value: str) -> Literal:
    if value.startswith("--"):
        return Literal(value, datatype=XSD.gMonthDay)
    if "T" in value:
        return Literal(value, datatype=XSD.dateTime)
    return Literal(value[:10], datatype=XSD.date)


class Emitter:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.graph = graph_of(doc.key)
        self.article = thing("article", doc.key)
        self.context = NamedNode(f"{self.article.value}#char=0,{len(doc.article.text)}")
        self._quads: dict[Quad, None] = {}  # in the order first added, each once
        self.facts = 0
        self._spans: dict[tuple[int, int, NamedNode], NamedNode] = {}
        self._offsets: dict[int, Literal] = {}

    def add(self, s, p, o):
        self._quads[Quad(s, p, o, self.graph)] = None

    def quads(self) -> list[Quad]:
        return list(self._quads)

    def _offset(self, value: int) -> Literal:
        lit = self._offsets.get(value)
        if lit is None:
            lit = self._offsets[value] = Literal(str(value), datatype=XSD.nonNegativeInteger)
        return lit

    # --- text -----------------------------------------------------------------------------------
    def span(self, span: Span, kind: NamedNode = NIF.Phrase) -> NamedNode:
        # A span's triples depend only on its offsets and kind: written the first time it is asked
        # for (a sentence is asked for by every phrase in it), its node reused after that.
        key = (span.start, span.end, kind)
        node = self._spans.get(key)
        if node is not None:
            return node
        node = self._spans[key] = NamedNode(f"{self.article.value}#char={span.start},{span.end}")
        self.add(node, RDF.type, kind)  # the offset-based URI scheme is declared once, on the context
        self.add(node, NIF.beginIndex, self._offset(span.start))
        self.add(node, NIF.endIndex, self._offset(span.end))
        self.add(node, NIF.anchorOf, Literal(self.doc.article.text[span.start:span.end]))
        self.add(node, NIF.referenceContext, self.context)
        if kind != NIF.Sentence:
            sent = self.doc.sentence_of(span.start)
            if sent is not None and sent.start <= span.start and span.end <= sent.end and (sent.start, sent.end) != (span.start, span.end):
                self.add(node, NIF.sentence, self.span(sent, NIF.Sentence))
        return node

    def fact(self, s, p, o, span: Span | None):
        """A relation taken from the text, with its source span."""
        self.add(s, p, o)
        if span is None:
            return
        self.facts += 1
        st = NamedNode(f"{self.graph.value}#fact-{self.facts}")
        self.add(st, RDF.type, RDF.Statement)
        self.add(st, RDF.subject, s)
        self.add(st, RDF.predicate, p)
        self.add(st, RDF.object, o)
        self.add(st, VNKG.sourceSpan, self.span(span))

    # --- the article ---------------------------------------------------------------------------
    def emit(self, publisher: str = "", publisher_key: str = "") -> list[Quad]:
        doc, art, a = self.doc, self.doc.article, self.article
        self.add(a, RDF.type, VNKG.Article)
        self.add(a, SCHEMA.headline, Literal(art.title))
        self.add(a, RDFS.label, Literal(art.title, language=VI))
        self.add(a, VNKG.context, self.context)
        self.add(a, VNKG.sourceFile, Literal(art.source_file.rsplit("/", 1)[-1]))
        if art.published:
            self.add(a, SCHEMA.datePublished, _date(art.published))
        if art.url:
            self.add(a, SCHEMA.url, _url(art.url))
        self.add(self.context, RDF.type, NIF.Context)
        self.add(self.context, RDF.type, NIF.OffsetBasedString)
        self.add(self.context, NIF.isString, Literal(art.text))
        self.add(self.context, NIF.beginIndex, _lit(0, dtype=XSD.nonNegativeInteger))
        self.add(self.context, NIF.endIndex, _lit(len(art.text), dtype=XSD.nonNegativeInteger))
        self.add(self.context, NIF.sourceUrl, a)
        pub = None
        if publisher:
            pub = thing("org", f"press.{publisher_key}")
            self.add(a, SCHEMA.publisher, pub)
            self.add(pub, RDF.type, VNKG.Organization)
            self.add(pub, RDFS.label, Literal(publisher, language=VI))
            self.add(pub, VNKG.agencyType, concept("agency-type", "bao"))
        if art.author:
            from .text import slugify

            author = thing("person", f"{slugify(art.author)}.{publisher_key or 'author'}")
            self.add(a, SCHEMA.author, author)
            self.add(author, RDF.type, VNKG.Person)
            self.add(author, RDFS.label, Literal(art.author))
            self.add(author, SCHEMA.name, Literal(art.author))
            if pub is not None:
                self.add(author, SCHEMA.worksFor, pub)
        for sent in doc.sentences:
            self.span(sent, NIF.Sentence)
        self.entities()
        self.memberships()
        self.meetings()
        self.programs()
        self.figures()
        for span, candidates in doc.ambiguous:
            node = self.span(span, VNKG.PlaceMention)
            for c in candidates:
                self.add(node, VNKG.candidate, thing("place", c))
        return self.quads()

    def entities(self):
        doc, a = self.doc, self.article
        for ent in doc.entities.values():
            node = thing(ent.kind, ent.key)
            if ent.spans:  # implied things (a post's party committee) are described, not "mentioned"
                self.add(a, SCHEMA.mentions, node)
            self.add(node, RDF.type, VNKG[ent.cls])
            lang = VI if ent.kind != "person" else None
            self.add(node, RDFS.label, _lit(ent.label, lang))
            self.add(node, SKOS.prefLabel, _lit(ent.label, lang))
            if ent.kind == "person":
                self.add(node, SCHEMA.name, Literal(ent.label))
            for alt in ent.alt_labels:
                self.add(node, SKOS.altLabel, _lit(alt, lang))
            for form in {ent.label, *ent.alt_labels}:
                plain = unaccent(form).lower()
                if plain != form.lower():
                    self.add(node, SKOS.hiddenLabel, Literal(plain))
            if ent.code and not ent.registered:
                self.add(node, SKOS.notation, Literal(ent.code))
            for span in ent.spans:
                ph = self.span(span)
                self.add(ph, ITSRDF.taIdentRef, node)
                self.add(node, VNKG.sourceSpan, ph)
            first = ent.spans[0] if ent.spans else None
            if ent.kind == "place" and ent.parent:
                self.fact(node, SCHEMA.containedInPlace, thing("place", ent.parent), first)
            if ent.kind == "org":
                if ent.agency_type:
                    self.add(node, VNKG.agencyType, concept("agency-type", ent.agency_type))
                if ent.jurisdiction:
                    self.fact(node, VNKG.jurisdiction, thing("place", ent.jurisdiction), first)
                if ent.parent:
                    self.fact(node, ORG.subOrganizationOf, thing("org", ent.parent), first)

    def memberships(self):
        doc = self.doc
        for m in doc.memberships:
            person = thing("person", m.person)
            role = concept("post", m.role_key)
            key = f"{m.person}.{m.org.replace('/', '-') or 'none'}.{m.role_key}"
            node = thing("membership", key)
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.member, person)
            self.add(node, ORG.role, role)
            self.add(node, RDFS.label, Literal(f"{m.role} – {doc.entities[m.person].label if m.person in doc.entities else m.person}", language=VI))
            if m.date:
                self.add(node, VNKG.reportedOn, _date(m.date))
            if m.span is not None:
                self.add(node, VNKG.sourceSpan, self.span(m.span))
            if m.org:
                org = thing("org", m.org)
                self.add(node, ORG.organization, org)
                self.fact(person, ORG.memberOf, org, m.span)

    def meetings(self):
        doc, a = self.doc, self.article
        for m in doc.meetings:
            node = thing("event", m.key)
            self.add(a, SCHEMA.mentions, node)
            self.add(node, RDF.type, VNKG.Meeting)
            self.add(node, RDFS.label, Literal(m.label, language=VI))
            if m.event_type:
                self.add(node, VNKG.eventType, concept("event-type", m.event_type))
            self.add(node, VNKG.sourceSpan, self.span(m.span, NIF.Sentence))
            if m.date:
                # a day without its year is not a schema:startDate (whose values are dates): it has a property of its own
                prop = VNKG.startMonthDay if m.date.startswith("--") else SCHEMA.startDate
                self.fact(node, prop, _date(m.date), m.date_span or m.span)
            for k in m.organizers:
                self.fact(node, SCHEMA.organizer, self._node(k), m.span)
            for k in m.attendees:
                self.fact(node, SCHEMA.attendee, self._node(k), m.span)
            if m.location:
                self.fact(node, SCHEMA.location, thing("place", m.location), m.span)

    def _node(self, key: str) -> NamedNode:
        ent = self.doc.entities.get(key)
        return thing(ent.kind if ent else "org", key)

    def programs(self):
        doc, a = self.doc, self.article
        for p in doc.programs:
            node = thing("program", p.key)
            self.add(a, SCHEMA.mentions, node)
            self.add(node, RDF.type, VNKG.Program)
            self.add(node, RDFS.label, Literal(p.name, language=VI))
            self.add(node, SKOS.prefLabel, Literal(p.name, language=VI))
            for alt in p.alt_labels:
                self.add(node, SKOS.altLabel, Literal(alt, language=VI))
            plain = unaccent(p.name).lower()
            self.add(node, SKOS.hiddenLabel, Literal(plain))
            if p.program_type:
                self.add(node, VNKG.programType, concept("program-type", p.program_type))
            ph = self.span(p.span)
            self.add(node, VNKG.sourceSpan, ph)
            self.add(ph, ITSRDF.taIdentRef, node)
            if p.pilot:
                self.add(node, VNKG.isPilot, Literal(True))
            for k in p.places:
                self.fact(node, VNKG.implementedIn, thing("place", k), p.span)
            for k in p.runners:
                self.fact(node, VNKG.runBy, self._node(k), p.span)

    def figures(self):
        doc = self.doc
        dataset = NamedNode(f"{ID}dataset/figures")
        nodes = [thing("figure", f"{doc.key}-{i + 1}") for i in range(len(doc.figures))]
        for node, f in zip(nodes, doc.figures):
            self.add(node, RDF.type, VNKG.Figure)
            self.add(node, QB.dataSet, dataset)
            self.add(node, VNKG.value, Literal(_num(f.value), datatype=XSD.decimal))
            self.add(node, VNKG.unit, Literal(f.unit, language=VI))
            if f.measure:
                self.add(node, VNKG.measure, Literal(f.measure, language=VI))
                self.add(node, RDFS.label, Literal(f"{f.span.text} {f.measure}".strip(), language=VI))
            self.add(node, VNKG.comparator, Literal(f.comparator))
            if f.share_of is not None:
                self.add(node, VNKG.shareOf, nodes[f.share_of])
            if f.place:
                self.add(node, VNKG.refArea, thing("place", f.place))
            if f.period:
                self.add(node, VNKG.refPeriod, Literal(f.period, language=VI))
            self.add(node, VNKG.sourceSpan, self.span(f.span))


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _url(value: str):
    """The article's URL as an IRI when it is one, else as a plain string (never a failed article)."""
    if value.startswith(("http://", "https://")) and not any(c in value for c in ' <>"{}|\\^`\n\r\t\x00'):
        try:
            return NamedNode(value)
        except ValueError:
            pass
    return Literal(value)


def emit(doc: Doc, publisher: str = "", publisher_key: str = "") -> list[Quad]:
    return Emitter(doc).emit(publisher, publisher_key)

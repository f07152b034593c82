"""Plain data passed between the stages and to `emit`: no RDF here.

A `Doc` is one article being read. Stages add `Span`s, `Entity`s, `Meeting`s, `Program`s,
`Figure`s and `Membership`s to it; `emit` turns the finished Doc into quads.
Offsets are character offsets into `Article.text` (NFC).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    title: str
    text: str  # the body (lead + paragraphs) as read, NFC; offsets point here
    source_file: str = ""
    url: str = ""
    published: str = ""  # ISO date or dateTime as given
    source: str = ""  # outlet domain or name as given ("baonghean.vn", "Báo Nghệ An")
    author: str = ""
    dateline: str = ""  # "(Baonghean.vn)" prefix of the lead, if any
    captions: list[tuple[int, int]] = field(default_factory=list)  # spans of caption lines in text
    title_offset: int = 0  # the title is text[0:len(title)] too (text begins with title + "\n\n")

    @property
    def year(self) -> int | None:
        return int(self.published[:4]) if self.published[:4].isdigit() else None


@dataclass
class Span:
    start: int
    end: int
    text: str

    def __post_init__(self):
        assert 0 <= self.start <= self.end, (self.start, self.end)


@dataclass
class Entity:
    """Something with an IRI: an administrative unit, an organisation, a person."""

    kind: str  # "place" | "org" | "person"
    label: str  # the best full name ("Ủy ban nhân dân huyện Quỳnh Lưu")
    key: str  # deterministic IRI key under /id/{kind}/
    cls: str  # ontology class local name: Agency, Organization, Province, District, Commune, Country, Person
    alt_labels: list[str] = field(default_factory=list)  # other forms seen or known (UBND huyện Quỳnh Lưu)
    spans: list[Span] = field(default_factory=list)
    code: str = ""  # official code (GSO / ISO)
    parent: str = ""  # key of the containing place (places) or parent organisation (orgs)
    jurisdiction: str = ""  # key of the place an agency governs
    agency_type: str = ""  # slug in the agency-type scheme (ubnd, so, ban, ...)
    registered: bool = False  # the place is in the gazetteer graph already
    extra: dict = field(default_factory=dict)


@dataclass
class Membership:
    person: str  # entity key
    org: str  # entity key ("" when only the post is known)
    role: str  # full post name (Phó Giám đốc)
    role_key: str  # slug in the post scheme
    role_alt: list[str] = field(default_factory=list)  # as written (PGĐ)
    span: Span | None = None
    date: str = ""  # when it was reported (article date)


@dataclass
class Meeting:
    key: str
    event_type: str  # slug in the event-type scheme (gap-mat, hoi-nghi, ...)
    label: str
    span: Span  # the sentence (or clause) that reports it
    date: str = ""  # YYYY-MM-DD, or --MM-DD when the year is unknown
    date_span: Span | None = None
    organizers: list[str] = field(default_factory=list)  # entity keys
    attendees: list[str] = field(default_factory=list)
    location: str = ""  # place key
    topic: str = ""


@dataclass
class Program:
    key: str
    name: str
    program_type: str  # slug: mo-hinh, chuong-trinh, du-an, ...
    span: Span
    runners: list[str] = field(default_factory=list)  # org keys
    places: list[str] = field(default_factory=list)  # place keys
    alt_labels: list[str] = field(default_factory=list)
    pilot: bool = False


@dataclass
class Figure:
    value: float
    unit: str  # as written: "lớp", "lượt người", "%"
    measure: str  # what is counted, in words
    span: Span
    comparator: str = "eq"  # eq | gt | lt | approx (trên, dưới, khoảng)
    share_of: int | None = None  # index of the figure this is a percentage of
    place: str = ""
    period: str = ""


@dataclass
class Doc:
    """One article under extraction. Stages read and add to it."""

    article: Article
    key: str  # article key (IRI /id/article/{key}, graph /id/graph/{key})
    sentences: list[Span] = field(default_factory=list)
    home: str = ""  # key of the article's home territory (place)
    entities: dict[str, Entity] = field(default_factory=dict)  # by key
    memberships: list[Membership] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    mentions: list[tuple[Span, str]] = field(default_factory=list)  # (span, entity key)
    ambiguous: list[tuple[Span, list[str]]] = field(default_factory=list)  # place mention, candidate keys
    publisher: str = ""  # publisher name
    tokens: list = field(default_factory=list)  # word tokens with offsets
    date: str = ""  # article date used to resolve relative dates and units in time
    warnings: list[str] = field(default_factory=list)
    date_mentions: list = field(default_factory=list)  # kg.stages.dates.DateMention
    ref_year: int | None = None  # year that relative dates ("2/7") take
    org_mentions: list = field(default_factory=list)  # (Span, org key) in text order
    place_mentions: list = field(default_factory=list)  # (Span, place key) in text order
    person_mentions: list = field(default_factory=list)  # (Span, person key) in text order
    norm: str = ""  # the text with tone marks placed one way (same length and offsets): what patterns match
    linker: object = None
    pending_parents: list = field(default_factory=list)  # kg.stages.names.Linker: place resolution in this article's context

    def add_entity(self, ent: Entity, span: Span | None = None) -> Entity:
        """Add or merge an entity; returns the stored one."""
        have = self.entities.get(ent.key)
        if have is None:
            self.entities[ent.key] = have = ent
        else:
            for label in [ent.label, *ent.alt_labels]:
                if label and label != have.label and label not in have.alt_labels:
                    have.alt_labels.append(label)
            for attr in ("code", "parent", "jurisdiction", "agency_type"):
                if not getattr(have, attr) and getattr(ent, attr):
                    setattr(have, attr, getattr(ent, attr))
        if span is not None:
            have.spans.append(span)
            self.mentions.append((span, have.key))
        return have

    def sentence_of(self, pos: int) -> Span | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None

"""The dictionaries the extractor reads, loaded from the SKOS files in ontology/ and seeds/.

Nothing here is hand-coded vocabulary: agency types, posts, event types, programme types and
abbreviations are data (ontology/*.ttl); publishers are seeds/publishers.tsv.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .config import DEF, ONTOLOGY_DIR, SEEDS_DIR
from .text import match_key

SKOS = "http://www.w3.org/2004/02/skos/core#"
SHAPE = "https://w3id.org/vnkg/def/core#nameShape"


@dataclass
class Concept:
    iri: str
    slug: str
    label: str  # Vietnamese prefLabel
    alt: list[str] = field(default_factory=list)  # Vietnamese altLabels
    label_en: str = ""
    broader: list[str] = field(default_factory=list)
    shape: str = ""

    @property
    def forms(self) -> list[str]:
        return [self.label, *self.alt]


@dataclass
class Publisher:
    domain: str
    name: str
    province_code: str


@dataclass
class Lexicon:
    agency_types: dict[str, Concept]
    posts: dict[str, Concept]
    event_types: dict[str, Concept]
    program_types: dict[str, Concept]
    abbreviations: dict[str, Concept]
    publishers: list[Publisher]
    sectors: dict[str, Concept] = field(default_factory=dict)

    def __post_init__(self):
        # abbreviation (exact, case-sensitive) -> full form
        self.expansions: dict[str, str] = {}
        for c in self.abbreviations.values():
            for a in c.alt:
                self.expansions[a] = c.label
        # a national body's name as written with an abbreviated word ("Ban Tuyên giáo T.Ư")
        for c in self.agency_types.values():
            if c.shape == "national":
                c.alt += [v for v in _abbreviated(c.forms, self.abbreviations) if v not in c.forms]
        self.post_by_key = _index(self.posts)
        self.agency_by_key = _index(self.agency_types)
        self.event_by_key = _index(self.event_types)
        self.program_by_key = _index(self.program_types)

    def is_public(self, agency_type: str) -> bool:
        """Agency types in the 'public' family are public bodies (vnkg:Agency)."""
        seen, todo = set(), [agency_type]
        while todo:
            slug = todo.pop()
            if slug == "public":
                return True
            if slug in seen or slug not in self.agency_types:
                continue
            seen.add(slug)
            todo.extend(b.rsplit("/", 1)[-1] for b in self.agency_types[slug].broader)
        return False

    def expand(self, text: str) -> str:
        """Replace every known abbreviation (as a whole word) by its full form."""
        if not self._abbr_re.pattern:
            return text
        return self._abbr_re.sub(lambda m: self.expansions[m.group(0)], text)

    @property
    def _abbr_re(self) -> re.Pattern:
        pat = getattr(self, "_abbr_cache", None)
        if pat is None:
            keys = sorted(self.expansions, key=len, reverse=True)
            body = "|".join(re.escape(k) for k in keys)
            pat = re.compile(rf"(?<![\w.&-])(?:{body})(?![\w&])") if keys else re.compile("")
            self._abbr_cache = pat
        return pat

    def publisher_for(self, source: str) -> Publisher | None:
        """The publisher of a source given as a domain, URL or name ("Baonghean.vn", "Báo Nghệ An")."""
        if not source:
            return None
        low = source.lower()
        key = match_key(source)
        for p in self.publishers:
            if p.domain in low or low.replace(".vn", "") == p.domain.split(".")[0] or match_key(p.name) == key:
                return p
        return None


def _abbreviated(forms: list[str], abbreviations: dict[str, Concept]) -> list[str]:
    """Each form with one multi-word term written as each of its abbreviations."""
    out = []
    for ab in abbreviations.values():
        if " " not in ab.label:
            continue
        whole = re.compile(rf"(?<!\w){re.escape(ab.label)}(?!\w)")
        for f in forms:
            if whole.search(f):
                out += [whole.sub(a, f) for a in ab.alt]
    return out


def _index(concepts: dict[str, Concept]) -> dict[str, Concept]:
    out = {}
    for c in concepts.values():
        for f in c.forms:
            out.setdefault(match_key(f), c)
    return out


def _load_scheme(store: ox.Store, scheme: str) -> dict[str, Concept]:
    base = f"{DEF}{scheme}/"
    rows = store.query(
        f"""PREFIX skos: <{SKOS}>
        SELECT ?c ?p ?o WHERE {{ ?c skos:inScheme <{base}> ; ?p ?o }}"""
    )
    out: dict[str, Concept] = {}
    for r in rows:
        iri = r["c"].value
        c = out.setdefault(iri, Concept(iri=iri, slug=iri[len(base):], label=""))
        p, o = r["p"].value, r["o"]
        lang = getattr(o, "language", None)
        if p == SKOS + "prefLabel":
            if lang == "en":
                c.label_en = o.value
            else:
                c.label = o.value
        elif p == SKOS + "altLabel" and lang != "en":
            c.alt.append(o.value)
        elif p == SKOS + "broader":
            c.broader.append(o.value)
        elif p == SHAPE:
            c.shape = o.value
    for c in out.values():
        c.alt.sort()
    return {c.slug: c for c in sorted(out.values(), key=lambda c: c.slug)}


def ontology_files(directory: Path = ONTOLOGY_DIR) -> list[Path]:
    return sorted(directory.glob("*.ttl"))


@lru_cache(maxsize=4)
def load_lexicon(ontology_dir: Path = ONTOLOGY_DIR, seeds_dir: Path = SEEDS_DIR) -> Lexicon:
    store = ox.Store()
    for f in ontology_files(ontology_dir):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    publishers = []
    pub_file = seeds_dir / "publishers.tsv"
    if pub_file.exists():
        with pub_file.open(encoding="utf-8") as fh:
            for row in csv.reader((l for l in fh if not l.startswith("#")), delimiter="\t"):
                if len(row) >= 2:
                    publishers.append(Publisher(row[0].strip().lower(), row[1].strip(), (row[2].strip() if len(row) > 2 else "")))
    return Lexicon(
        agency_types=_load_scheme(store, "agency-type"),
        posts=_load_scheme(store, "post"),
        event_types=_load_scheme(store, "event-type"),
        program_types=_load_scheme(store, "program-type"),
        abbreviations=_load_scheme(store, "abbreviation"),
        publishers=publishers,
        sectors=_load_scheme(store, "sector"),
    )

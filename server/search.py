"""Vietnamese-aware search over names: an in-memory index of labels, rebuilt when the store changes.

Every literal of rdfs:label, skos:prefLabel / altLabel / hiddenLabel, schema:name and
schema:headline is keyed by the tokens of `kg.text.loose_key` (no diacritics, one tone placement,
case-folded), so "quynh luu", "Quỳnh Lưu" and "QUỲNH LƯU" find the same things and a prefix of a word
("quyn") matches it. Abbreviations (UBND, VSTBPN, PGĐ …) are read from the graph itself: a SKOS
concept whose altLabel is one upper-case word and whose prefLabel is the full form; a query word that
is such an abbreviation also matches the full form.

The index is rebuilt after every write through the server (the caller passes State.version) and
when the store's signature (quad count and named graphs) changes, checked at most every `RECHECK`
seconds; `invalidate()` forces a rebuild. The gazetteer's labels, nine in ten of all, are read once
and kept while that graph's version and size stay the same, so a rebuild after a write costs a
fraction of the first build.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.text import loose_key, match_key
from kg.vocab import GAZETTEER_GRAPH, PREFIXES

RECHECK = 2.0
LABEL_PROPS = {
    PREFIXES["rdfs"] + "label": 0,
    PREFIXES["skos"] + "prefLabel": 0,
    PREFIXES["schema"] + "name": 1,
    PREFIXES["schema"] + "headline": 1,
    PREFIXES["skos"] + "altLabel": 2,
    PREFIXES["skos"] + "hiddenLabel": 3,
}
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
OWL_VERSION = ox.NamedNode(PREFIXES["owl"] + "versionInfo")
SKOS_PREF = PREFIXES["skos"] + "prefLabel"
SKOS_ALT = PREFIXES["skos"] + "altLabel"
_ABBREV = re.compile(r"^[A-ZĐ]{2,10}$")


@dataclass
class Entry:
    iri: str
    text: str  # the label as written
    loose: str  # loose_key(text)
    strict: str  # match_key(text): diacritics kept, tones unified
    rank: int  # 0 names, 1 other names, 2 aliases, 3 hidden forms


@dataclass
class Hit:
    iri: str
    score: float
    matched: str  # the label that matched
    types: list[str] = field(default_factory=list)
    rank: int = 0  # of the matched label: 0 names … 3 hidden (unaccented) forms


class Postings:
    """Entries and, for each word of their loose keys, the entries holding it."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        postings: dict[str, set[int]] = {}
        for i, e in enumerate(entries):
            for tok in e.loose.split():
                postings.setdefault(tok, set()).add(i)
        self.postings = postings
        self.tokens = sorted(postings)

    @classmethod
    def of(cls, rows) -> "Postings":
        """From (iri, text, property, language) rows: one entry per name of a thing, at its best rank."""
        best: dict[tuple[str, str], int] = {}
        for iri, text, prop, _ in rows:
            rank = LABEL_PROPS[prop]
            if rank < best.get((iri, text), 99):
                best[(iri, text)] = rank
        entries = []
        for (iri, text), rank in best.items():
            loose = loose_key(text)
            if loose:
                entries.append(Entry(iri, text, loose, match_key(text), rank))
        return cls(entries)

    def _prefix(self, token: str) -> set[int]:
        """Entries with a word starting with `token`."""
        out: set[int] = set()
        i = bisect.bisect_left(self.tokens, token)
        while i < len(self.tokens) and self.tokens[i].startswith(token):
            out |= self.postings[self.tokens[i]]
            i += 1
        return out

    def _word(self, token: str) -> set[int]:
        return self.postings.get(token, set())

    def matching(self, words: list[str], abbreviations: dict[str, list[str]]) -> list[Entry]:
        """Entries that have every word (or a word it starts, or the full form of an abbreviation)."""
        matched: set[int] | None = None
        for word in words:
            # any word may be partial; an abbreviation may also stand for its full form
            found = self._prefix(word)
            for full in abbreviations.get(word, ()):
                alt = None
                for part in full.split():
                    alt = self._word(part) if alt is None else alt & self._word(part)
                found |= alt or set()
            matched = found if matched is None else matched & found
            if not matched:
                return []
        return [self.entries[i] for i in matched or ()]


class LabelIndex:
    """Every name in the store. Made of parts (the gazetteer's names, kept between builds, and the
    rest's) searched together; `types` and `abbreviations` cover them all."""

    def __init__(self, parts: list[Postings], types: dict[str, list[str]], abbreviations: dict[str, list[str]]):
        self.parts = parts
        self.types = types
        self.abbreviations = abbreviations

    @property
    def entries(self) -> list[Entry]:
        return [e for part in self.parts for e in part.entries]

    @classmethod
    def build(cls, store: ox.Store) -> "LabelIndex":
        """The index of every label in `store`. The gazetteer's graph (nine names in ten) is read and
        indexed once and kept until it changes; the other graphs are read again on every build."""
        static = _gazetteer_part(store)
        dynamic = _segment(store, [g for g in store.named_graphs() if g != GAZETTEER_GRAPH] + [ox.DefaultGraph()])
        # types: the gazetteer's own for its units; looked up in every graph for whatever else is named
        types = dict(static.types)
        for iri in {row[0] for row in dynamic.rows}:
            found = {q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, None, None) if isinstance(q.object, ox.NamedNode)}
            types[iri] = sorted(found | set(types.get(iri, ())))
        abbreviations = _abbreviations(dynamic.rows, static.prefs)
        for short, fulls in static.abbreviations.items():
            for full in fulls:
                if full not in abbreviations.setdefault(short, []):
                    abbreviations[short].append(full)
        return cls([static.postings, Postings.of(dynamic.rows)], types, abbreviations)

    def search(self, query: str, limit: int = 20, classes: set[str] | None = None) -> list[Hit]:
        words = loose_key(query).split()
        if not words:
            return []
        strict_q = match_key(query)
        best: dict[str, Hit] = {}
        loose_q = " ".join(words)
        for part in self.parts:
            for e in part.matching(words, self.abbreviations):
                s = self._score(e, words, loose_q, strict_q)
                hit = best.get(e.iri)
                if hit is None or s > hit.score:
                    best[e.iri] = Hit(e.iri, s, e.text, self.types.get(e.iri, []), e.rank)
        hits = list(best.values())
        if classes:
            hits = [h for h in hits if classes & set(h.types)]
        hits.sort(key=lambda h: (-h.score, h.matched, h.iri))
        return hits[:limit]

    def _score(self, e: Entry, words: list[str], loose_q: str, strict_q: str) -> float:
        label_words = e.loose.split()
        score = 0.0
        if e.loose == loose_q:
            score += 100
        elif e.loose.startswith(loose_q):
            score += 40
        elif loose_q in e.loose:
            score += 25
        score += 5 * sum(1 for w in words if w in label_words)  # whole words beat prefixes
        if strict_q and strict_q in e.strict:
            score += 15  # the diacritics typed match too
        score -= 0.5 * max(len(label_words) - len(words), 0)
        score -= 3 * e.rank
        return score


@dataclass
class Segment:
    """The label literals of some graphs, as (iri, text, property, language) rows, and the types of
    the things they name as stated in those graphs."""

    rows: list[tuple[str, str, str, str]]
    types: dict[str, list[str]]


def _segment(store: ox.Store, graphs, with_types: bool = False) -> Segment:
    rows = []
    for g in graphs:
        for prop in LABEL_PROPS:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, g):
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
                    rows.append((q.subject.value, q.object.value, prop, q.object.language or ""))
    types: dict[str, list[str]] = {}
    if with_types:
        named = {row[0] for row in rows}
        for g in graphs:
            for q in store.quads_for_pattern(None, RDF_TYPE, None, g):
                if q.subject.value in named and isinstance(q.object, ox.NamedNode) and isinstance(q.subject, ox.NamedNode):
                    types.setdefault(q.subject.value, []).append(q.object.value)
    return Segment(rows, types)


def _prefs(rows) -> dict[str, list[str]]:
    """Vietnamese (or untagged) skos:prefLabel texts of each IRI."""
    out: dict[str, list[str]] = {}
    for iri, text, prop, lang in rows:
        if prop == SKOS_PREF and (lang or "vi").startswith("vi"):
            out.setdefault(iri, []).append(text)
    return out


def _abbreviations(rows, other_prefs: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """'ubnd' -> ['uy ban nhan dan'], from SKOS concepts whose altLabel is an upper-case abbreviation
    (their prefLabel may come from `other_prefs`, another part's)."""
    pref = _prefs(rows)
    out: dict[str, list[str]] = {}
    for iri, text, prop, _ in rows:
        if prop != SKOS_ALT or not _ABBREV.match(text):
            continue
        for full_text in pref.get(iri, []) + (other_prefs or {}).get(iri, []):
            full = loose_key(full_text)
            short = loose_key(text)
            if full and full != short and full not in out.setdefault(short, []):
                out[short].append(full)
    return out


@dataclass
class Part:
    """What the index keeps of the gazetteer graph between builds."""

    postings: Postings
    types: dict[str, list[str]]
    prefs: dict[str, list[str]]
    abbreviations: dict[str, list[str]]


def _gazetteer_part(store: ox.Store) -> Part:
    """The gazetteer graph's names, read again only when the graph's version or size changes."""

    def build(st: ox.Store) -> Part:
        seg = _segment(st, [GAZETTEER_GRAPH], with_types=True)
        return Part(Postings.of(seg.rows), seg.types, _prefs(seg.rows), _abbreviations(seg.rows))

    version = next((q.object.value for q in store.quads_for_pattern(GAZETTEER_GRAPH, OWL_VERSION, None, GAZETTEER_GRAPH)), "")
    size = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {GAZETTEER_GRAPH} {{ ?s ?p ?o }} }}")))["n"].value
    return cached(store, "gazetteer-labels", build, version=(version, size), watch=False)


# ------------------------------------------------------------------ the cache

_lock = threading.Lock()
_cache: dict[tuple, dict] = {}
_building: dict[tuple, threading.Lock] = {}
MAX_STORES = 4  # stores whose derived data is kept (a server has one; tests open many)


def signature(store: ox.Store) -> tuple:
    graphs = sorted(g.value if isinstance(g, ox.NamedNode) else str(g) for g in store.named_graphs())
    return (len(store), hash(tuple(graphs)))


def _fresh(store: ox.Store, key: tuple, version, check: bool):
    """The cached slot of `key` when it still holds: same store and version, and (when `check`, or
    every RECHECK seconds) the same store signature unless the slot does not watch it."""
    slot = _cache.get(key)
    if not slot or slot["store"] is not store or slot["version"] != version:
        return None
    if slot["sig"] is None or not check and time.monotonic() - slot["checked"] < RECHECK:
        return slot
    if slot["sig"] == signature(store):
        slot["checked"] = time.monotonic()
        return slot
    return None


def cached(store: ox.Store, name: str, build, version=None, watch: bool = True):
    """`build(store)`, remembered until the store changes.

    `version` is the store's count of writes (State.version): a write through any of the server's
    processes is seen by the next call, for free. Writes behind the server's back are seen
    by the store's signature (quad count and named graphs), checked at most every RECHECK seconds:
    counting the quads costs ~50 ms on the dev corpus, too much for every keystroke of autocomplete.
    With `watch=False` the version alone says whether the value holds. One build at a time per
    store and name: who asks meanwhile waits for it.
    """
    key = (id(store), name)
    slot = _fresh(store, key, version, check=False)
    if slot:
        return slot["value"]
    with _lock:
        building = _building.setdefault(key, threading.Lock())
    with building:
        slot = _fresh(store, key, version, check=True)
        if slot:
            return slot["value"]
        sig = signature(store) if watch else None
        value = build(store)
        with _lock:
            _cache[key] = {"store": store, "version": version, "sig": sig, "value": value, "checked": time.monotonic()}
            held = list(dict.fromkeys(k[0] for k in _cache))
            for old in held[:-MAX_STORES] if len(held) > MAX_STORES else ():
                if old != key[0]:
                    for k in [k for k in _cache if k[0] == old]:
                        del _cache[k]
                        _building.pop(k, None)
    return value


def get_index(store: ox.Store, version=None) -> LabelIndex:
    """The label index of `store`, rebuilt when the store has changed (see `cached`)."""
    return cached(store, "labels", LabelIndex.build, version)


def warm(store: ox.Store, version=None) -> None:
    """Build the label index in the background (called from the home page, before anyone types)."""
    slot = _cache.get((id(store), "labels"))
    if slot is None or slot["store"] is not store or slot["version"] != version:
        threading.Thread(target=get_index, args=(store, version), name="vnkg-label-index", daemon=True).start()


def invalidate(store: ox.Store | None = None) -> None:
    """Forget what was derived from `store` (or from every store), e.g. after writing to it behind
    the server's back."""
    with _lock:
        for key in list(_cache):
            if store is None or key[0] == id(store):
                del _cache[key]

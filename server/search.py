"""Vietnamese-aware search over names: an in-memory index of labels, rebuilt when the store changes.

Every literal of rdfs:label, skos:prefLabel / altLabel / hiddenLabel, schema:name and
schema:headline is keyed by the tokens of `kg.text.loose_key` (no diacritics, one tone placement,
case-folded), so "quynh luu", "Quỳnh Lưu" and "QUỲNH LƯU" find the same things and a prefix of a word
("quyn") matches it. Abbreviations (UBND, VSTBPN, PGĐ …) are read from the graph itself: a SKOS
concept whose altLabel is one upper-case word and whose prefLabel is the full form; a query word that
is such an abbreviation also matches the full form.

The index is rebuilt when the store's signature (quad count and named graphs) changes; the
signature is checked at most every `RECHECK` seconds, and `invalidate()` forces a rebuild.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.text import loose_key, match_key
from kg.vocab import PREFIXES

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
SKOS_PREF = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
SKOS_ALT = ox.NamedNode(PREFIXES["skos"] + "altLabel")
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


class LabelIndex:
    def __init__(self, entries: list[Entry], types: dict[str, list[str]], abbreviations: dict[str, list[str]]):
        self.entries = entries
        self.types = types
        self.abbreviations = abbreviations
        postings: dict[str, set[int]] = {}
        for i, e in enumerate(entries):
            for tok in e.loose.split():
                postings.setdefault(tok, set()).add(i)
        self.postings = postings
        self.tokens = sorted(postings)

    @classmethod
    def build(cls, store: ox.Store) -> "LabelIndex":
        entries: list[Entry] = []
        seen: set[tuple[str, str]] = set()
        for prop, rank in LABEL_PROPS.items():
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.Literal):
                    continue
                key = (q.subject.value, q.object.value)
                if key in seen:
                    continue
                seen.add(key)
                loose = loose_key(q.object.value)
                if loose:
                    entries.append(Entry(q.subject.value, q.object.value, loose, match_key(q.object.value), rank))
        types: dict[str, list[str]] = {}
        for iri in {e.iri for e in entries}:
            found = {q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, None, None) if isinstance(q.object, ox.NamedNode)}
            types[iri] = sorted(found)
        return cls(entries, types, _abbreviations(store))

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

    def search(self, query: str, limit: int = 20, classes: set[str] | None = None) -> list[Hit]:
        words = loose_key(query).split()
        if not words:
            return []
        strict_q = match_key(query)
        matched: set[int] | None = None
        for n, word in enumerate(words):
            # any word may be partial; an abbreviation may also stand for its full form
            found = self._prefix(word)
            for full in self.abbreviations.get(word, ()):
                parts = full.split()
                alt = None
                for part in parts:
                    alt = self._word(part) if alt is None else alt & self._word(part)
                found |= alt or set()
            matched = found if matched is None else matched & found
            if not matched:
                return []
        best: dict[str, Hit] = {}
        loose_q = " ".join(words)
        for i in matched or ():
            e = self.entries[i]
            s = self._score(e, words, loose_q, strict_q)
            hit = best.get(e.iri)
            if hit is None or s > hit.score:
                best[e.iri] = Hit(e.iri, s, e.text, self.types.get(e.iri, []), e.rank)
        hits = list(best.values())
        if classes:
            hits = [h for h in hits if classes & set(h.types)]
        hits.sort(key=lambda h: (-h.score, h.matched))
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


def _abbreviations(store: ox.Store) -> dict[str, list[str]]:
    """'ubnd' -> ['uy ban nhan dan'], from SKOS concepts whose altLabel is an upper-case abbreviation."""
    out: dict[str, list[str]] = {}
    for q in store.quads_for_pattern(None, SKOS_ALT, None, None):
        if not isinstance(q.object, ox.Literal) or not _ABBREV.match(q.object.value):
            continue
        for p in store.quads_for_pattern(q.subject, SKOS_PREF, None, None):
            if isinstance(p.object, ox.Literal) and (p.object.language or "vi").startswith("vi"):
                full = loose_key(p.object.value)
                short = loose_key(q.object.value)
                if full and full != short and full not in out.setdefault(short, []):
                    out[short].append(full)
    return out


# ------------------------------------------------------------------ the cache

_lock = threading.Lock()
_cache: dict[tuple, dict] = {}


def signature(store: ox.Store) -> tuple:
    graphs = sorted(g.value if isinstance(g, ox.NamedNode) else str(g) for g in store.named_graphs())
    return (len(store), hash(tuple(graphs)))


def cached(store: ox.Store, name: str, build):
    """`build(store)`, remembered until the store changes (checked at most every RECHECK seconds)."""
    key = (id(store), name)
    slot = _cache.get(key)
    now = time.monotonic()
    if slot and slot["store"] is store and now - slot["checked"] < RECHECK:
        return slot["value"]
    with _lock:
        slot = _cache.get(key)
        sig = signature(store)
        if slot and slot["store"] is store and slot["sig"] == sig:
            slot["checked"] = now
            return slot["value"]
    value = build(store)
    with _lock:
        _cache[key] = {"store": store, "sig": sig, "value": value, "checked": time.monotonic()}
    return value


def get_index(store: ox.Store) -> LabelIndex:
    """The label index of `store`, rebuilt when the store has changed."""
    return cached(store, "labels", LabelIndex.build)


def warm(store: ox.Store) -> None:
    """Build the label index in the background (called from the home page, before anyone types)."""
    slot = _cache.get((id(store), "labels"))
    if slot is None or slot["store"] is not store:
        threading.Thread(target=get_index, args=(store,), name="vnkg-label-index", daemon=True).start()


def invalidate(store: ox.Store | None = None) -> None:
    """Forget the index of `store` (or of every store), e.g. after an update."""
    with _lock:
        for key in list(_cache):
            if store is None or key[0] == id(store):
                del _cache[key]

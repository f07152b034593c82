"""The gazetteer: Vietnam's administrative units (before and after the 2025 reform) and foreign places.

Source. Vietnamese units come from the national register shipped by `vietnamadminunits` (read with its
public `database.query`; the 2025 conversion tables through `importlib.resources`): the 63 provinces,
696 districts and 10,035 communes as they stood just before 2025-07-01, and the 34 provinces and 3,321
communes from 2025-07-01. Countries and the provinces of Laos and Cambodia come from the TSV files in
`seeds/gazetteer/`. Nothing is hand-typed here except a few well-known province nicknames (`_PROVINCE_ALT`).

Keys (the IRI is /id/place/{key}; deterministic, stable across runs):
- pre-2025 units: `vn-{gso code}-{slug}` — `vn-40-nghe-an`, `vn-421-quynh-luu`, `vn-17101-quynh-thang`;
- 2025 units with a new identity: `vn-2025-{code}-{slug}` — every 2025 commune (the codes were reused
  for different territories: 00004 was phường Trúc Bạch, is now phường Ba Đình) and every province that
  was formed by a merger (`vn-2025-08-tuyen-quang`). A province the reform left untouched (its own sole
  predecessor, with the same code: Hà Nội, Huế, Nghệ An, Thanh Hóa … eleven in all) keeps its one key and
  one node, valid throughout;
- countries `{iso2}-{slug}` (`vn-viet-nam`, `la-lao`); foreign provinces `{iso 3166-2 lower}-{slug}`
  (`la-xi-xieng-khoang`, `kh-16-ratanakiri`);
- the slug is that of the short name ("Quỳnh Lưu"), or of the full name when the short name is a bare
  number (`vn-760-quan-1`, `vn-26734-phuong-1`).

Time. `valid_until` is exclusive (the first day a unit no longer exists, as the ontology defines
vnkg:validUntil): pre-2025 districts and communes, and provinces that were merged, have valid_until
2025-07-01; 2025 units have valid_from 2025-07-01. The pre-2025 register is one snapshot (mid-2025), so
its units have no valid_from and stand in for every earlier date: a 2014 article gets the districts and
communes of that snapshot (earlier mergers are not in the register). Old → new links come from the
converter tables: `vnkg:replacedBy` for every successor; also `vnkg:mergedInto` when the whole old unit
went into one new unit together with others.

Names. Every comparison uses `kg.text.match_key` (tone placement, case and punctuation insensitive),
falling back to `loose_key` (no diacritics) when nothing matches. A leading type word is understood in
full or abbreviated: "thành phố Vinh", "TP Vinh", "TP. Hồ Chí Minh", "Tp HCM", "TX", "TT", "H.", "Q.", "P.".

Resolution (`Gazetteer.resolve`), in order:
1. candidates are the units named so (with the type word, if one is given) that exist at the article's
   date; an unknown date counts as the eve of the reform (2025-06-30) — most news predates it — and only
   when no unit of that date fits are the 2025 units considered;
2. a single candidate wins ("unique");
3. context keys, nearest first: candidates inside a context unit (or the context unit itself, or one of its
   ancestors) are kept; one left wins ("context"), several narrow the field for the next context key;
4. with no type word, a single candidate of the highest level wins ("level"): bare "Thanh Hóa" is the
   province, "thành phố Thanh Hóa" (or "TP Thanh Hóa") the city;
5. otherwise no unit, and the candidates are returned ("ambiguous") — never a random pick.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pyoxigraph as ox

from .config import SEEDS_DIR
from .text import loose_key, match_key, slugify, unaccent
from .vocab import DCTERMS, GAZETTEER_GRAPH, GEO, OWL, PREFIXES, RDF, RDFS, SKOS, SCHEMA, VNKG, XSD, concept, thing

REFORM_DATE = "2025-07-01"
EVE_OF_REFORM = "2025-06-30"
LEVELS = ("country", "province", "district", "commune")
CLASS_OF = {"country": "Country", "province": "Province", "district": "District", "commune": "Commune"}
_RANK = {level: i for i, level in enumerate(LEVELS)}

# Type words: canonical form -> (English label).  Their concept is /def/unit-type/{slug}.
TYPE_WORDS = {
    "nước": "country",
    "tỉnh": "province",
    "thành phố": "city",
    "thủ đô": "capital",
    "huyện": "rural district",
    "quận": "urban district",
    "thị xã": "town",
    "xã": "commune",
    "phường": "ward",
    "thị trấn": "township",
    "đặc khu": "special zone",
}
# Abbreviations seen in news and addresses; keys are match_key forms.
_TYPE_ABBREV = {"tp": "thành phố", "t p": "thành phố", "tx": "thị xã", "t x": "thị xã", "tt": "thị trấn",
                "h": "huyện", "q": "quận", "p": "phường", "x": "xã"}
_TYPES = {match_key(t): t for t in TYPE_WORDS} | _TYPE_ABBREV
_LOOSE_TYPES = {loose_key(k): t for k, t in _TYPES.items()}

# Names the register does not carry, by the province's short name (both eras: the codes were reused).
_PROVINCE_ALT = {
    "Hồ Chí Minh": ["TP HCM", "TPHCM", "TP.HCM", "HCM", "Sài Gòn", "thành phố Sài Gòn"],
    "Hà Nội": ["Thủ đô Hà Nội", "HN"],
    "Huế": ["Thừa Thiên Huế", "Thừa Thiên - Huế", "tỉnh Thừa Thiên Huế", "TT Huế"],
    "Bà Rịa - Vũng Tàu": ["BR-VT", "BRVT", "Bà Rịa Vũng Tàu"],
    "Bắc Kạn": ["Bắc Cạn"],
    "Kon Tum": ["Kontum"],
    "Đắk Lắk": ["Đắc Lắc", "Daklak"],
    "Đắk Nông": ["Đắc Nông"],
}
_TSV_FILES = ("countries.tsv", "la-provinces.tsv", "kh-provinces.tsv")


@dataclass
class Unit:
    """One administrative unit; `key` is its IRI key under /id/place/."""

    key: str
    name: str  # short: "Quỳnh Lưu"
    full_name: str  # "huyện Quỳnh Lưu"
    type_word: str  # "huyện"
    level: str  # country | province | district | commune
    cls: str  # Country | Province | District | Commune
    code: str  # GSO code, ISO 3166-2 or ISO 3166-1 alpha-2
    parent: str = ""  # key
    valid_from: str = ""  # ISO date or ""
    valid_until: str = ""  # ISO date (exclusive) or ""
    lat: float | None = None
    lon: float | None = None
    alt_names: list[str] = field(default_factory=list)
    name_en: str = ""  # English name of a foreign unit

    @property
    def iri(self) -> ox.NamedNode:
        return thing("place", self.key)

    @property
    def country(self) -> str:
        return self.key.split("-", 1)[0].upper()

    def valid_on(self, date: str) -> bool:
        """Whether the unit exists on `date` (ISO; a year or year-month compares as its start)."""
        return (not self.valid_from or self.valid_from <= date) and (not self.valid_until or date < self.valid_until)


@dataclass
class Resolution:
    unit: Unit | None
    candidates: list[Unit]
    rule: str  # unique | context | level | ambiguous | none


# --- reading the sources ---------------------------------------------------------------------------


def split_type(text: str, types: dict[str, str] | None = None) -> tuple[str, str]:
    """("thành phố", "vinh") from a match_key'd "tp vinh"; ("", text) when it starts with no type word."""
    types = _TYPES if types is None else types
    words = text.split()
    for n in (2, 1):
        if len(words) > n and " ".join(words[:n]) in types:
            return types[" ".join(words[:n])], " ".join(words[n:])
    return "", text


def _split_official(full: str) -> tuple[str, str]:
    """Type word and short name from the register's full name ("Thành Phố Bắc Kạn" -> thành phố, Bắc Kạn)."""
    low = full.lower()
    for tw in sorted(TYPE_WORDS, key=len, reverse=True):
        if low.startswith(tw + " "):
            return tw, full[len(tw) + 1 :].strip()
    raise ValueError(f"vietnamadminunits: no type word in unit name {full!r}")


def _vn_unit(code: str, full: str, level: str, *, era2025: bool = False, **kw) -> Unit:
    tw, name = _split_official(full)
    if level == "province":
        kw["alt_names"] = list(_PROVINCE_ALT.get(name, ()))
    slug = slugify(f"{tw} {name}" if name.isdigit() else name)
    key = f"vn-2025-{code}-{slug}" if era2025 else f"vn-{code}-{slug}"
    return Unit(key=key, name=name, full_name=f"{tw} {name}", type_word=tw, level=level,
                cls=CLASS_OF[level], code=code, **kw)


def _register() -> tuple[list[dict], list[dict], dict]:
    from vietnamadminunits.database import query

    legacy = query(
        "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey, district, districtCode,"
        " districtLat, districtLon, districtKey, ward, wardCode, wardLat, wardLon, wardKey"
        " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    )
    current = query(
        "SELECT province, provinceCode, provinceLat, provinceLon, provinceKey, ward, wardCode, wardLat,"
        " wardLon, wardKey FROM admin_units ORDER BY provinceCode, wardCode"
    )
    converter = json.loads(resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text("utf-8"))
    return legacy, current, converter


def _vietnam(country_key: str) -> tuple[list[Unit], list[tuple[str, str, bool]]]:
    legacy, current, converter = _register()
    merged_provinces = converter["DICT_PROVINCE"]
    units: dict[str, Unit] = {}

    def put(u: Unit) -> Unit:
        if u.key in units:  # the key rule must never merge two units
            raise ValueError(f"gazetteer: two units with key {u.key}: {units[u.key].full_name!r}, {u.full_name!r}")
        units[u.key] = u
        return u

    by_old: dict[str, str] = {}  # register key (province_district_ward) -> unit key
    old_province: dict[str, Unit] = {}
    for r in legacy:
        pk = r["provinceKey"]
        if pk not in old_province:
            kept = merged_provinces.get(pk) == [pk]
            old_province[pk] = put(_vn_unit(r["provinceCode"], r["province"], "province", parent=country_key,
                                            valid_until="" if kept else REFORM_DATE, lat=r["provinceLat"],
                                            lon=r["provinceLon"]))
        dkey = f"{pk}_{r['districtKey']}_"
        if dkey not in by_old:
            d = put(_vn_unit(r["districtCode"], r["district"], "district", parent=old_province[pk].key,
                             valid_until=REFORM_DATE, lat=r["districtLat"], lon=r["districtLon"]))
            by_old[dkey] = d.key
        if r["ward"]:
            c = put(_vn_unit(r["wardCode"], r["ward"], "commune", parent=by_old[dkey], valid_until=REFORM_DATE,
                             lat=r["wardLat"], lon=r["wardLon"]))
            by_old[dkey + r["wardKey"]] = c.key

    links: dict[tuple[str, str], bool] = {}
    new_province: dict[str, str] = {}
    new_ward: dict[tuple[str, str], str] = {}
    for r in current:
        pk = r["provinceKey"]
        if pk not in new_province:
            old = old_province.get(pk)
            if merged_provinces.get(pk) == [pk] and old is not None and old.code == r["provinceCode"]:
                new_province[pk] = old.key  # untouched by the reform: one node throughout
            else:
                p = put(_vn_unit(r["provinceCode"], r["province"], "province", era2025=True, parent=country_key,
                                 valid_from=REFORM_DATE, lat=r["provinceLat"], lon=r["provinceLon"]))
                new_province[pk] = p.key
                olds = merged_provinces.get(pk, [])
                for o in olds:
                    if o in old_province:
                        links[(old_province[o].key, p.key)] = len(olds) > 1
        c = put(_vn_unit(r["wardCode"], r["ward"], "commune", era2025=True, parent=new_province[pk],
                         valid_from=REFORM_DATE, lat=r["wardLat"], lon=r["wardLon"]))
        new_ward[(pk, r["wardKey"])] = c.key

    for pk, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in wards.items():
            for o in olds:
                if o in by_old and (pk, wk) in new_ward:
                    links[(by_old[o], new_ward[(pk, wk)])] = len(olds) > 1
    for pk, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, parts in divided.items():
            for part in parts:
                if o in by_old and (pk, part["newWardKey"]) in new_ward:
                    links.setdefault((by_old[o], new_ward[(pk, part["newWardKey"])]), False)
    return list(units.values()), [(o, n, m) for (o, n), m in links.items()]


def _tsv(name: str) -> Iterator[tuple[str, dict]]:
    """Rows of a seed TSV (comment lines start with #), each with its "file:line" for error messages."""
    path = SEEDS_DIR / "gazetteer" / name
    lines = [(i, line) for i, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    header = lines[0][1].split("\t")
    for i, line in lines[1:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(header):
            raise ValueError(f"{path}:{i}: {len(cells)} columns, expected {len(header)} ({', '.join(header)})")
        yield f"{path}:{i}", dict(zip(header, cells))


def _alts(*cells: str) -> list[str]:
    out: list[str] = []
    for cell in cells:
        for a in cell.split("|"):
            if a.strip() and a.strip() not in out:
                out.append(a.strip())
    return out


def _foreign() -> tuple[list[Unit], dict[str, str]]:
    units: list[Unit] = []
    country_key: dict[str, str] = {}
    for where, r in _tsv("countries.tsv"):
        try:
            iso = r["iso2"].upper()
            u = Unit(key=f"{iso.lower()}-{slugify(r['name_vi'])}", name=r["name_vi"], full_name=r["name_vi"],
                     type_word="nước", level="country", cls="Country", code=iso, lat=float(r["lat"]),
                     lon=float(r["lon"]), name_en=r["name_en"],
                     alt_names=[a for a in _alts(r["alt_vi"], r["name_en"], r["alt_en"]) if a != r["name_vi"]])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
        units.append(u)
        country_key[iso] = u.key
    for name in _TSV_FILES[1:]:
        for where, r in _tsv(name):
            try:
                code, tw = r["code"].upper(), r["type_word"]
                units.append(Unit(key=f"{code.lower()}-{slugify(r['name_vi'])}", name=r["name_vi"],
                                  full_name=f"{tw} {r['name_vi']}", type_word=tw, level="province",
                                  cls="Province", code=code, parent=country_key[code.split("-")[0]],
                                  lat=float(r["lat"]), lon=float(r["lon"]), name_en=r["name_en"],
                                  alt_names=_alts(r["alt_vi"], r["name_en"], r["alt_en"])))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{where}: {exc!r}") from exc
    return units, country_key


@lru_cache(maxsize=1)
def _source() -> tuple[tuple[Unit, ...], tuple[tuple[str, str, bool], ...]]:
    foreign, countries = _foreign()
    vn, links = _vietnam(countries["VN"])
    return tuple(foreign + vn), tuple(links)


def version() -> str:
    """A hash of everything the gazetteer is made from: this module, the seed TSVs, the register's version."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for name in _TSV_FILES:
        h.update((SEEDS_DIR / "gazetteer" / name).read_bytes())
    h.update(metadata.version("vietnamadminunits").encode())
    return h.hexdigest()[:16]


# --- the in-memory index ----------------------------------------------------------------------------


def _labels(u: Unit) -> list[str]:
    """Every name a unit is known by: full name, short name, alternative names."""
    return [u.full_name, u.name, *u.alt_names]


LOOKUP_MEMO = 100_000  # names remembered by Gazetteer.lookup (a few MB at most)


class Gazetteer:
    """All units, indexed by key, parent and name."""

    def __init__(self, units: Iterable[Unit], links: Iterable[tuple[str, str, bool]] = ()):
        self.units: dict[str, Unit] = {}
        self._children: dict[str, list[Unit]] = defaultdict(list)
        self._successors: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        # (match_key form, loose form) x (names with a type word, names without)
        self._full: dict[str, list[Unit]] = defaultdict(list)
        self._name: dict[str, list[Unit]] = defaultdict(list)
        self._loose_full: dict[str, list[Unit]] = defaultdict(list)
        self._loose_name: dict[str, list[Unit]] = defaultdict(list)
        self._code: dict[str, list[Unit]] = defaultdict(list)
        self._lookups: dict[tuple, tuple[Unit, ...]] = {}  # memo of lookup(): the index never changes
        keys: dict[str, tuple[str, str]] = {}  # memo: many communes share a name
        for u in units:
            self.units[u.key] = u
            self._code[u.code.upper()].append(u)
            if u.parent:
                self._children[u.parent].append(u)
            for i, label in enumerate(_labels(u)):
                pair = keys.get(label)
                if pair is None:
                    k = match_key(label)
                    pair = keys[label] = (k, unaccent(k))  # = loose_key(label), without a second match_key
                k, loose = pair
                if not k:
                    continue
                # the full name has a type word and the short name has none, even when it starts like
                # one (xã Nước Hai, phường Phường Đúc); alternative names may have either
                typed = {0: True, 1: False}.get(i)
                self._index(u, k, _TYPES, self._full, self._name, typed)
                self._index(u, loose, _LOOSE_TYPES, self._loose_full, self._loose_name, typed)
        for old, new, merged in links:
            self._successors[old].append((new, merged))

    @staticmethod
    def _index(u: Unit, k: str, types: dict, full: dict, names: dict, typed: bool | None) -> None:
        if typed is None:
            typed = bool(split_type(k, types)[0])
        bucket = full[k] if typed else names[k]
        if not bucket or bucket[-1] is not u:
            bucket.append(u)

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units.values())

    def __contains__(self, key: str) -> bool:
        return key in self.units

    def get(self, key: str) -> Unit | None:
        return self.units.get(key)

    def children(self, key: str, date: str = "") -> list[Unit]:
        """Direct sub-units; those existing at `date` when one is given."""
        kids = self._children.get(key, [])
        return [u for u in kids if u.valid_on(date)] if date else list(kids)

    def ancestors(self, key: str) -> list[Unit]:
        """Parent, grandparent, … up to the country (nearest first)."""
        out: list[Unit] = []
        u = self.units.get(key)
        while u is not None and u.parent and len(out) < 8:
            u = self.units.get(u.parent)
            if u is not None:
                out.append(u)
        return out

    def successors(self, key: str) -> list[tuple[Unit, bool]]:
        """The units that replaced `key` in 2025, each with whether `key` was merged into it."""
        return [(self.units[k], m) for k, m in self._successors.get(key, ())]

    def lookup_code(self, code: str, date: str = "") -> list[Unit]:
        """Units with an official code ("40", "421", "LA-XI", "LA"); codes were reused in 2025, so only those
        existing at `date` (unknown: the eve of the reform, else after it)."""
        units = self._code.get(code.strip().upper(), [])
        if date:
            return [u for u in units if u.valid_on(date)]
        return [u for u in units if u.valid_on(EVE_OF_REFORM)] or [u for u in units if u.valid_on(REFORM_DATE)]

    def lookup(self, name: str, level: str | None = None, type_word: str | None = None) -> list[Unit]:
        """Units named `name` (any era), best-formed first; `type_word` and `level` restrict them."""
        # Extraction asks for the same few names again and again (~200 lookups an article).
        memo = (name, level, type_word)
        hits = self._lookups.get(memo)
        if hits is None:
            if len(self._lookups) >= LOOKUP_MEMO:
                self._lookups.clear()
            hits = self._lookups[memo] = tuple(self._lookup(name, level, type_word))
        return list(hits)

    def _lookup(self, name: str, level: str | None, type_word: str | None) -> list[Unit]:
        k = match_key(name)
        if not k:
            return []
        hits = self._find(k, type_word, _TYPES, self._full, self._name, match_key)
        if not hits:
            hits = self._find(loose_key(k), type_word, _LOOSE_TYPES, self._loose_full, self._loose_name, loose_key)
        if level:
            hits = [u for u in hits if u.level == level]
        return sorted(hits, key=lambda u: (_RANK[u.level], u.key))

    @staticmethod
    def _find(k: str, type_word, types, full, names, keyf) -> list[Unit]:
        whole = k
        tw, rest = split_type(k, types)
        if type_word and not tw:
            wanted = types.get(keyf(type_word), type_word)
            k = f"{keyf(wanted)} {k}"
            tw, rest = wanted, rest
        seen: dict[str, Unit] = {u.key: u for u in full.get(k, ())}
        if tw:
            for u in names.get(rest, ()):
                if u.type_word == tw:
                    seen.setdefault(u.key, u)
        if not type_word and not whole.isdigit():  # "1" alone is no name; "quận 1" is
            for u in names.get(whole, ()):
                seen.setdefault(u.key, u)
        return list(seen.values())

    def _context_at(self, context: Sequence[str], date: str) -> Iterator[str]:
        """Context keys that exist, each followed (for a date after it ceased) by the units that replaced it."""
        for ctx in context:
            u = self.units.get(ctx)
            if u is None:
                continue
            yield ctx
            if date and not u.valid_on(date):
                yield from (k for k, _ in self._successors.get(ctx, ()))

    def resolve(self, name: str, *, type_word: str | None = None, level: str | None = None,
                context: Sequence[str] = (), date: str = "") -> Resolution:
        """The unit a mention names, given nearby/home units (keys, most relevant first) and the article date."""
        found = self.lookup(name, level=level, type_word=type_word)
        if date:
            cands = [u for u in found if u.valid_on(date)]
        else:
            cands = [u for u in found if u.valid_on(EVE_OF_REFORM)] or [u for u in found if u.valid_on(REFORM_DATE)]
        if not cands:
            return Resolution(None, [], "none")
        if len(cands) == 1:
            return Resolution(cands[0], cands, "unique")
        pool = cands
        for ctx in self._context_at(context, date):
            up = {a.key for a in self.ancestors(ctx)}
            near = [u for u in pool if u.key == ctx or u.key in up or ctx in {a.key for a in self.ancestors(u.key)}]
            if len(near) == 1:
                return Resolution(near[0], cands, "context")
            if near:
                pool = near
        k = match_key(name)
        typed = bool(type_word) or bool(split_type(k)[0]) or bool(split_type(unaccent(k), _LOOSE_TYPES)[0])
        if not typed:
            top = min(_RANK[u.level] for u in pool)
            best = [u for u in pool if _RANK[u.level] == top]
            if len(best) == 1 and top < _RANK["commune"]:
                return Resolution(best[0], cands, "level")
        return Resolution(None, pool, "ambiguous")


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built once, from the register and the seed files)."""
    units, links = _source()
    return Gazetteer(units, links)


# --- RDF ---------------------------------------------------------------------------------------------

_G = GAZETTEER_GRAPH
_TYPE, _LABEL, _PREF, _ALT, _HIDDEN, _NOTATION = RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation
_INSCHEME, _CONCEPT, _WITHIN = SKOS.inScheme, SKOS.Concept, SCHEMA.containedInPlace
_UNITTYPE, _FROM, _UNTIL, _REPLACED, _MERGED = VNKG.unitType, VNKG.validFrom, VNKG.validUntil, VNKG.replacedBy, VNKG.mergedInto
_HASGEOM, _GEOMETRY, _WKT, _WKTLIT, _DATE = GEO.hasGeometry, GEO.Geometry, GEO.asWKT, GEO.wktLiteral, XSD.date
UNIT_TYPE_SCHEME = ox.NamedNode(concept("unit-type", "x").value.rsplit("/", 1)[0])


_loose = lru_cache(maxsize=None)(loose_key)  # names repeat: 10,000 communes, 4,000 names


def unit_type_iri(type_word: str) -> ox.NamedNode:
    return concept("unit-type", slugify(type_word))


def _unit_quads(u: Unit, successors: list[tuple[str, bool]]) -> list[ox.Quad]:
    s = u.iri
    q = [ox.Quad(s, _TYPE, VNKG[u.cls], _G)]
    full = ox.Literal(u.full_name, language="vi")
    q += [ox.Quad(s, _LABEL, full, _G), ox.Quad(s, _PREF, full, _G)]
    if u.name_en:
        en = ox.Literal(u.name_en, language="en")
        q += [ox.Quad(s, _LABEL, en, _G), ox.Quad(s, _PREF, en, _G)]
    alts = [u.name, u.full_name[:1].upper() + u.full_name[1:], *u.alt_names]
    foreign = not u.key.startswith("vn-")
    seen = {u.full_name, u.name_en}
    for a in alts:
        if a in seen or (a == u.name and a.isdigit()):
            continue
        seen.add(a)
        lit = ox.Literal(a) if foreign and a.isascii() else ox.Literal(a, language="vi")
        q.append(ox.Quad(s, _ALT, lit, _G))
    hidden = []
    for a in [u.full_name, u.name, *u.alt_names]:
        h = _loose(a)
        if h and h not in hidden and not (h.isdigit()):
            hidden.append(h)
            q.append(ox.Quad(s, _HIDDEN, ox.Literal(h), _G))
    q.append(ox.Quad(s, _NOTATION, ox.Literal(u.code), _G))
    if u.parent:
        q.append(ox.Quad(s, _WITHIN, thing("place", u.parent), _G))
    q.append(ox.Quad(s, _UNITTYPE, unit_type_iri(u.type_word), _G))
    if u.valid_from:
        q.append(ox.Quad(s, _FROM, ox.Literal(u.valid_from, datatype=_DATE), _G))
    if u.valid_until:
        q.append(ox.Quad(s, _UNTIL, ox.Literal(u.valid_until, datatype=_DATE), _G))
    if u.lat is not None and u.lon is not None:
        geom = ox.NamedNode(f"{s.value}/geometry")
        q += [ox.Quad(s, _HASGEOM, geom, _G), ox.Quad(geom, _TYPE, _GEOMETRY, _G),
              ox.Quad(geom, _WKT, ox.Literal(f"POINT({u.lon!r} {u.lat!r})", datatype=_WKTLIT), _G)]
    for new, merged in successors:
        n = thing("place", new)
        q.append(ox.Quad(s, _REPLACED, n, _G))
        if merged:
            q.append(ox.Quad(s, _MERGED, n, _G))
    return q


def _unit_type_quads(used: Iterable[str]) -> list[ox.Quad]:
    q = []
    for tw in sorted(set(used)):
        c = unit_type_iri(tw)
        q += [ox.Quad(c, _TYPE, _CONCEPT, _G), ox.Quad(c, _INSCHEME, UNIT_TYPE_SCHEME, _G),
              ox.Quad(c, _PREF, ox.Literal(tw, language="vi"), _G),
              ox.Quad(c, _LABEL, ox.Literal(tw, language="vi"), _G),
              ox.Quad(c, _NOTATION, ox.Literal(slugify(tw)), _G)]
        if tw in TYPE_WORDS:
            q += [ox.Quad(c, _PREF, ox.Literal(TYPE_WORDS[tw], language="en"), _G),
                  ox.Quad(c, _LABEL, ox.Literal(TYPE_WORDS[tw], language="en"), _G)]
    return q


def gazetteer_quads(gazetteer: Gazetteer | None = None) -> Iterator[ox.Quad]:
    """The gazetteer graph: every unit, the unit-type concepts, and a description of the graph itself
    (owl:versionInfo = `version()`, void:triples = the graph's size)."""
    gaz = gazetteer or get_gazetteer()
    body = _unit_type_quads(u.type_word for u in gaz)
    for u in gaz:
        body += _unit_quads(u, gaz._successors.get(u.key, ()))
    yield from body
    void = PREFIXES["void"]
    yield ox.Quad(_G, DCTERMS.source, ox.Literal(f"vietnamadminunits {metadata.version('vietnamadminunits')}; "
                                                  f"seeds/gazetteer/{{{','.join(_TSV_FILES)}}}"), _G)
    yield ox.Quad(_G, ox.NamedNode(void + "triples"), ox.Literal(str(len(body) + 3), datatype=XSD.integer), _G)
    yield ox.Quad(_G, OWL.versionInfo, ox.Literal(version()), _G)  # last: load_gazetteer relies on it


def stored_version(store: ox.Store) -> str:
    for q in store.quads_for_pattern(_G, OWL.versionInfo, None, _G):
        return q.object.value
    return ""


def load_gazetteer(store: ox.Store, *, force: bool = False) -> int:
    """Put the gazetteer into its named graph, replacing what was there; a no-op when the store already
    holds this version. Returns the number of triples in the graph."""
    if not force and stored_version(store) == version():
        for q in store.quads_for_pattern(_G, ox.NamedNode(PREFIXES["void"] + "triples"), None, _G):
            return int(q.object.value)
    quads = list(gazetteer_quads())
    new = set(quads)
    # Write only the difference: removing quads one by one is several times faster in Oxigraph than
    # dropping a graph of 200k triples, and a new version usually changes few of them. The old version
    # triple goes first and the new one comes last, so an interrupted load is redone by the next build.
    old = set(store.quads_for_pattern(None, None, None, _G)) if store.contains_named_graph(_G) else set()
    for q in list(store.quads_for_pattern(_G, OWL.versionInfo, None, _G)):
        store.remove(q)
        old.discard(q)
    for q in old - new:
        store.remove(q)
    added = [q for q in quads if q not in old]
    *body, last = added or [None]
    if len(body) > 10_000:
        store.bulk_extend(body)  # not one transaction, but several times faster for a first load
    elif body:
        store.extend(body)
    if last is not None:
        store.add(last)
    return len(new)

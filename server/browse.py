"""Blueprint: browse — the pages a person reads without writing SPARQL.

/               counts per class, latest articles and meetings, a search box
/search?q=      names found the way a Vietnamese reader expects, grouped by class, with context
/api/search?q=  the same as JSON (autocomplete)
/timeline       meetings and events, filtered by organisation, place and period
/ontology       every class and property: labels, definition, super-terms, uses
/sparql-ui      YASGUI with the project's prefixes and example queries, pointing at /sparql

Every page has a machine twin: `?format=json` (or Turtle for the ontology) or by Accept.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, request

from kg.config import CORE
from kg.store import select
from kg.vocab import PREFIXES

from . import describe as d
from . import pages
from .pages import Term, href, labels, page, t
from .search import cached, get_index, warm
from .state import state

bp = Blueprint("browse", __name__)
bp.after_request(pages.secure)
bp.app_context_processor(pages.template_globals)

VNKG = PREFIXES["vnkg"]
SCHEMA = PREFIXES["schema"]
HOME_CLASSES = [VNKG + c for c in ("Article", "Organization", "Agency", "AdministrativeUnit", "Country", "Province", "District", "Commune", "Person", "Meeting", "Program", "Figure")]
SUB_UNITS = {VNKG + c for c in ("Agency", "Country", "Province", "District", "Commune")}  # shown indented
ORG_CLASSES = {VNKG + "Agency", VNKG + "Organization", PREFIXES["org"] + "Organization", VNKG + "Person"}
PLACE_CLASSES = {VNKG + c for c in ("Country", "Province", "District", "Commune", "AdministrativeUnit")}
PER_PAGE = 50
_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _twins(json_url: str | None = None, extra: list | None = None) -> list:
    twins = [("JSON", json_url or pages.url_with(format="json", lang=None), "application/json")]
    return twins + (extra or [])


def _str(term) -> str | None:
    return term.value if term is not None else None


# ------------------------------------------------------------------ home


def class_counts(store: ox.Store) -> dict[str, int]:
    """Instances of each class, those of its sub-classes included (an agency is an organisation, a
    commune an administrative unit). Counted per stated type, then added up along rdfs:subClassOf in
    Python: the same count with `?t rdfs:subClassOf* ?c` in SPARQL takes 1.5 s on the dev corpus."""
    supers: dict[str, set[str]] = {}
    for r in select(store, "SELECT DISTINCT ?t ?c WHERE { ?t rdfs:subClassOf ?c FILTER(isIRI(?t) && isIRI(?c)) }"):
        supers.setdefault(r["t"].value, set()).add(r["c"].value)
    per_type = {r["t"].value: int(r["n"].value) for r in select(store, "SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t FILTER(isIRI(?t)) } GROUP BY ?t")}
    members: dict[str, set[str]] = {}  # class -> the stated types that fall under it
    for ty in per_type:
        seen, todo = {ty}, [ty]
        while todo:
            for c in supers.get(todo.pop(), ()):
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
        for c in seen:
            members.setdefault(c, set()).add(ty)
    out = {}
    for c, ts in members.items():
        if len(ts) == 1:
            out[c] = per_type[next(iter(ts))]
        else:  # a thing may have several of these types: count it once
            values = " ".join(f"<{x}>" for x in sorted(ts) if d.iri_ok(x))
            out[c] = int(select(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?t {{ {values} }} ?s a ?t }}")[0]["n"].value)
    return out


def _counts(store: ox.Store) -> dict[str, int]:
    found = class_counts(store)
    return {c: found.get(c, 0) for c in HOME_CLASSES}


def latest_articles(store: ox.Store, limit: int = 10) -> list[dict]:
    rows = select(
        store,
        f"""SELECT ?a (SAMPLE(?h) AS ?headline) (MAX(STR(?d)) AS ?date) WHERE {{
          ?a a vnkg:Article . OPTIONAL {{ ?a schema:headline ?h }} OPTIONAL {{ ?a schema:datePublished ?d }}
        }} GROUP BY ?a ORDER BY DESC(?date) ?a LIMIT {limit}""",
    )
    return [{"iri": r["a"].value, "headline": _str(r.get("headline")), "date": _str(r.get("date"))} for r in rows]


def latest_meetings(store: ox.Store, limit: int = 10) -> list[dict]:
    rows = select(
        store,
        f"""SELECT ?m (MAX(STR(?d)) AS ?date) (SAMPLE(?l) AS ?place) WHERE {{
          ?m a vnkg:Meeting . OPTIONAL {{ ?m schema:startDate|vnkg:startMonthDay ?d }} OPTIONAL {{ ?m schema:location ?l }}
        }} GROUP BY ?m ORDER BY DESC(?date) ?m LIMIT {limit}""",
    )
    return [{"iri": r["m"].value, "date": _str(r.get("date")), "place": _str(r.get("place"))} for r in rows]


@bp.route("/")
def home():
    store, version = state().store, state().version
    warm(store, version)  # the search box on this page will want the label index
    counts = cached(store, "home-counts", _counts, version)
    articles = latest_articles(store)
    meetings = latest_meetings(store)
    names = labels(set(counts) | {m["iri"] for m in meetings} | {m["place"] for m in meetings if m["place"]} | {a["iri"] for a in articles})
    if pages.wants_json():
        return pages.json_response(
            {
                "counts": [{"class": c, "label": names.get(c) or pages.curie(c), "count": n} for c, n in counts.items()],
                "latest_articles": [dict(a, href=href(a["iri"])) for a in articles],
                "latest_meetings": [dict(m, label=names.get(m["iri"]), href=href(m["iri"])) for m in meetings],
            }
        )
    rows = [
        {"iri": c, "label": names.get(c) or pages.fallback_label(c), "count": n, "sub": c in SUB_UNITS, "href": href(c), "style": d.style_of(c)}
        for c, n in counts.items()
    ]
    for a in articles:
        a["term"] = Term(ox.NamedNode(a["iri"]), a["headline"] or names.get(a["iri"]))
    for m in meetings:
        m["term"] = Term(ox.NamedNode(m["iri"]), names.get(m["iri"]))
        m["place_term"] = Term(ox.NamedNode(m["place"]), names.get(m["place"])) if m["place"] else None
    return page("home.html", twins=_twins(), title="vnkg", counts=rows, articles=articles, meetings=meetings)


# ------------------------------------------------------------------ search


def _context(store: ox.Store, iris: list[str]) -> dict[str, dict]:
    """What tells apart things of the same name: the province of a commune, the jurisdiction of an agency …"""
    iris = [i for i in iris if d.iri_ok(i)]
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = select(
        store,
        f"""SELECT ?x ?rel ?v WHERE {{ VALUES ?x {{ {values} }}
          {{ ?x schema:containedInPlace ?v BIND("in" AS ?rel) }}
          UNION {{ ?x schema:containedInPlace/schema:containedInPlace ?v BIND("in2" AS ?rel) }}
          UNION {{ ?x vnkg:jurisdiction ?v BIND("jur" AS ?rel) }}
          UNION {{ ?x vnkg:jurisdiction/schema:containedInPlace ?v BIND("jur2" AS ?rel) }}
          UNION {{ ?x org:memberOf ?v BIND("member" AS ?rel) }}
          UNION {{ ?x schema:startDate|vnkg:startMonthDay ?v BIND("date" AS ?rel) }}
          UNION {{ ?x schema:datePublished ?v BIND("date" AS ?rel) }}
          UNION {{ ?x schema:location ?v BIND("loc" AS ?rel) }}
          UNION {{ ?x skos:inScheme ?v BIND("scheme" AS ?rel) }}
          UNION {{ ?x skos:notation ?v BIND("code" AS ?rel) }}
        }}""",
    )
    out: dict[str, dict] = {i: {} for i in iris}
    for r in rows:
        out[r["x"].value].setdefault(r["rel"].value, []).append(r["v"])
    return out


def _context_terms(ctx: dict, names: dict) -> list:
    order = ("code", "date", "jur", "jur2", "in", "in2", "member", "loc", "scheme")
    out, seen = [], set()
    for rel in order:
        for v in ctx.get(rel, []):
            key = v.value
            if key in seen:
                continue
            seen.add(key)
            out.append(Term(v, names.get(v.value)) if isinstance(v, ox.NamedNode) else Term(v))
    return out


def run_search(q: str, limit: int = 50, classes: set[str] | None = None) -> list[dict]:
    store = state().store
    hits = get_index(store, state().version).search(q, limit=limit, classes=classes)
    ctx = _context(store, [h.iri for h in hits])
    linked = {v.value for c in ctx.values() for vs in c.values() for v in vs if isinstance(v, ox.NamedNode)}
    kinds = {h.iri: d.kind_of(h.types) for h in hits}
    names = labels({h.iri for h in hits} | linked | set(kinds.values()))
    out = []
    for h in hits:
        kind = kinds[h.iri]
        name = names.get(h.iri) or pages.fallback_label(h.iri)
        out.append(
            {
                "iri": h.iri,
                "label": name,
                # the alias that matched, when it is not the name shown (hidden unaccented forms are not worth showing)
                "matched": h.matched if h.matched != name and h.rank < 3 else None,
                "kind": kind,
                "kind_label": names.get(kind) or (pages.fallback_label(kind) if kind else ""),
                "style": d.style_of(kind),
                "href": href(h.iri),
                "score": round(h.score, 2),
                "context": _context_terms(ctx.get(h.iri, {}), names),
            }
        )
    return out


def _plain(result: dict) -> dict:
    out = {k: v for k, v in result.items() if k != "context"}
    out["context"] = " · ".join(c.label for c in result["context"])
    return out


@bp.route("/search")
def search():
    q = request.args.get("q", "").strip()[:200]
    results = run_search(q) if q else []
    if pages.wants_json():
        return pages.json_response({"query": q, "results": [_plain(r) for r in results]})
    groups: list[dict] = []
    for r in results:  # groups ordered by their best hit
        group = next((g for g in groups if g["kind"] == r["kind"]), None)
        if group is None:
            group = {"kind": r["kind"], "label": r["kind_label"] or "—", "style": r["style"], "items": []}
            groups.append(group)
        group["items"].append(r)
    return page("search.html", twins=_twins(), title=f"{t('search')}: {q}" if q else t("search"), q=q, groups=groups, total=len(results))


@bp.route("/api/search")
def api_search():
    q = request.args.get("q", "").strip()[:200]
    limit = min(pages.int_arg("limit", 10), 100)
    classes = set(request.args.getlist("class")) or None
    results = run_search(q, limit, classes) if q else []
    response = pages.json_response({"query": q, "results": [_plain(r) for r in results]})
    return response


# ------------------------------------------------------------------ timeline


def _resolve(values: list[str], classes: set[str]) -> list[str]:
    """IRIs given as such, or names looked up in the label index."""
    out = []
    for v in values:
        v = v.strip()
        if not v:
            continue
        if v.startswith(("http://", "https://")):
            if d.iri_ok(v):
                out.append(v)
        else:
            hits = get_index(state().store, state().version).search(v, limit=10, classes=classes)
            exact = [h for h in hits if h.score >= 100]  # the whole name typed: that one only
            out += [h.iri for h in (exact or hits)]
    return out


def timeline_query(orgs: list[str], places: list[str], start: str, end: str, limit: int, offset: int) -> tuple[list[dict], int]:
    where = ["?e schema:startDate|vnkg:startMonthDay ?date ."]
    if orgs:
        where.append(f"VALUES ?org {{ {' '.join(f'<{o}>' for o in orgs)} }} ?e schema:organizer|schema:attendee ?org .")
    if places:
        vals = " ".join(f"<{p}>" for p in places)
        where.append(
            f"""VALUES ?place {{ {vals} }}
            {{ ?e schema:location/schema:containedInPlace* ?place }} UNION
            {{ ?e (schema:organizer|schema:attendee)/vnkg:jurisdiction/schema:containedInPlace* ?place }}"""
        )
    if start:
        where.append(f'FILTER(STR(?date) >= "{start}")')
    if end:
        where.append(f'FILTER(STR(?date) <= "{end}\uffff")')
    body = "\n".join(where)
    store = state().store
    total = int(select(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {body} }}")[0]["n"].value)
    rows = select(store, f"SELECT DISTINCT ?e (STR(?date) AS ?d) WHERE {{ {body} }} ORDER BY DESC(?d) ?e LIMIT {limit} OFFSET {offset}")
    return [{"iri": r["e"].value, "date": r["d"].value} for r in rows], total


@bp.route("/timeline")
def timeline():
    store = state().store
    org_in = request.args.getlist("org")
    place_in = request.args.getlist("place")
    start = request.args.get("from", "").strip()
    end = request.args.get("to", "").strip()
    errors = [f"{name}: expected YYYY, YYYY-MM or YYYY-MM-DD" for name, v in (("from", start), ("to", end)) if v and not _PERIOD.match(v)]
    if errors:
        start, end = ("" if not _PERIOD.match(start) else start), ("" if not _PERIOD.match(end) else end)
    orgs = _resolve(org_in, ORG_CLASSES)
    places = _resolve(place_in, PLACE_CLASSES)
    unmatched = (any(v.strip() for v in org_in) and not orgs) or (any(v.strip() for v in place_in) and not places)
    page_no = pages.int_arg("page")
    if unmatched:
        items, total = [], 0
    else:
        items, total = timeline_query(orgs, places, start, end, PER_PAGE, (page_no - 1) * PER_PAGE)
    details = d.event_details(store, [i["iri"] for i in items])
    linked = {o.value for det in details.values() for k in ("organizer", "attendee", "location", "eventType") for o in det[k] if isinstance(o, ox.NamedNode)}
    names = labels({i["iri"] for i in items} | linked | set(orgs) | set(places))
    for i in items:
        det = details.get(i["iri"], {})
        i["label"] = names.get(i["iri"]) or pages.fallback_label(i["iri"])
        for k in ("organizer", "attendee", "location", "eventType"):
            i[k] = [Term(o, names.get(o.value)) for o in det.get(k, [])]
        i["sources"] = det.get("sources", [])
    if pages.wants_json():
        return pages.json_response(
            {
                "filters": {"org": orgs, "place": places, "from": start, "to": end},
                "errors": errors,
                "total": total,
                "page": page_no,
                "events": [
                    {
                        "iri": i["iri"], "href": href(i["iri"]), "label": i["label"], "date": i["date"],
                        "organizer": [x.iri for x in i["organizer"]], "attendee": [x.iri for x in i["attendee"]],
                        "location": [x.iri for x in i["location"]],
                        "sources": [{"sentence": s.sentence, "text": s.text, "article": s.article} for s in i["sources"]],
                    }
                    for i in items
                ],
            }
        )
    months: list[dict] = []
    for i in items:
        key = i["date"][:7] if i["date"][:4].isdigit() else i["date"][:4]
        if not months or months[-1]["key"] != key:
            months.append({"key": key, "items": []})
        months[-1]["items"].append(i)
    return page(
        "timeline.html",
        twins=_twins(),
        title=t("timeline"),
        months=months,
        total=total,
        tpager=pages.pager(total, page_no, PER_PAGE),
        org_in=org_in[0] if org_in else "",
        place_in=place_in[0] if place_in else "",
        start=start,
        end=end,
        errors=errors,
        chosen_orgs=[Term(ox.NamedNode(o), names.get(o)) for o in orgs],
        chosen_places=[Term(ox.NamedNode(p), names.get(p)) for p in places],
    )


# ------------------------------------------------------------------ ontology


def _ontology_data(store: ox.Store) -> dict:
    """Terms of the vnkg ontology and the vocabularies it uses, with counts of uses (cached)."""
    rows = select(
        store,
        """SELECT ?x ?k WHERE {
          VALUES ?k { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
          ?x a ?k FILTER(isIRI(?x)) }""",
    )
    kinds: dict[str, str] = {}
    for r in rows:
        k = r["k"].value
        kinds.setdefault(r["x"].value, "class" if k.endswith("Class") else "property")
    info = {x: {"iri": x, "kind": k, "labels": {}, "definitions": {}, "super": []} for x, k in kinds.items()}
    if info:
        values = " ".join(f"<{x}>" for x in info)
        for r in select(
            store,
            f"""SELECT ?x ?p ?o WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?o
              FILTER(?p IN (rdfs:label, skos:definition, rdfs:comment, rdfs:subClassOf, rdfs:subPropertyOf)) }}""",
        ):
            x, p, o = r["x"].value, r["p"].value, r["o"]
            entry = info[x]
            if p.endswith("label") and isinstance(o, ox.Literal):
                entry["labels"].setdefault(o.language or "", o.value)
            elif isinstance(o, ox.Literal):
                if p.endswith("definition") or (o.language or "") not in entry["definitions"]:
                    entry["definitions"][o.language or ""] = o.value
            elif isinstance(o, ox.NamedNode) and o.value not in entry["super"]:
                entry["super"].append(o.value)
    uses: dict[str, int] = {}
    # a class is used by its instances and by those of its sub-classes (a commune is an administrative unit)
    uses.update(class_counts(store))
    for r in select(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"):
        uses.setdefault(r["p"].value, int(r["n"].value))
    for x, entry in info.items():
        entry["uses"] = uses.get(x, 0)
    schemes = select(
        store,
        """SELECT ?s (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a skos:ConceptScheme OPTIONAL { ?c skos:inScheme ?s } } GROUP BY ?s ORDER BY ?s""",
    )
    return {"terms": info, "schemes": [(r["s"].value, int(r["n"].value)) for r in schemes]}


@bp.route("/ontology")
def ontology():
    store = state().store
    fmt = request.args.get("format") or {"text/turtle": "ttl", "application/json": "json"}.get(
        request.accept_mimetypes.best_match(["text/html", "application/json", "text/turtle"]) or "", "html"
    )
    if fmt in ("ttl", "turtle"):
        graph = ox.NamedNode(state().settings.base + "graph/ontology")
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
        body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        response = Response(body, mimetype="text/turtle")
        response.charset = "utf-8"
        response.vary.add("Accept")
        return response
    data = cached(store, "ontology", _ontology_data, state().version)
    lang = pages.current_lang()

    def pick(values: dict) -> str:
        return values.get(lang) or values.get("") or next(iter(values.values()), "")

    entries = sorted(data["terms"].values(), key=lambda e: (not e["iri"].startswith(CORE), e["iri"]))
    if fmt == "json":
        return pages.json_response({"terms": entries, "schemes": [{"iri": s, "concepts": n} for s, n in data["schemes"]]})
    supers = labels({s for e in entries for s in e["super"]} | {s for s, _ in data["schemes"]})
    rows = []
    for e in entries:
        rows.append(
            {
                "iri": e["iri"],
                "curie": pages.curie(e["iri"]),
                "kind": e["kind"],
                "href": href(e["iri"]),
                "anchor": e["iri"].rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                "label_vi": e["labels"].get("vi", ""),
                "label_en": e["labels"].get("en", "") or e["labels"].get("", ""),
                "definition": pick(e["definitions"]),
                "super": [Term(ox.NamedNode(s), pages.curie(s)) for s in e["super"]],
                "uses": e["uses"],
            }
        )
    schemes = [{"term": Term(ox.NamedNode(s), supers.get(s)), "count": n} for s, n in data["schemes"]]
    twins = _twins(extra=[("Turtle", pages.url_with(format="ttl", lang=None), "text/turtle")])
    return page(
        "ontology.html",
        twins=twins,
        title=t("ontology"),
        classes=[r for r in rows if r["kind"] == "class"],
        properties=[r for r in rows if r["kind"] == "property"],
        schemes=schemes,
    )


# ------------------------------------------------------------------ SPARQL UI

EXAMPLES = [
    {
        "name": {"vi": "Tỉnh Xiêng Khoảng đã gặp những cơ quan nào?", "en": "Which agencies did tỉnh Xiêng Khoảng meet?"},
        "query": """SELECT DISTINCT ?meeting ?date ?agency ?agencyLabel WHERE {
  ?province skos:notation "LA-XI" .
  ?guest vnkg:jurisdiction/schema:containedInPlace* ?province .
  ?meeting a vnkg:Meeting ; schema:startDate ?date ;
           schema:organizer|schema:attendee ?guest , ?agency .
  ?agency a vnkg:Agency ; rdfs:label ?agencyLabel .
  FILTER(?agency != ?guest)
}
ORDER BY ?date""",
    },
    {
        "name": {"vi": "Số cuộc gặp theo tỉnh và tháng", "en": "Meetings per province per month"},
        "query": """SELECT ?province ?provinceLabel ?month (COUNT(DISTINCT ?meeting) AS ?meetings) WHERE {
  ?meeting a vnkg:Meeting ; schema:startDate ?date ; schema:location ?place .
  ?place schema:containedInPlace* ?province .
  ?province a vnkg:Province ; rdfs:label ?provinceLabel .
  BIND(SUBSTR(STR(?date), 1, 7) AS ?month)
}
GROUP BY ?province ?provinceLabel ?month
ORDER BY ?month ?provinceLabel""",
    },
    {
        "name": {"vi": "Ai giữ chức vụ gì, ở đâu?", "en": "Who holds which post, where?"},
        "query": """SELECT ?personLabel ?roleLabel ?orgLabel ?reported WHERE {
  ?m a org:Membership ; org:member ?person ; org:organization ?org ; org:role ?role .
  ?person rdfs:label ?personLabel . ?org rdfs:label ?orgLabel .
  ?role skos:prefLabel ?roleLabel FILTER(lang(?roleLabel) = "vi")
  OPTIONAL { ?m vnkg:reportedOn ?reported }
}
ORDER BY ?orgLabel""",
    },
    {
        "name": {"vi": "Mỗi cuộc gặp lấy từ câu nào?", "en": "Which sentence reports each meeting?"},
        "query": """SELECT ?meeting ?date ?sentence ?article WHERE {
  ?meeting a vnkg:Meeting ; schema:startDate ?date ; vnkg:sourceSpan ?span .
  ?span nif:anchorOf ?sentence ; nif:referenceContext ?ctx .
  ?article vnkg:context ?ctx .
}
ORDER BY DESC(?date)
LIMIT 100""",
    },
    {
        "name": {"vi": "Các số liệu theo địa bàn", "en": "Figures reported per place"},
        "query": """SELECT ?placeLabel ?value ?unit ?measure ?period WHERE {
  ?f a vnkg:Figure ; vnkg:value ?value ; vnkg:measure ?measure .
  OPTIONAL { ?f vnkg:unit ?unit } OPTIONAL { ?f vnkg:refPeriod ?period }
  OPTIONAL { ?f vnkg:refArea/rdfs:label ?placeLabel }
}
ORDER BY ?placeLabel DESC(?value)""",
    },
    {
        "name": {"vi": "Số cơ quan theo tỉnh", "en": "Agencies per province"},
        "query": """SELECT ?provinceLabel (COUNT(DISTINCT ?agency) AS ?agencies) WHERE {
  ?agency a vnkg:Agency ; vnkg:jurisdiction/schema:containedInPlace* ?province .
  ?province a vnkg:Province ; rdfs:label ?provinceLabel .
}
GROUP BY ?provinceLabel
ORDER BY DESC(?agencies)""",
    },
]


def examples(lang: str) -> list[dict]:
    return [{"name": e["name"].get(lang) or e["name"]["en"], "query": e["query"]} for e in EXAMPLES]


# YASR's table plugin (its column resizer) inserts one fixed <style> element; the page allows exactly
# that one by its hash rather than any inline style. Pinned with @zazuko/yasgui in package-lock.json;
# tests/test_browser.py fails on any CSP refusal if an upgrade changes it.
YASR_STYLE_HASH = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"


@bp.route("/api/prefixes")
def api_prefixes():
    """The project's prefixes as {prefix: namespace}: YASQE completes and declares them from here."""
    return pages.json_response(PREFIXES)


@bp.route("/sparql-ui")
def sparql_ui():
    lang = pages.current_lang()
    data = {"endpoint": "/sparql", "prefixes": PREFIXES, "prefixes_api": "/api/prefixes", "examples": examples(lang)}
    if pages.wants_json():
        return pages.json_response(data)
    ready = pages.vendor_ready("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")
    csp = pages.CSP.replace("style-src 'self'", f"style-src 'self' {YASR_STYLE_HASH}")
    return page("sparql_ui.html", twins=_twins(), title="SPARQL", config=data, ready=ready, csp=csp)

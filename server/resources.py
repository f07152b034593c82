"""Blueprint: resources — a page per resource and its machine twins.

/id/<rest>          the thing {settings.base}<rest>: HTML for people; Turtle, JSON-LD, N-Triples or
                    RDF/XML by Accept or by a .ttl / .jsonld / .nt / .rdf suffix
/def/<rest>         terms of the ontology and concepts of the SKOS lists, the same way
/resource?iri=      any other IRI the graph knows (hash IRIs, terms of reused vocabularies)
/api/neighbours     a node's neighbours as JSON, for the graph view

A twin is the resource's description the way DBpedia gives it: its triples from every graph, the
hash IRIs of its document (an article's sentences and phrases), and the links pointing at it — paged
by `?page=` with a `Link: rel="next"` header when there are more, never cut silently.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, request, url_for
from markupsafe import Markup, escape
from werkzeug.exceptions import NotAcceptable

from kg.config import CORE, DEF
from kg.store import graph_size
from kg.vocab import PREFIXES

from . import describe as d
from . import pages
from .pages import Term, curie, href, labels, page, t, terms
from .search import get_index
from .state import state

bp = Blueprint("resources", __name__)
bp.after_request(pages.secure)
bp.app_context_processor(pages.template_globals)

# suffix -> (media type, pyoxigraph format)
FORMATS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
# media types offered, in order of preference when the client does not mind
OFFERS = [
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
]
TWIN_LABELS = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}

LABEL_PROPS = {PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel", PREFIXES["skos"] + "hiddenLabel", PREFIXES["schema"] + "name"}
HIDDEN = PREFIXES["skos"] + "hiddenLabel"  # unaccented forms: for search, not for reading
RDF_TYPE = PREFIXES["rdf"] + "type"
SOURCE_SPAN = CORE + "sourceSpan"
GEOMETRY = PREFIXES["geo"] + "hasGeometry"  # a unit's shape: data, not a neighbour to explore
FACTS_PER_PAGE = 200
LINKS_PER_PAGE = 50
SOURCES_PER_PAGE = 20


# ------------------------------------------------------------------ routes


@bp.route("/id/")
def id_root():
    return redirect(url_for("browse.home"))


@bp.route("/id/<path:rest>")
def thing(rest: str):
    return _serve(state().settings.base, rest)


@bp.route("/def/<path:rest>")
def term(rest: str):
    if rest.split(".")[0] == "core":
        return _ontology_document(rest)
    return _serve(DEF, rest)


@bp.route("/resource")
def any_resource():
    iri = request.args.get("iri", "").strip()
    if not d.iri_ok(iri):
        return _not_found(iri or "", status=400)
    node = ox.NamedNode(iri)
    if not d.exists(state().store, node):
        return _not_found(iri)
    fmt = _negotiate(request.args.get("format"))
    if fmt is None:
        abort(406, "Acceptable: " + ", ".join(mt for mt, _ in OFFERS))
    return _respond(node, fmt, twin_url=lambda f: "/resource?" + urlencode({"iri": iri, "format": f}))


@bp.route("/api/neighbours")
def neighbours():
    """{nodes, edges, more} around one IRI: the links in both directions (not literals)."""
    iri = request.args.get("iri", "")
    if not d.iri_ok(iri):
        return pages.json_response({"error": "parameter iri: not an IRI"}, 400)
    limit = min(pages.int_arg("limit", 40), 200)
    store = state().store
    node = ox.NamedNode(iri)
    if not d.exists(store, node):
        return pages.json_response({"error": f"unknown resource {iri}"}, 404)
    skip = {RDF_TYPE, SOURCE_SPAN, GEOMETRY} | d.PROVENANCE_IN
    edges = []
    out = [tr for tr in d.outgoing(store, node) if isinstance(tr.object, ox.NamedNode) and tr.predicate.value not in skip]
    for tr in out[:limit]:
        edges.append((iri, tr.predicate.value, tr.object.value))
    counts = d.incoming_counts(store, node)
    total_in = sum(n for p, n in counts.items() if p not in skip and p != RDF_TYPE)
    for p, s in d.incoming(store, node, limit, 0, skip=skip | {RDF_TYPE}, counts=counts):
        if isinstance(s, ox.NamedNode):
            edges.append((s.value, p.value, iri))
    ids = {iri} | {e[0] for e in edges} | {e[2] for e in edges}
    names = labels(ids)
    kinds = d.types_of(store, ids)
    plabels = pages.property_labels({e[1] for e in edges})
    nodes = []
    for i in sorted(ids):
        kind = d.kind_of(kinds.get(i, []))
        nodes.append({"id": i, "label": names.get(i) or pages.fallback_label(i), "href": href(i), "kind": kind, "style": d.style_of(kind)})
    return pages.json_response(
        {
            "center": iri,
            "nodes": nodes,
            "edges": [{"source": s, "target": o, "property": p, "label": plabels[p]} for s, p, o in edges],
            "more": max(len(out) - limit, 0) + max(total_in - limit, 0),
        }
    )


# ------------------------------------------------------------------ negotiation


def _negotiate(explicit: str | None) -> str | None:
    if explicit:
        return explicit if explicit in FORMATS or explicit == "html" else None
    if not request.accept_mimetypes:
        return "html"  # no Accept header: a person's page, as DBpedia does
    best = request.accept_mimetypes.best_match([mt for mt, _ in OFFERS])
    return dict(OFFERS).get(best) if best else None


def _serve(base: str, rest: str):
    store = state().store
    iri = base + rest
    fmt = None
    if d.iri_ok(iri) and d.exists(store, ox.NamedNode(iri)):
        fmt = _negotiate(request.args.get("format"))
        if fmt is None:
            abort(406, "Acceptable: " + ", ".join(mt for mt, _ in OFFERS))
    else:
        stem, dot, suffix = rest.rpartition(".")
        if dot and (suffix in FORMATS or suffix == "html") and d.iri_ok(base + stem) and d.exists(store, ox.NamedNode(base + stem)):
            iri, fmt = base + stem, suffix
    if fmt is None:
        return _not_found(iri)
    doc = href(iri)
    return _respond(ox.NamedNode(iri), fmt, twin_url=lambda f: f"{doc}.{f}")


def _respond(node: ox.NamedNode, fmt: str, twin_url):
    twins = [(TWIN_LABELS[f], twin_url(f), FORMATS[f][0]) for f in ("ttl", "jsonld", "nt")]
    if fmt == "html":
        return _html(node, twins)
    return _twin(node, fmt)


def _twin(node: ox.NamedNode, fmt: str, triples: list[ox.Triple] | None = None, note: str = "") -> Response:
    settings = state().settings
    page_no = pages.int_arg("page")
    next_url = None
    if triples is None:
        desc = d.description(state().store, node, settings.max_rows, page_no)
        triples = desc.triples
        if desc.truncated:
            next_url = pages.url_with(page=page_no + 1)
            note = (
                f"incoming links {desc.offset + 1}-{desc.offset + desc.incoming_shown} of {desc.incoming_total}; "
                f"next page: {next_url}"
            )
    media_type, rdf_format = FORMATS[fmt]
    try:
        body = ox.serialize(triples, format=rdf_format, prefixes=_prefixes(triples) if fmt in ("ttl", "jsonld", "rdf") else None)
    except (ValueError, OSError) as exc:  # what the format cannot say (JSON-LD: RDF 1.2 triple terms)
        others = ", ".join(f".{f}" for f in FORMATS if f != fmt)
        raise NotAcceptable(f"this description cannot be given as {media_type}: {exc}; ask for {others}") from None
    if note and fmt in ("ttl", "nt"):
        body = f"# {note}\n".encode() + body
    response = Response(body, mimetype=media_type)
    if media_type.startswith("text/") or fmt == "nt":
        response.charset = "utf-8"
    response.vary.add("Accept")
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def _prefixes(triples) -> dict[str, str]:
    used = set()
    for tr in triples:
        for x in (tr.subject, tr.predicate, tr.object):
            if isinstance(x, ox.NamedNode):
                used.add(x.value)
            elif isinstance(x, ox.Literal):
                used.add(x.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)}


def _ontology_document(rest: str):
    """/def/core is the ontology's document: its page is /ontology, its twins the ontology graph."""
    fmt = rest.split(".", 1)[1] if "." in rest else _negotiate(request.args.get("format"))
    if fmt == "html" or fmt is None and "." not in rest:
        return redirect(url_for("browse.ontology"))
    if fmt not in FORMATS:
        return _not_found(DEF + rest)
    graph = ox.NamedNode(state().settings.base + "graph/ontology")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in state().store.quads_for_pattern(None, None, None, graph)]
    return _twin(ox.NamedNode(CORE), fmt, triples)


def _not_found(iri: str, status: int = 404) -> Response:
    # suggestions: things named like the IRI's last segment, or like one of its dotted parts
    tail = iri.rstrip("/").rsplit("/", 1)[-1].split("#")[0]
    hints = [tail] + tail.split(".")[::-1]
    found: list[str] = []
    index = get_index(state().store, state().version)
    for hint in hints:
        for hit in index.search(re.sub(r"[-_.]+", " ", hint), limit=8):
            if hit.iri not in found:
                found.append(hit.iri)
        if len(found) >= 8:
            break
    names = labels(found[:8])
    suggestions = [Term(ox.NamedNode(i), names.get(i)) for i in found[:8]]
    if request.accept_mimetypes and request.accept_mimetypes.best_match(["text/html", "application/json", "text/plain"]) != "text/html":
        return Response(f"{status} Not Found: the graph holds nothing about <{iri}>\n", status=status, mimetype="text/plain")
    return page("notfound.html", status=status, iri=iri, suggestions=suggestions, title=t("not_found"))


# ------------------------------------------------------------------ pages


def _html(node: ox.NamedNode, twins) -> Response:
    store = state().store
    type_iris = d.types(store, node)
    if d.ARTICLE in type_iris:
        return _article(node, type_iris, twins)
    if not type_iris and store.contains_named_graph(node) and next(iter(store.quads_for_pattern(node, None, None, None)), None) is None:
        return _named_graph(node, twins)
    return _resource(node, type_iris, twins)


def _resource(node: ox.NamedNode, type_iris: list[str], twins) -> Response:
    store = state().store
    lang = pages.current_lang()
    iri = node.value
    triples = d.outgoing(store, node)
    label_lits = [tr.object for tr in triples if tr.predicate.value in LABEL_PROPS - {HIDDEN} and isinstance(tr.object, ox.Literal)]
    name = labels([iri]).get(iri) or pages.fallback_label(iri)
    aliases = []
    for lit in sorted(label_lits, key=lambda x: (x.value, x.language or "")):
        if lit.value != name and lit.value not in [a.label for a in aliases]:
            aliases.append(Term(lit))
    facts_all = [tr for tr in triples if tr.predicate.value not in LABEL_PROPS | {RDF_TYPE, SOURCE_SPAN}]
    n_spans = sum(1 for tr in triples if tr.predicate.value == SOURCE_SPAN)

    # facts: outgoing, paged, grouped by property
    fpage = pages.pager(len(facts_all), pages.int_arg("opage"), FACTS_PER_PAGE, "opage")
    start = (fpage["page"] - 1) * FACTS_PER_PAGE if fpage else 0
    facts = facts_all[start : start + FACTS_PER_PAGE]
    provenance = d.fact_sources(store, node)
    prop_names = pages.property_labels({tr.predicate.value for tr in facts})
    values = terms([tr.object for tr in facts])
    fact_groups: list[dict] = []
    for tr, value in zip(facts, values):
        p = tr.predicate.value
        if not fact_groups or fact_groups[-1]["iri"] != p:
            fact_groups.append({"iri": p, "label": prop_names[p], "curie": curie(p), "values": []})
        fact_groups[-1]["values"].append({"term": value, "sources": provenance.get((iri, p, str(tr.object)), [])})

    # links in: counts for every property; the list paged (provenance links are shown as sources)
    counts = d.incoming_counts(store, node)
    in_props = pages.property_labels(set(counts))
    skip = d.PROVENANCE_IN & set(counts)
    link_total = sum(n for p, n in counts.items() if p not in skip)
    lpage = pages.pager(link_total, pages.int_arg("page"), LINKS_PER_PAGE, "page")
    offset = (lpage["page"] - 1) * LINKS_PER_PAGE if lpage else 0
    links = d.incoming(store, node, LINKS_PER_PAGE, offset, skip=skip, counts=counts) if link_total else []
    link_terms = terms([s for _, s in links])
    in_groups: list[dict] = []
    for (p, _), s in zip(links, link_terms):
        if not in_groups or in_groups[-1]["iri"] != p.value:
            in_groups.append({"iri": p.value, "label": in_props[p.value], "curie": curie(p.value), "values": []})
        in_groups[-1]["values"].append({"term": s, "sources": provenance.get((s.iri or "", p.value, str(node)), [])})
    count_rows = [
        {"iri": p, "label": in_props[p], "curie": curie(p), "count": n, "provenance": p in skip}
        for p, n in sorted(counts.items(), key=lambda kv: (kv[0] in skip, -kv[1], kv[0]))
    ]

    # sources and events
    all_sources = d.sources(store, node)
    spage = pages.pager(len(all_sources), pages.int_arg("spage"), SOURCES_PER_PAGE, "spage")
    sstart = (spage["page"] - 1) * SOURCES_PER_PAGE if spage else 0
    srcs = all_sources[sstart : sstart + SOURCES_PER_PAGE]
    marks_by_sentence = {s.sentence: s.marks for s in all_sources if s.marks}
    evs = d.events(store, node)
    details = d.event_details(store, [e["iri"] for e in evs])
    ev_names = labels({e["iri"] for e in evs} | {o.value for det in details.values() for k in ("organizer", "attendee", "location", "eventType") for o in det[k] if isinstance(o, ox.NamedNode)})
    events = []
    for e in evs:
        det = details.get(e["iri"], {})
        events.append(
            {
                "term": Term(ox.NamedNode(e["iri"]), ev_names.get(e["iri"])),
                "date": e["date"],
                "roles": [pages.property_labels([r])[r] for r in e["roles"]],
                "organizer": [Term(o, ev_names.get(o.value)) for o in det.get("organizer", [])],
                "attendee": [Term(o, ev_names.get(o.value)) for o in det.get("attendee", [])],
                "location": [Term(o, ev_names.get(o.value)) for o in det.get("location", [])],
                "type": [Term(o, ev_names.get(o.value)) for o in det.get("eventType", [])],
                "sources": [_with_marks(s, marks_by_sentence) for s in det.get("sources", [])],
            }
        )
    type_terms = terms([ox.NamedNode(x) for x in type_iris])
    kind = d.kind_of(type_iris)
    return page(
        "resource.html",
        twins=twins,
        title=name,
        iri=iri,
        name=name,
        aliases=aliases,
        types=type_terms,
        style=d.style_of(kind),
        fact_groups=fact_groups,
        fact_pager=fpage,
        n_spans=n_spans,
        count_rows=count_rows,
        in_groups=in_groups,
        link_pager=lpage,
        link_total=link_total,
        sources=srcs,
        source_pager=spage,
        source_total=len(all_sources),
        events=events,
        lang_code=lang,
        graph_ready=pages.vendor_ready("cytoscape/cytoscape.min.js"),
        article_title=lambda s: s.headline or (s.article or "").rsplit("/", 1)[-1],
    )


def _with_marks(source: d.Source, marks: dict) -> d.Source:
    """The sentence reporting an event, highlighting where it names the page's own thing."""
    if source.sentence in marks:
        source.marks = list(marks[source.sentence])
        source.whole = False
    return source


def _article(node: ox.NamedNode, type_iris: list[str], twins) -> Response:
    store = state().store
    iri = node.value
    meta = d.article_meta(store, node)
    found = d.article_text(store, node)
    text_html = Markup("")
    mention_entities: list[str] = []
    if found:
        ctx, text = found
        sentences, mentions = d.article_spans(store, ctx)
        mention_entities = [m.entity for m in mentions if m.entity] + [c for m in mentions for c in m.candidates]
        names = labels(mention_entities)
        kinds = d.types_of(store, mention_entities)
        sentence_ids = {(s.begin, s.end) for s in sentences}
        forest = d.nest(sentences + mentions, len(text))
        text_html = _render_text(text, forest, names, kinds, sentence_ids)
    headline = meta.get("headline", [None])[0]
    title = headline.value if headline is not None else pages.fallback_label(iri)
    mentioned = d.article_mentions(store, node)
    names = labels({x for x, _ in mentioned} | {c for _, c in mentioned if c})
    groups: dict[str, list] = {}
    by_thing: dict[str, list[str]] = {}
    for x, c in mentioned:
        by_thing.setdefault(x, []).append(c)
    for x, cs in by_thing.items():
        kind = d.kind_of([c for c in cs if c])
        groups.setdefault(kind, []).append(Term(ox.NamedNode(x), names.get(x)))
    order = {c: i for i, c in enumerate(d.KIND_ORDER)}
    group_list = [
        {"kind": k, "label": names.get(k) or (pages.fallback_label(k) if k else "—"), "style": d.style_of(k), "items": sorted(v, key=lambda x: x.label)}
        for k, v in sorted(groups.items(), key=lambda kv: (order.get(kv[0], 999), kv[0]))
    ]
    statements = d.article_statements(store, node)
    st_names = labels({r["s"].value for r in statements} | {r["o"].value for r in statements if isinstance(r["o"], ox.NamedNode)})
    st_props = pages.property_labels({r["p"].value for r in statements})
    relations = [
        {
            "s": Term(r["s"], st_names.get(r["s"].value)),
            "p": st_props[r["p"].value],
            "p_iri": r["p"].value,
            "o": Term(r["o"], st_names.get(r["o"].value) if isinstance(r["o"], ox.NamedNode) else None),
            "span": href(r["span"]),
        }
        for r in statements
    ]
    meta_terms = {k: terms(v) for k, v in meta.items() if k != "headline"}
    return page(
        "article.html",
        twins=twins,
        title=title,
        iri=iri,
        headline=title,
        meta=meta_terms,
        text_html=text_html,
        groups=group_list,
        relations=relations,
        types=terms([ox.NamedNode(x) for x in type_iris]),
    )


def _render_text(text: str, forest: list[d.Mention], names: dict, kinds: dict, sentence_ids: set) -> Markup:
    """The article text with sentences as anchors and mentions as nested, linked highlights."""

    def seg(a: int, b: int, link: str | None) -> str:
        piece = str(escape(text[a:b]))
        return f'<a href="{escape(link)}">{piece}</a>' if link and piece.strip() else piece

    def run(nodes, a: int, b: int, link: str | None) -> str:
        out, pos = [], a
        for n in nodes:
            if n.begin > pos:
                out.append(seg(pos, n.begin, link))
            out.append(node_html(n, link))
            pos = n.end
        if pos < b:
            out.append(seg(pos, b, link))
        return "".join(out)

    def node_html(n: d.Mention, link: str | None) -> str:
        anchor = f"char={n.begin},{n.end}"
        if n.kind == "sentence":
            return f'<span class="sent" id="{anchor}">{run(n.children, n.begin, n.end, link)}</span>'
        target = n.entity or (n.candidates[0] if len(n.candidates) == 1 else None)
        own = href(target) if target else link
        if n.entity:
            tip = names.get(n.entity) or pages.fallback_label(n.entity)
            cls = d.style_of(d.kind_of(kinds.get(n.entity, [])))
        else:
            tip = " | ".join(names.get(c) or pages.fallback_label(c) for c in n.candidates) or "?"
            cls = "k-other ambiguous"
        ident = "" if (n.begin, n.end) in sentence_ids else f' id="{anchor}"'
        data = f' data-iri="{escape(n.entity)}"' if n.entity else ""
        return f'<mark class="mention {cls}"{ident}{data} title="{escape(tip)}">{run(n.children, n.begin, n.end, own)}</mark>'

    return Markup(run(forest, 0, len(text), None))


def _named_graph(node: ox.NamedNode, twins) -> Response:
    store = state().store
    base = state().settings.base
    total = graph_size(store, node)
    size = 200
    gpage = pages.pager(total, pages.int_arg("page"), size, "page")
    offset = (gpage["page"] - 1) * size if gpage else 0
    rows = d.graph_triples(store, node, size, offset)
    article = None
    if node.value.startswith(base + "graph/"):
        cand = ox.NamedNode(base + "article/" + node.value[len(base + "graph/") :])
        if d.exists(store, cand):
            article = Term(cand, labels([cand.value]).get(cand.value))
    subj = terms([r.subject for r in rows])
    objs = terms([r.object for r in rows])
    props = pages.property_labels({r.predicate.value for r in rows})
    table = [{"s": s, "p": props[r.predicate.value], "p_iri": r.predicate.value, "o": o} for r, s, o in zip(rows, subj, objs)]
    return page("graph.html", twins=twins, title=pages.fallback_label(node.value), iri=node.value, total=total, rows=table, gpager=gpage, article=article)

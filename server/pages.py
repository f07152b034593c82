"""What every browsable page shares: language, labels, links to IRIs, security headers, twins.

Used by the `resources` and `browse` blueprints. Nothing here writes to the store.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from flask import Response, current_app, g, render_template, request, url_for
from markupsafe import Markup

from kg.config import CORE, DEF
from kg.vocab import PREFIXES

from .state import state

LANGS = ("vi", "en")
LANG_COOKIE = "vnkg_lang"

# Strict: only our own files; no inline script or style, no plugins, no framing, no third-party host.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LABEL_PROPS = (
    PREFIXES["rdfs"] + "label",
    PREFIXES["skos"] + "prefLabel",
    PREFIXES["schema"] + "name",
    PREFIXES["schema"] + "headline",
    PREFIXES["skos"] + "altLabel",
)

# Interface strings; labels of things come from the graph.
UI = {
    "home": ("Trang chủ", "Home"),
    "search": ("Tìm kiếm", "Search"),
    "sparql": ("SPARQL", "SPARQL"),
    "ontology": ("Ontology", "Ontology"),
    "timeline": ("Dòng thời gian", "Timeline"),
    "search_placeholder": ("Tìm cơ quan, địa danh, người… (có dấu hoặc không dấu)", "Find an agency, place, person… (with or without diacritics)"),
    "go": ("Tìm", "Search"),
    "counts": ("Số lượng theo lớp", "Counts per class"),
    "latest_articles": ("Bài báo mới nhất", "Latest articles"),
    "latest_meetings": ("Cuộc gặp mới nhất", "Latest meetings"),
    "machine_twin": ("Dữ liệu máy đọc", "Machine-readable"),
    "types": ("Lớp", "Types"),
    "also_known_as": ("Tên khác", "Also known as"),
    "facts": ("Thông tin", "Facts"),
    "links_in": ("Liên kết đến", "Links to this"),
    "links_out": ("Liên kết đi", "Links from this"),
    "sources": ("Câu nguồn", "Source sentences"),
    "source": ("nguồn", "source"),
    "events": ("Sự kiện", "Events"),
    "article": ("Bài báo", "Article"),
    "text": ("Nội dung", "Text"),
    "mentions": ("Thực thể được nhắc đến", "What it mentions"),
    "relations": ("Quan hệ trích xuất", "Extracted relations"),
    "property": ("Thuộc tính", "Property"),
    "value": ("Giá trị", "Value"),
    "count": ("Số lượng", "Count"),
    "page": ("Trang", "Page"),
    "previous": ("Trước", "Previous"),
    "next": ("Sau", "Next"),
    "showing": ("Hiển thị {a}–{b} trong {n}", "Showing {a}–{b} of {n}"),
    "not_found": ("Không tìm thấy", "Not found"),
    "not_found_text": ("Đồ thị không có gì về IRI này.", "The graph holds nothing about this IRI."),
    "maybe": ("Có phải bạn tìm:", "Did you mean:"),
    "no_results": ("Không có kết quả.", "No results."),
    "results_for": ("Kết quả cho", "Results for"),
    "neighbourhood": ("Đồ thị lân cận", "Neighbourhood graph"),
    "graph_help": ("Bấm vào một nút để mở rộng, bấm đúp để mở trang của nó.", "Click a node to expand it; double-click to open its page."),
    "date": ("Ngày", "Date"),
    "organizer": ("Tổ chức", "Organised by"),
    "attendee": ("Tham dự", "Attended by"),
    "location": ("Địa điểm", "Where"),
    "published": ("Ngày đăng", "Published"),
    "publisher": ("Cơ quan xuất bản", "Publisher"),
    "author": ("Tác giả", "Author"),
    "filter": ("Lọc", "Filter"),
    "organisation": ("Tổ chức", "Organisation"),
    "place": ("Địa bàn", "Place"),
    "from": ("Từ", "From"),
    "to": ("Đến", "To"),
    "any": ("(tất cả)", "(any)"),
    "classes": ("Lớp", "Classes"),
    "properties": ("Thuộc tính", "Properties"),
    "schemes": ("Danh mục", "Controlled vocabularies"),
    "label": ("Nhãn", "Label"),
    "definition": ("Định nghĩa", "Definition"),
    "super": ("Lớp cha", "Super-classes"),
    "superprop": ("Thuộc tính cha", "Super-properties"),
    "uses": ("Số lần dùng", "Uses"),
    "examples": ("Truy vấn mẫu", "Example queries"),
    "sparql_help": ("Chọn một truy vấn mẫu hoặc viết truy vấn của bạn; điểm truy vấn: /sparql.", "Pick an example or write your own query; endpoint: /sparql."),
    "needs_js": ("Trang này cần JavaScript và các thư viện front-end (npm run vendor).", "This page needs JavaScript and the front-end libraries (npm run vendor)."),
    "shown_in_sources": ("xem phần câu nguồn", "see source sentences"),
    "named_graph": ("Đồ thị có tên", "Named graph"),
    "triples": ("bộ ba", "triples"),
    "in_graph": ("Thuộc đồ thị", "In graph"),
    "matched": ("khớp với", "matched"),
    "all": ("Tất cả", "All"),
    "language": ("Ngôn ngữ", "Language"),
    "no_meetings": ("Không có cuộc gặp nào khớp.", "No meeting matches."),
    "whole_sentence": ("cả câu", "whole sentence"),
    "iri": ("IRI", "IRI"),
    "n_events": ("{n} sự kiện", "{n} events"),
    "source_file": ("Tệp nguồn", "Source file"),
    "graph_status": ("{nodes} nút · {edges} liên kết", "{nodes} nodes · {edges} links"),
    "graph_more": ("(còn {n} liên kết chưa hiện; xem danh sách bên dưới)", "({n} more links not drawn; see the lists below)"),
    "leg_org": ("cơ quan, tổ chức", "agency, organisation"),
    "leg_place": ("địa danh", "place"),
    "leg_person": ("người", "person"),
    "leg_event": ("sự kiện", "event"),
    "leg_program": ("chương trình", "programme"),
    "leg_figure": ("số liệu", "figure"),
    "leg_article": ("bài báo", "article"),
}


# ------------------------------------------------------------------ language


def current_lang() -> str:
    if "lang" not in g:
        asked = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
        if asked not in LANGS:
            asked = request.accept_languages.best_match(LANGS) or LANGS[0]
        g.lang = asked
    return g.lang


def t(key: str, **kw) -> str:
    vi, en = UI.get(key, (key, key))
    text = en if current_lang() == "en" else vi
    return text.format(**kw) if kw else text


def url_with(**changes) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for k, v in changes.items():
        if v is None:
            args.pop(k, None)
        else:
            args[k] = [str(v)]
    qs = urlencode(args, doseq=True)
    return request.path + ("?" + qs if qs else "")


# ------------------------------------------------------------------ IRIs and labels


def curie(iri: str) -> str:
    best = ""
    name = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, f"{prefix}:{iri[len(ns):]}"
    return name or iri


def href(iri: str) -> str:
    """Where a person reads about `iri` on this site."""
    base = state().settings.base
    if iri.startswith(base):
        rest = iri[len(base):]
        doc, _, frag = rest.partition("#")
        if not frag or doc.startswith("article/"):
            return "/id/" + quote(doc, safe="/:@!$&'()*+,;=-._~") + ("#" + quote(frag, safe="=,-_.") if frag else "")
    elif iri.startswith(DEF) and "#" not in iri:
        return "/def/" + quote(iri[len(DEF):], safe="/:@!$&'()*+,;=-._~")
    return "/resource?" + urlencode({"iri": iri})


def fallback_label(iri: str) -> str:
    if iri.startswith(CORE):
        return iri[len(CORE):]
    name = curie(iri)
    if name != iri:
        return name
    tail = iri.rstrip("/").rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
    return tail or iri


def _lang_rank(literal, lang: str) -> int:
    tag = getattr(literal, "language", None) or ""
    if tag.split("-")[0] == lang:
        return 0
    if not tag:
        return 1
    if tag.startswith("vi"):
        return 2
    return 3


def labels(iris, lang: str | None = None) -> dict[str, str]:
    """Best label of each IRI in `lang` (else untagged, else Vietnamese, else any); IRIs without one are left out."""
    lang = lang or current_lang()
    out: dict[str, tuple] = {}
    store = state().store
    props = [ox.NamedNode(p) for p in LABEL_PROPS]
    for x in {i for i in iris if i}:
        try:
            node = ox.NamedNode(x)
        except ValueError:
            continue
        # direct index lookups: far quicker than one SPARQL join over VALUES
        for rank_p, p in enumerate(props):
            for q in store.quads_for_pattern(node, p, None, None):
                lit = q.object
                if isinstance(lit, ox.Literal):
                    rank = (_lang_rank(lit, lang), rank_p, len(lit.value))
                    if x not in out or rank < out[x][0]:
                        out[x] = (rank, lit.value)
    return {k: v[1] for k, v in out.items()}


class Term:
    """A term ready for a template: `.html` is a link (IRIs) or the escaped value (literals)."""

    __slots__ = ("term", "iri", "label", "lang", "datatype", "kind")

    def __init__(self, term, label: str | None = None):
        self.term = term
        self.iri = term.value if isinstance(term, ox.NamedNode) else None
        if self.iri:
            self.kind = "iri"
        elif isinstance(term, ox.Triple):  # an RDF 1.2 triple term
            self.kind = "triple"
        else:
            self.kind = "bnode" if isinstance(term, ox.BlankNode) else "literal"
        self.label = label if label is not None else self._own_label()
        self.lang = getattr(term, "language", None) if self.kind == "literal" else None
        dt = getattr(term, "datatype", None) if self.kind == "literal" else None
        self.datatype = None if dt is None or dt.value.endswith(("#string", "#langString")) else curie(dt.value)

    def _own_label(self) -> str:
        if self.kind == "iri":
            return fallback_label(self.iri)
        if self.kind == "triple":
            return f"<<( {self.term} )>>"  # as N-Triples writes it
        return self.term.value if self.kind == "literal" else "_:" + self.term.value

    @property
    def href(self) -> str | None:
        return href(self.iri) if self.iri else None

    def __html__(self) -> str:
        from markupsafe import escape

        if self.iri:
            return f'<a href="{escape(self.href)}" title="{escape(self.iri)}">{escape(self.label)}</a>'
        if self.kind == "literal":
            extra = f' <span class="lang">@{escape(self.lang)}</span>' if self.lang else ""
            if self.datatype:
                extra += f' <span class="dt">{escape(self.datatype)}</span>'
            return f'<span class="lit">{escape(self.label)}</span>{extra}'
        return f'<span class="{self.kind}">{escape(self.label)}</span>'


def terms(values, lang: str | None = None) -> list[Term]:
    values = list(values)
    names = labels([v.value for v in values if isinstance(v, ox.NamedNode)], lang)
    return [Term(v, names.get(v.value) if isinstance(v, ox.NamedNode) else None) for v in values]


def property_labels(iris, lang: str | None = None) -> dict[str, str]:
    """Readable property names from the ontology's rdfs:label, falling back to the prefixed name."""
    found = labels(iris, lang)
    return {i: found.get(i) or curie(i) for i in iris}


# ------------------------------------------------------------------ responses


def secure(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    lang = request.args.get("lang")
    if lang in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def page(template: str, *, status: int = 200, twins: list[tuple[str, str, str]] = (), csp: str | None = None, **context) -> Response:
    """An HTML page; `twins` are (label, url, media type) of its machine-readable forms."""
    html = render_template(template, twins=list(twins), **context)
    response = Response(html, status=status, mimetype="text/html")
    if csp:
        response.headers["Content-Security-Policy"] = csp
    links = [f'<{url}>; rel="alternate"; type="{mt}"' for _, url, mt in twins]
    if links:
        response.headers["Link"] = ", ".join(links)
    response.vary.add("Accept")
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def json_response(data, status: int = 200) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False, indent=1), status=status, mimetype="application/json")
    response.vary.add("Accept")
    return response


def wants_json() -> bool:
    """A browse page's twin: `?format=json` or an Accept that prefers JSON over HTML."""
    fmt = request.args.get("format")
    if fmt:
        return fmt == "json"
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


_MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_MONTH_DAY = re.compile(r"^--(\d\d)(?:-(\d\d))?$")


def day(value: str | None) -> str:
    """A date of the graph for reading. An xsd:gMonthDay ("--02-10": the article gave no year) and its
    month ("--02", a timeline heading) are written out; anything else is shown as it is."""
    m = _MONTH_DAY.match(value or "")
    if not m or not 1 <= int(m.group(1)) <= 12:
        return value or ""
    month, dd = int(m.group(1)), m.group(2)
    if current_lang() == "en":
        return (f"{int(dd)} " if dd else "") + f"{_MONTHS_EN[month - 1]}, year unknown"
    return (f"{int(dd)}/{month}" if dd else f"tháng {month}") + ", không rõ năm"


def template_globals() -> dict:
    return {
        "t": t,
        "day": day,
        "lang": current_lang,
        "url_with": url_with,
        "LANGS": LANGS,
        "href": href,
        "curie": curie,
    }


def pager(total: int, page_no: int, size: int, param: str = "page") -> dict | None:
    if total <= size:
        return None
    last = (total - 1) // size + 1
    page_no = min(max(page_no, 1), last)
    return {
        "page": page_no,
        "last": last,
        "first_item": (page_no - 1) * size + 1,
        "last_item": min(page_no * size, total),
        "total": total,
        "prev": url_with(**{param: page_no - 1}) if page_no > 1 else None,
        "next": url_with(**{param: page_no + 1}) if page_no < last else None,
    }


MAX_PAGE = 1_000_000  # a page number past it is no page (and its OFFSET would overflow the engine's)


def int_arg(name: str, default: int = 1) -> int:
    try:
        return min(max(int(request.args.get(name, default)), 1), MAX_PAGE)
    except ValueError:
        return default


def static_url(path: str) -> str:
    return url_for("static", filename=path)


def vendor_ready(*files: str) -> bool:
    import os

    root = os.path.join(current_app.static_folder or "", "vendor")
    return all(os.path.exists(os.path.join(root, f)) for f in files)


def tojson(data) -> Markup:
    from flask import json as fjson

    return Markup(fjson.dumps(data))

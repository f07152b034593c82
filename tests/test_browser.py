"""The web UI in a real browser: headless Debian chromium driven by Playwright, against a real
`vnkg serve` process on 127.0.0.1 over a store built from the seed article (and one article whose
text holds a script). Screenshots of every page go to test-artifacts/.

Skipped, with the reason, when chromium is not on PATH (`.ci/run` installs it). The graph view and
YASGUI need the front-end libraries (`npm ci && npm run vendor`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_5cc79a5ea2a831f7.txt"
ARTIFACTS = ROOT / "test-artifacts"
VENDOR = ROOT / "server" / "static" / "vendor"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
LAO_BAN = "Ban vì sự tiến bộ phụ nữ tỉnh Xiêng Khoảng"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); the browser tests need it")

needs_vendor = pytest.mark.skipif(
    not (VENDOR / "cytoscape" / "cytoscape.min.js").exists() or not (VENDOR / "yasgui" / "yasgui.min.js").exists(),
    reason="front-end libraries missing: run `npm ci && npm run vendor`",
)

XSS_ARTICLE = {
    "title": "Thử <script>alert(1)</script> tại Quỳnh Lưu",
    "body": "Sáng 5/8, UBND huyện Quỳnh Lưu tiếp đoàn công tác; văn bản có <script>alert(1)</script> và "
    "<img src=x onerror=alert(2)>.\n\nĐoàn đã làm việc với UBND huyện Quỳnh Lưu.",
    "url": "https://example.org/xss",
    "published": "2014-08-05",
    "source": "baonghean.vn",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, vnkg_serve):
    """Base URL of `vnkg serve` over the seed article and the script article; always stopped."""
    tmp = tmp_path_factory.mktemp("browser")
    (tmp / "xss.json").write_text(json.dumps(XSS_ARTICLE, ensure_ascii=False), "utf-8")
    store = tmp / "store"
    cli = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
    # SHACL validation is tested elsewhere; here it would only slow the start
    built = subprocess.run(cli + ["build", "--no-validate", "--store", str(store), str(SEED), str(tmp / "xss.json")], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return vnkg_serve(store, "--query-workers", "1", "--threads", "8", ready="/api/search?q=x")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """What a page did that it should not: dialogs, console errors, CSP refusals, other hosts."""

    def __init__(self, page, base: str):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        host = urlsplit(base).netloc

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        def on_route(route):
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host:
                self.foreign.append(url)
                return route.abort()
            return route.continue_()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.route("**/*", on_route)

    def clean(self) -> None:
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    p = context.new_page()
    p.set_default_timeout(15000)
    p.watch = Watch(p, server)
    try:
        yield p
    finally:
        context.close()


def wait_until(page, expression: str, timeout: float = 15.0):
    """Poll a JS expression from outside the page (wait_for_function evaluates strings inside it,
    which the page's CSP rightly refuses)."""
    import time

    end = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(100)


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# ------------------------------------------------------------------ the journeys


def test_search_without_diacritics_reaches_the_lao_committee(page, server):
    page.goto(server + "/")
    shot(page, "01-home")
    assert page.locator("table.counts").inner_text().count("\n") >= 8
    box = page.locator(".big-search input[name=q]")
    box.fill("xieng khoang")
    page.locator(".hero .suggest li").first.wait_for()  # autocomplete as you type
    shot(page, "02-autocomplete")
    page.locator(".big-search button").click()
    page.wait_for_url(re.compile(r"/search\?q=xieng\+khoang$"))
    shot(page, "03-search")
    page.get_by_role("link", name=LAO_BAN, exact=True).first.click()
    page.wait_for_url(re.compile(r"/id/org/la-xi-xieng-khoang\."))
    assert page.locator("h1").inner_text() == LAO_BAN
    page.watch.clean()


def _lao_page(page, server) -> None:
    data = requests.get(server + "/api/search", params={"q": LAO_BAN, "limit": 1}, timeout=10).json()
    page.goto(server + data["results"][0]["href"])


def test_resource_page_shows_the_meeting_and_its_highlighted_sentence(page, server):
    _lao_page(page, server)
    events = page.locator("section.events")
    assert "2014-07-02" in events.inner_text()
    marks = page.locator("section.sources blockquote.source mark.hl")
    assert marks.count() >= 1
    assert any("Xiêng Khoảng" in marks.nth(i).inner_text() for i in range(marks.count()))
    assert events.locator("blockquote.source").count() >= 1  # the sentence that reports the meeting
    shot(page, "04-resource-lao-committee")
    # the meeting's own page
    events.locator("p a").first.click()
    page.wait_for_url(re.compile(r"/id/event/2014-07-02\."))
    assert "2014-07-02" in page.locator("main").inner_text()
    shot(page, "05-meeting")
    page.watch.clean()


@needs_vendor
def test_graph_view_expands_a_node_and_opens_a_page(page, server):
    _lao_page(page, server)
    wait_until(page, "!!window.vnkgGraph && window.vnkgGraph.nodes().length > 1")
    before = page.evaluate("window.vnkgGraph.nodes().length")
    # click the node of the province, then see its neighbours (its parent country, its units …) appear
    target = page.evaluate(
        """() => { const n = window.vnkgGraph.nodes().filter(n => n.id().includes('/place/la-xi-xieng-khoang'))[0];
                   const p = n.renderedPosition(); return {id: n.id(), x: p.x, y: p.y}; }"""
    )
    bbox = page.locator("#cy").bounding_box()
    page.mouse.click(bbox["x"] + target["x"], bbox["y"] + target["y"])
    wait_until(page, f"window.vnkgGraph.nodes().length > {before}")
    assert page.evaluate("window.vnkgGraph.nodes().some(n => n.id().endsWith('/place/la-lao'))")
    assert "nút" in page.locator("#graph-status").inner_text()
    page.locator("#cy").scroll_into_view_if_needed()
    shot(page, "06-graph-expanded")
    # double-click opens the page of the node
    pos = page.evaluate(
        """() => { const n = window.vnkgGraph.nodes().filter(n => n.id().endsWith('/place/la-lao'))[0];
                   const p = n.renderedPosition(); return {x: p.x, y: p.y}; }"""
    )
    bbox = page.locator("#cy").bounding_box()
    page.mouse.dblclick(bbox["x"] + pos["x"], bbox["y"] + pos["y"])
    page.wait_for_url(re.compile(r"/id/place/la-lao$"))
    page.watch.clean()


@needs_vendor
def test_yasgui_runs_an_example_query(page, server):
    page.goto(server + "/sparql-ui")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.locator("button.example").first.click()
    query = page.evaluate("window.vnkgYasgui.getTab().getQuery()")
    assert "PREFIX vnkg:" in query and "LA-XI" in query
    page.locator(".yasqe_queryButton").click()
    rows = page.locator(".yasr table tbody tr")
    rows.first.wait_for()
    text = page.locator(".yasr table").inner_text()
    assert "Quỳnh Lưu" in text
    shot(page, "07-sparql-ui")
    page.watch.clean()


def test_script_in_an_article_is_shown_as_text(page, server):
    data = requests.get(server + "/api/search", params={"q": "thu script quynh luu", "limit": 5}, timeout=10).json()
    article = next(r for r in data["results"] if "/id/article/" in r["href"])
    page.goto(server + article["href"])
    text = page.locator(".article-text").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator(".article-text script, .article-text img").count() == 0
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert page.locator(".article-text mark.mention a").count() >= 1  # mentions still highlighted
    shot(page, "08-article-with-script")
    page.goto(server + "/search?q=thu+script")
    page.goto(server + "/")
    page.wait_for_timeout(200)
    page.watch.clean()  # no dialog ever opened


def test_seed_article_page_highlights_mentions(page, server):
    page.goto(server + "/")
    page.locator(".card a", has_text="Quỳnh Lưu: Gặp mặt").first.click()
    page.wait_for_url(re.compile(r"/id/article/"))
    assert page.locator(".article-text mark.mention").count() >= 8
    shot(page, "09-article-seed")
    page.watch.clean()


def test_timeline_ontology_and_english(page, server):
    page.goto(server + "/timeline?place=nghe+an")
    assert "2014-07-02" in page.locator(".timeline").inner_text()
    shot(page, "10-timeline")
    page.goto(server + "/ontology")
    assert page.locator("#Agency").count() == 1
    shot(page, "11-ontology")
    page.goto(server + "/?lang=en")
    assert "Counts per class" in page.locator("main").inner_text()
    page.goto(server + "/timeline")  # the choice is remembered
    assert "Timeline" in page.locator("h1").inner_text()
    page.watch.clean()


def test_pages_fit_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN")
    p = context.new_page()
    try:
        watch = Watch(p, server)
        data = requests.get(server + "/api/search", params={"q": LAO_BAN, "limit": 1}, timeout=10).json()
        for name, url in (("12-phone-home", "/"), ("13-phone-resource", data["results"][0]["href"]), ("14-phone-search", "/search?q=quynh+luu")):
            p.goto(server + url)
            overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{url} scrolls sideways by {overflow}px on a phone"
            p.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
        watch.clean()
    finally:
        context.close()

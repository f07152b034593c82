"""Times the web UI's pages against a real `vnkg serve` over the dev corpus (issue 5: "pages answer in
well under a second on the dev corpus").

    .venv/bin/python bench/bench_pages.py                    # builds ../shared/corpus/dev into a temp store
    .venv/bin/python bench/bench_pages.py --store data/dev   # reuses a built store
    .venv/bin/python bench/bench_pages.py -n 30 --json out.json

The server is started on 127.0.0.1 on a free port and always stopped. The heaviest example of each
page type is picked from the graph itself (the agency, province, commune, person with the most links
pointing at them, the meeting with the most attendees, the article with the most mentions). Each URL
is requested `--warmup` times untimed, then `-n` times; the table gives median, p95 and max in ms.
Before anything else the first search on a fresh server is timed: it builds the label index; then
a label is written through SPARQL Update and searched for (the index is rebuilt after a write).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"
BASE_IRI = "https://w3id.org/vnkg/id/"
CLI = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]

PICKS = {
    # page type -> query whose first row's ?x is the heaviest example of it
    "agency": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a vnkg:Agency . ?y ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "province": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a vnkg:Province . ?y ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "commune": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a vnkg:Commune . ?y ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "person": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x a vnkg:Person . ?y ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "meeting": "SELECT ?x (COUNT(DISTINCT ?a) AS ?n) WHERE { ?x a vnkg:Meeting ; schema:attendee ?a } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "article": "SELECT ?x (COUNT(DISTINCT ?m) AS ?n) WHERE { ?x a vnkg:Article ; schema:mentions ?m } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
}
SPARQL_PREFIXES = "PREFIX vnkg: <https://w3id.org/vnkg/def/core#>\nPREFIX schema: <https://schema.org/>\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(store: Path) -> None:
    t = time.perf_counter()
    done = subprocess.run(CLI + ["build", "--no-validate", "-q", "--store", str(store), str(DEV)], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit("build failed:\n" + done.stdout + done.stderr)
    print(f"built {DEV} into {store} in {time.perf_counter() - t:.1f} s: {done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ''}")


class Server:
    """`vnkg serve` on 127.0.0.1; a context manager that always stops it."""

    def __init__(self, store: Path, threads: int = 8, token: str = ""):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.cmd = CLI + ["serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(threads)]
        if token:
            self.cmd += ["--update-token", token]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("vnkg serve exited: " + self.proc.stderr.read().decode(errors="replace"))
            try:
                # a static file: ready without touching the label index, whose first build is measured
                requests.get(self.base + "/static/favicon.svg", timeout=0.5)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.__exit__()
        raise SystemExit("vnkg serve did not start listening")

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def pick(session: requests.Session, base: str) -> dict[str, str]:
    out = {}
    for kind, query in PICKS.items():
        r = session.post(base + "/sparql", data={"query": SPARQL_PREFIXES + query}, headers={"Accept": "application/sparql-results+json"})
        r.raise_for_status()
        rows = r.json()["results"]["bindings"]
        if rows:
            out[kind] = rows[0]["x"]["value"]
            out[kind + "_n"] = rows[0]["n"]["value"]
    return out


def page_of(iri: str) -> str:
    return "/id/" + quote(iri[len(BASE_IRI):], safe="/:@!$&'()*+,;=-._~")


def pages(things: dict[str, str]) -> list[tuple[str, str, dict]]:
    """(name, path, headers) of every page timed."""
    html = {"Accept": "text/html", "Accept-Language": "vi"}
    out = [
        ("home", "/", html),
        ("search 'ubnd quynh luu'", "/search?q=" + quote("ubnd quynh luu"), html),
        ("search 'UBND Quỳnh Lưu'", "/search?q=" + quote("UBND Quỳnh Lưu"), html),
        ("search 'xieng khoang'", "/search?q=" + quote("xieng khoang"), html),
        ("search 'Xiêng Khoảng'", "/search?q=" + quote("Xiêng Khoảng"), html),
        ("search 'ha noi'", "/search?q=" + quote("ha noi"), html),
        ("search 'Hà Nội'", "/search?q=" + quote("Hà Nội"), html),
        ("api/search 'qu' (autocomplete)", "/api/search?q=qu", {}),
        ("api/search 'quynh lu'", "/api/search?q=" + quote("quynh lu"), {}),
        ("api/search 'ha n'", "/api/search?q=" + quote("ha n"), {}),
    ]
    for kind in ("agency", "province", "commune", "person", "meeting", "article"):
        if kind in things:
            out.append((f"{kind} ({things[kind + '_n']})", page_of(things[kind]), html))
    if "province" in things:
        p = things["province"]
        out.append(("province, links page 2", page_of(p) + "?page=2", html))
    out += [
        ("timeline", "/timeline", html),
        ("timeline ?from=2020&to=2021", "/timeline?from=2020&to=2021", html),
        ("timeline ?place=Nghệ An", "/timeline?" + urlencode({"place": "Nghệ An"}), html),
    ]
    if "agency" in things:
        out.append(("timeline ?org=<agency>", "/timeline?" + urlencode({"org": things["agency"]}), html))
    out += [
        ("ontology", "/ontology", html),
        ("sparql-ui", "/sparql-ui", html),
    ]
    for kind in ("agency", "province", "article"):
        if kind in things:
            out.append((f"{kind} .ttl", page_of(things[kind]) + ".ttl", {}))
            out.append((f"{kind} .jsonld", page_of(things[kind]) + ".jsonld", {}))
    for kind in ("agency", "province", "meeting"):
        if kind in things:
            out.append((f"api/neighbours {kind}", "/api/neighbours?" + urlencode({"iri": things[kind]}), {}))
    return out


PROBE_GRAPH = BASE_IRI + "graph/bench-pages-probe"
PROBE = BASE_IRI + "org/bench-pages-probe"


def write_probe(session: requests.Session, base: str, token: str) -> dict[str, float]:
    """A label written through SPARQL Update, then searched for: how long until search sees it (the
    label index is rebuilt on the first search after a write), and the same after removing it."""
    auth = {"Authorization": f"Bearer {token}"}
    out = {}
    url = base + "/api/search?q=" + quote("zyxw bench")
    insert = f'INSERT DATA {{ GRAPH <{PROBE_GRAPH}> {{ <{PROBE}> <http://www.w3.org/2000/01/rdf-schema#label> "Zyxw Bench Probe"@vi }} }}'
    r = session.post(base + "/sparql", data={"update": insert}, headers=auth)
    r.raise_for_status()
    ms, _, _ = timed(session, url, {})
    found = any(x["iri"] == PROBE for x in session.get(url).json()["results"])
    out["first /api/search after a write" + ("" if found else " (NOT FOUND)")] = ms
    out["second /api/search after a write"] = timed(session, url, {})[0]
    session.post(base + "/sparql", data={"update": f"DROP SILENT GRAPH <{PROBE_GRAPH}>"}, headers=auth).raise_for_status()
    ms, _, _ = timed(session, url, {})
    gone = not session.get(url).json()["results"]
    out["first /api/search after removing it" + ("" if gone else " (STILL FOUND)")] = ms
    return out


def timed(session: requests.Session, url: str, headers: dict) -> tuple[float, int, int]:
    t = time.perf_counter()
    r = session.get(url, headers=headers, timeout=60)
    ms = (time.perf_counter() - t) * 1000
    return ms, r.status_code, len(r.content)


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, help="a built store to reuse (default: build the dev corpus into a temp dir)")
    ap.add_argument("-n", type=int, default=20, help="timed requests per page (default 20)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed requests per page first (default 2)")
    ap.add_argument("--json", type=Path, help="also write the numbers here")
    ap.add_argument("--write-probe", action="store_true", help="time search after a write on --store too (writes one label into its own graph, then drops the graph)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vnkg-bench-pages-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            build(store)
        # the write probe writes (and removes) one label: on the bench's own store, or when asked
        token = secrets.token_hex(16) if args.store is None or args.write_probe else ""
        with Server(store, token=token) as server, requests.Session() as s:
            base = server.base
            first = {}
            # the first search on a fresh server builds the label index; a second one uses it
            first["first /api/search (builds index)"] = timed(s, base + "/api/search?q=" + quote("quynh luu"), {})[0]
            first["second /api/search"] = timed(s, base + "/api/search?q=" + quote("quynh luu"), {})[0]
            first["first /ontology (counts uses)"] = timed(s, base + "/ontology", {"Accept": "text/html"})[0]
            first["first / (counts classes)"] = timed(s, base + "/", {"Accept": "text/html"})[0]
            if token:
                first.update(write_probe(s, base, token))
            things = pick(s, base)
            results = []
            for name, path, headers in pages(things):
                url = base + path
                for _ in range(args.warmup):
                    timed(s, url, headers)
                runs = [timed(s, url, headers) for _ in range(args.n)]
                ms = [r[0] for r in runs]
                status = {r[1] for r in runs}
                size = runs[-1][2]
                results.append({"page": name, "path": path, "status": sorted(status), "bytes": size, "median": statistics.median(ms), "p95": p95(ms), "max": max(ms)})

    print()
    print(f"{'cold':<40} {'ms':>8}")
    for k, v in first.items():
        print(f"{k:<40} {v:8.0f}")
    print()
    print(f"{'page':<40} {'status':>6} {'KB':>7} {'median':>8} {'p95':>8} {'max':>8}")
    for r in results:
        print(f"{r['page']:<40} {','.join(map(str, r['status'])):>6} {r['bytes'] / 1024:7.0f} {r['median']:8.1f} {r['p95']:8.1f} {r['max']:8.1f}")
    print()
    for kind in PICKS:
        if kind in things:
            print(f"{kind:<9} {things[kind]}  ({things[kind + '_n']})")
    if args.json:
        meta = {"date": dt.date.today().isoformat(), "machine": machine(), "n": args.n, "warmup": args.warmup}
        args.json.write_text(json.dumps({"meta": meta, "cold": first, "pages": results, "things": things}, ensure_ascii=False, indent=1), "utf-8")
    slow = [r["page"] for r in results if r["median"] > 300]
    if slow:
        print("slower than 300 ms (median):", ", ".join(slow))
    return 0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


if __name__ == "__main__":
    sys.exit(main())

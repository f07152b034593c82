"""SPARQL service throughput and latency: vnkg serve against `oxigraph serve` and rdflib-endpoint.

For each server, each query of the mix, and the whole mix (each client sending its queries in
turn), with 1 and 8 concurrent clients: requests per second and p50 / p99 latency over a fixed
time. Clients are separate processes (no shared GIL) that keep one HTTP/1.1 connection each, send
requests encoded once and read every answer whole (`RawClient`: ~0.05 ms of CPU per request where
http.client took ~0.2 ms, which on a 2-core machine took a third of the CPU from the server under
test). The servers run one at a time on the same data:

- vnkg     `vnkg serve` with its defaults (granian): every limit and check on (time limit in
           killable worker processes, row cap, SERVICE/LOAD guard, metrics, CORS),
           `--query-workers`, `--processes` and `--threads` as given
- vnkg-waitress  the same with `--server waitress`; vnkg-tN, vnkg-pN, vnkg-pN-tM  the same with
           `--threads N`, `--processes N` or both (only when `--servers` names them)
- bare     bench/bare_wrapper.py: the issue's reference, a bare Flask wrapper of pyoxigraph (no limits,
           checks or logs) under granian with one worker and the same threads (only when named);
           bare-pN the same in N worker processes, each with the store opened read-only
- oxigraph `oxigraph serve-read-only --union-default-graph` over the same quads (PyPI `oxigraph`,
           the Rust server), loaded from `vnkg export --format nquads`
- rdflib   `rdflib-endpoint serve` of the same N-Quads (rdflib's in-memory Dataset, union default
           graph), fewer seconds: it is slow

The data: the first --articles articles of ../shared/corpus/scale/baomoi-2017.jsonl.gz built with
`vnkg build --no-validate` (the gazetteer adds ~220k triples; 2,400 articles make ~1.1M quads), or
an existing store (--store). oxigraph and rdflib-endpoint come from a separate virtualenv (never the
project's): --tools-venv, made with
`python -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install oxigraph==0.5.13 rdflib-endpoint==0.6.3 uvicorn`.

    .venv/bin/python bench/bench_sparql.py --store /tmp/bench/store --tools-venv /tmp/benchvenv --seconds 8

Results are printed as a Markdown table (and written as JSON with --json). All servers bind
127.0.0.1 on free ports and are stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "scale" / "baomoi-2017.jsonl.gz"
VNKG = "https://w3id.org/vnkg/def/core#"
PREFIXES = (
    f"PREFIX vnkg: <{VNKG}> PREFIX schema: <https://schema.org/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)

# name -> (query template with {article} / {agency} / {place} / {thing}, Accept)
MIX = {
    "ask": (PREFIXES + "ASK { <{article}> a vnkg:Article }", "application/sparql-results+json"),
    "point lookup": (PREFIXES + "SELECT ?p ?o WHERE { <{agency}> ?p ?o }", "application/sparql-results+json"),
    "two-hop join": (
        PREFIXES + "SELECT ?article ?headline ?org WHERE { ?org vnkg:jurisdiction <{place}> . "
        "?article schema:mentions ?org ; schema:headline ?headline } LIMIT 100",
        "application/sparql-results+json",
    ),
    "text filter": (
        PREFIXES + 'SELECT ?s ?label WHERE { ?s a vnkg:Agency ; rdfs:label ?label FILTER(CONTAINS(LCASE(?label), "ủy ban")) } LIMIT 50',
        "application/sparql-results+json",
    ),
    "aggregation": (
        PREFIXES + "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
        "application/sparql-results+json",
    ),
    "describe": ("DESCRIBE <{thing}>", "text/turtle"),
    "construct": ("CONSTRUCT { <{thing}> ?p ?o } WHERE { <{thing}> ?p ?o }", "application/n-triples"),
}
ENGINE_BOUND = {"two-hop join", "text filter", "aggregation"}


# --- servers --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, cmd: list[str], port: int, path: str, ready_timeout: float = 60, env=None):
        self.name, self.port, self.path = name, port, path
        self.log = tempfile.NamedTemporaryFile("w+b", prefix=f"bench-{name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited: {Path(self.log.name).read_text(errors='replace')[-2000:]}")
            try:
                status, _ = request(port, path, "ASK {}", "application/sparql-results+json", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} did not answer within {ready_timeout:g} s")

    def rss_mb(self) -> float:
        total = 0
        for pid in [self.proc.pid] + _children(self.proc.pid):
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def _children(pid: int) -> list[int]:
    out = []
    try:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            out += [int(child)] + _children(int(child))
    except OSError:
        pass
    return out


# --- the client -----------------------------------------------------------------------------------


def request(port: int, path: str, query: str, accept: str, timeout: float = 120, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        if own:
            conn.close()


class RawClient:
    """A lean HTTP/1.1 keep-alive client for the measuring loop: requests are encoded once, answers
    are read whole (Content-Length or chunked) with a few byte searches. http.client costs ~0.2 ms
    of CPU per request, as much as the server under test; on a 2-core machine the clients then take
    a third of the CPU from the server and the numbers say more about the client than the server."""

    def __init__(self, port: int, timeout: float):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    @staticmethod
    def encode(path: str, query: str, accept: str) -> bytes:
        target = path + "?" + urllib.parse.urlencode({"query": query})
        return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n".encode()

    def _more(self) -> None:
        data = self.sock.recv(65536)  # under malloc's mmap threshold: no page faults per read
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buf += data

    def request(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        while (end := self.buf.find(b"\r\n\r\n")) < 0:
            self._more()
        head, self.buf = self.buf[:end].lower(), self.buf[end + 4 :]
        status = int(head[9:12])
        if (i := head.find(b"\r\ncontent-length:")) >= 0:
            length = int(head[i + 17 :].split(b"\r\n", 1)[0])
            while len(self.buf) < length:
                self._more()
            body, self.buf = self.buf[:length], self.buf[length:]
        elif b"chunked" in head:
            chunks = []
            while True:
                while (eol := self.buf.find(b"\r\n")) < 0:
                    self._more()
                size = int(self.buf[:eol].split(b";")[0], 16)
                while len(self.buf) < eol + 2 + size + 2:
                    self._more()
                chunks.append(self.buf[eol + 2 : eol + 2 + size])
                self.buf = self.buf[eol + 2 + size + 2 :]
                if size == 0:
                    break
            body = b"".join(chunks)
        else:
            raise ConnectionError("an answer without Content-Length or chunks")
        if b"connection: close" in head:
            raise ConnectionError("the server closes the connection")
        return status, body

    def close(self) -> None:
        self.sock.close()


class StdlibClient:
    """http.client, as the bench had it before RawClient (--client http.client): for comparison."""

    def __init__(self, port: int, timeout: float):
        self.port, self.conn = port, http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    @staticmethod
    def encode(path: str, query: str, accept: str):
        return path, query, accept

    def request(self, raw) -> tuple[int, bytes]:
        path, query, accept = raw
        try:
            return request(self.port, path, query, accept, conn=self.conn)
        except http.client.HTTPException as exc:
            raise ConnectionError(str(exc)) from None

    def close(self) -> None:
        self.conn.close()


CLIENTS = {"raw": RawClient, "http.client": StdlibClient}


def _client(port, path, queries, seconds, start_at, out, timeout, kind="raw"):
    Client = CLIENTS[kind]
    raws = [Client.encode(path, q, accept) for q, accept in queries]
    while time.time() < start_at:
        time.sleep(0.001)
    conn = Client(port, timeout)
    latencies, errors, i = [], 0, 0
    end = start_at + seconds
    while time.time() < end:
        raw = raws[i % len(raws)]
        i += 1
        t = time.perf_counter()
        try:
            status, _ = conn.request(raw)
        except (OSError, ValueError):
            errors += 1
            conn.close()
            conn = Client(port, timeout)
            continue
        if status == 200:
            latencies.append(time.perf_counter() - t)
        else:
            errors += 1
    conn.close()
    out.put((latencies, errors, time.time() - start_at))


CLIENT_KIND = "raw"  # --client


def measure(port, path, queries: list[tuple[str, str]], clients: int, seconds: float, timeout: float) -> dict:
    """Each client sends `queries` (query, Accept) in turn, starting at its own place in the list."""
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 0.5
    step = max(1, len(queries) // clients)
    procs = [ctx.Process(target=_client, args=(port, path, queries[k * step :] + queries[: k * step], seconds, start_at, out, timeout, CLIENT_KIND))
             for k in range(clients)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _, _ in results for x in lat)
    errors = sum(e for _, e, _ in results)
    elapsed = max(t for _, _, t in results)
    if not latencies:
        return {"requests": 0, "errors": errors, "rps": 0.0, "p50_ms": None, "p99_ms": None}
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


# --- the data -------------------------------------------------------------------------------------


def build_store(articles: int, workdir: Path) -> Path:
    source = workdir / f"first{articles}.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f, source.open("w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= articles:
                break
            out.write(line)
    store = workdir / "store"
    subprocess.run([str(ROOT / ".venv" / "bin" / "vnkg"), "build", "--no-validate", "-q", "--store", str(store), str(source)], check=True)
    return store


def sample(port: int) -> dict[str, list[str]]:
    """IRIs the queries are about, read from the data (the same for every server)."""

    def values(q: str) -> list[str]:
        status, body = request(port, "/sparql", PREFIXES + q, "application/sparql-results+json")
        assert status == 200, body[:500]
        return [b["x"]["value"] for b in json.loads(body)["results"]["bindings"]]

    agencies = values("SELECT DISTINCT ?x WHERE { ?a schema:mentions ?x . ?x a vnkg:Agency } LIMIT 50")
    return {
        "article": values("SELECT ?x WHERE { ?x a vnkg:Article } LIMIT 50"),
        "agency": agencies,
        "place": values("SELECT DISTINCT ?x WHERE { ?a schema:mentions ?org . ?org vnkg:jurisdiction ?x } LIMIT 20"),
        "thing": agencies[:25] + values("SELECT ?x WHERE { ?x a vnkg:Article } LIMIT 25"),
    }


def queries_for(template: str, iris: dict[str, list[str]]) -> list[str]:
    n = max(len(v) for v in iris.values())
    out = []
    for i in range(n):
        text = template
        for key, vals in iris.items():
            text = text.replace("{" + key + "}", vals[i % len(vals)])
        out.append(text)
    return list(dict.fromkeys(out))


# --- the run --------------------------------------------------------------------------------------


def run_server(server: Server, iris, seconds: float, concurrency: list[int], timeout: float, only=None) -> dict:
    results = {}
    mix = []
    for name, (template, accept) in MIX.items():
        queries = queries_for(template, iris)
        mix.append([(q, accept) for q in queries])
        if only and name not in only:
            continue
        status, media, body = fetch(server.port, server.path, queries[0], accept, timeout)  # warm up, check
        if status != 200:
            print(f"  {server.name} {name}: HTTP {status}: {body[:200]!r}", file=sys.stderr)
        results[f"{name}|size"] = answer_size(body, media) if status == 200 else None
        for clients in concurrency:
            results[f"{name}|{clients}"] = _report(server, name, clients, measure(server.port, server.path, [(q, accept) for q in queries], clients, seconds, timeout))
    if not only or "mix" in only:
        # The whole mix: each client sends the queries of the mix in turn (ask, point lookup, ...,
        # construct, then the next IRIs), each of its kind with its own Accept.
        rounds = [q for group in zip(*(cycle_to(m, max(map(len, mix))) for m in mix)) for q in group]
        for clients in concurrency:
            results[f"mix|{clients}"] = _report(server, "mix", clients, measure(server.port, server.path, rounds, clients, seconds, timeout))
    results["rss_mb"] = server.rss_mb()
    return results


def cycle_to(items: list, n: int) -> list:
    return [items[i % len(items)] for i in range(n)]


def _report(server: Server, name: str, clients: int, r: dict) -> dict:
    p50 = f"{r['p50_ms']:.1f}" if r["p50_ms"] is not None else "-"
    print(f"  {server.name:<8} {name:<13} c={clients}  {r['rps']:8.1f} rps  p50 {p50:>8} ms  "
          f"p99 {r['p99_ms'] or 0:8.1f} ms  errors {r['errors']}", flush=True)
    return r


def fetch(port: int, path: str, query: str, accept: str, timeout: float):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, (response.getheader("Content-Type") or "").split(";")[0].strip(), response.read()
    finally:
        conn.close()


def answer_size(body: bytes, media: str) -> str:
    """Rows, triples or the boolean of an answer: the servers must agree for the numbers to compare."""
    import pyoxigraph as ox

    try:
        if media in ("application/sparql-results+json", "application/json"):
            data = json.loads(body)
            return str(data["boolean"]).lower() if "boolean" in data else f"{len(data['results']['bindings'])} rows"
        fmt = ox.RdfFormat.from_media_type(media)
        return f"{len(list(ox.parse(body, fmt)))} triples ({media})" if fmt else f"? ({media})"
    except (ValueError, SyntaxError, KeyError) as exc:
        return f"unreadable {media}: {exc}"[:80]


def table(all_results: dict, concurrency: list[int]) -> str:
    names = list(all_results)
    ours = [n for n in names if n.startswith("vnkg")]
    others = [n for n in ("oxigraph", "rdflib") if n in all_results]
    ratio_heads = [f"{a} ÷ {b}" for a in ours for b in others]
    p99_heads = [f"{a} p99 ÷ oxigraph p99" for a in ours] if "oxigraph" in all_results else []
    lines = ["| query | clients | " + " | ".join(f"{n} rps | {n} p50 / p99 ms" for n in names) + " | " + " | ".join(ratio_heads + p99_heads) + " |",
             "|---|---|" + "---|---|" * len(names) + "---|" * (len(ratio_heads) + len(p99_heads))]
    sizes = []
    for query in [q for q in list(MIX) + ["mix"] if any(f"{q}|{concurrency[0]}" in r for r in all_results.values())]:
        answers = {n: all_results[n].get(f"{query}|size") for n in names}
        if query != "mix":
            sizes.append(f"- {query}: " + ", ".join(f"{n} {a}" for n, a in answers.items())
                     + ("" if len(set(answers.values())) == 1 else "  **(the answers differ)**"))
        for clients in concurrency:
            key = f"{query}|{clients}"
            cells = []
            for n in names:
                r = all_results[n].get(key)
                if not r or not r["requests"]:
                    cells += ["0", "–"]
                else:
                    cells += [f"{r['rps']:.1f}", f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}"]
            ratios = []
            for a in ours:
                for b in others:
                    ra, rb = all_results[a].get(key, {}).get("rps"), all_results[b].get(key, {}).get("rps")
                    ratios.append(f"{ra / rb:.2f}×" if ra and rb else "–")
            for a in ours if p99_heads else []:
                pa, pb = all_results[a].get(key, {}).get("p99_ms"), all_results["oxigraph"].get(key, {}).get("p99_ms")
                ratios.append(f"{pa / pb:.1f}×" if pa and pb else "–")
            lines.append(f"| {query} | {clients} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    return "\n".join(lines) + "\n\nSize of the first answer of each query:\n" + "\n".join(sizes)


def count_quads(port: int) -> int:
    status, body = request(port, "/sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", help="an existing vnkg store (copied: the run does not change it)")
    ap.add_argument("--articles", type=int, default=2400, help="articles to build a store from, without --store")
    ap.add_argument("--tools-venv", default="/tmp/benchvenv", help="virtualenv with oxigraph and rdflib-endpoint")
    ap.add_argument("--servers", default="vnkg,oxigraph,rdflib")
    ap.add_argument("--seconds", type=float, default=8.0, help="measuring time per query and concurrency")
    ap.add_argument("--rdflib-seconds", type=float, default=4.0)
    ap.add_argument("--concurrency", default="1,8")
    ap.add_argument("--queries", default=",".join(list(MIX) + ["mix"]), help="queries of the mix to run (comma separated; mix: all of them in turn)")
    ap.add_argument("--query-workers", type=int, default=2, help="vnkg's query worker processes")
    ap.add_argument("--threads", type=int, default=None, help="vnkg's server threads per process (default: vnkg serve's)")
    ap.add_argument("--processes", type=int, default=None, help="vnkg's server processes (default: vnkg serve's)")
    ap.add_argument("--timeout", type=float, default=120.0, help="client timeout per request (s)")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--client", choices=sorted(CLIENTS), default="raw", help="the measuring clients' HTTP code")
    args = ap.parse_args(argv)
    global CLIENT_KIND
    CLIENT_KIND = args.client
    concurrency = [int(c) for c in args.concurrency.split(",")]
    servers = args.servers.split(",")
    tools = Path(args.tools_venv) / "bin"
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        work = Path(tmp)
        if args.store:
            store = work / "store"
            shutil.copytree(args.store, store)
        else:
            print(f"building a store from the first {args.articles} articles ...", flush=True)
            store = build_store(args.articles, work)
        dump = work / "data.nq"
        subprocess.run([str(ROOT / ".venv" / "bin" / "vnkg"), "export", "--store", str(store), "--format", "nquads", "-o", str(dump)], check=True)
        iris = None
        for name in servers:
            port = free_port()
            if name in ("vnkg", "vnkg-waitress") or name.startswith(("vnkg-t", "vnkg-p")):
                # vnkg-tN: with N threads; vnkg-pN: N processes; vnkg-pN-tM: both
                options = dict(re.findall(r"-([tp])(\d+)", name))
                threads = options.get("t", args.threads)
                cmd = [str(ROOT / ".venv" / "bin" / "vnkg"), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
                       "--query-workers", str(args.query_workers), "--update-token", "bench"]
                cmd += ["--threads", str(threads)] if threads else []
                cmd += ["--processes", options.get("p", str(args.processes))] if "p" in options or args.processes else []
                cmd += ["--server", "waitress"] if name == "vnkg-waitress" else []
                server = Server(name, cmd, port, "/sparql")
            elif name == "bare" or name.startswith("bare-p"):
                # the reference: a bare Flask wrapper of pyoxigraph, under granian as vnkg;
                # bare-pN: with N worker processes, each with the store opened read-only
                procs = name[len("bare-p"):] if name.startswith("bare-p") else "1"
                cmd = [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                       "--workers", procs, "--blocking-threads", str(args.threads or 8), "--http", "1", "--working-dir", str(ROOT / "bench"), "bare_wrapper:app"]
                server = Server(name, cmd, port, "/query", env={**os.environ, "BARE_STORE": str(store)})
            elif name == "oxigraph":
                location = work / "oxigraph"
                subprocess.run([str(tools / "oxigraph"), "load", "--location", str(location), "--file", str(dump)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                cmd = [str(tools / "oxigraph"), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
                server = Server("oxigraph", cmd, port, "/query")
            elif name == "rdflib":
                cmd = [str(tools / "rdflib-endpoint"), "serve", str(dump), "--host", "127.0.0.1", "--port", str(port)]
                server = Server("rdflib", cmd, port, "/", ready_timeout=1800)
            else:
                raise SystemExit(f"unknown server {name}")
            try:
                if iris is None:
                    iris = sample(port) if name.startswith("vnkg") else sample_via_vnkg(store)
                    print(f"data: {count_quads(port) if name != 'rdflib' else '?'} quads; "
                          f"{len(iris['article'])} articles, {len(iris['agency'])} agencies, {len(iris['place'])} places sampled", flush=True)
                seconds = args.rdflib_seconds if name == "rdflib" else args.seconds
                results[name] = run_server(server, iris, seconds, concurrency, args.timeout, args.queries.split(","))
            finally:
                server.stop()
    print()
    print(table(results, concurrency))
    print()
    print("resident memory (MB, server and its children): " + ", ".join(f"{n} {r['rss_mb']:.0f}" for n, r in results.items()))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


def sample_via_vnkg(store: Path) -> dict[str, list[str]]:
    port = free_port()
    cmd = [str(ROOT / ".venv" / "bin" / "vnkg"), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)]
    server = Server("vnkg-sample", cmd, port, "/sparql")
    try:
        return sample(port)
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())

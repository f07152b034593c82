"""Blueprint ops: /health and /metrics; CORS and the cross-site write guard for the service.

/health   JSON: `ok`, the store (path, readable), this process's query workers (alive / wanted),
          writes since start, the process id; 200 when ok, else 503. `?deep=1` also runs `ASK {}` through a query worker.
/metrics  Prometheus text format (version 0.0.4): SPARQL queries answered by form and result
          format, errors by status, timeouts, busy rejections, truncated answers, updates and Graph
          Store requests by status, a histogram of query durations, queries in flight, workers
          alive, HTTP responses by status. When the server answers in several processes, each
          publishes its counts every PUBLISH_EVERY seconds to a directory they share
          (settings.metrics_dir, made by `vnkg serve`), and the process that answers /metrics adds
          the others' latest counts to its own: every scrape sees the whole server, the other
          processes' part at most PUBLISH_EVERY seconds old.

CORS (settings `cors`, `cors_origins`, `cors_updates`): reads — SPARQL queries, Graph Store GETs,
exports, the descriptions, health and metrics — carry `Access-Control-Allow-Origin` for the listed
origins (any, by default); updates and Graph Store writes only when `cors_updates` is on. Since a
browser sends a form POST or a multipart POST cross-site without asking first, a write whose
`Origin` is another site is refused (403) unless `cors_updates` lets that origin in: a web page
cannot drive a local anonymous-update server (or a token-holding proxy) behind its user's back.
"""

from __future__ import annotations

import bisect
import os
import pickle
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import Forbidden

from .state import state

bp = Blueprint("ops", __name__)

API_BLUEPRINTS = {"sparql", "store", "service", "export", "ops"}
EXPOSE = "Content-Type, Location, Retry-After, X-VNKG-Truncated"


# --- metrics --------------------------------------------------------------------------------------


class Metrics:
    """Counters and one histogram, kept in memory and written in Prometheus' text format."""

    BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
    HELP = {
        "vnkg_sparql_queries_total": ("counter", "SPARQL queries answered, by query form and result format"),
        "vnkg_sparql_query_errors_total": ("counter", "SPARQL queries not answered, by HTTP status"),
        "vnkg_sparql_query_timeouts_total": ("counter", "SPARQL queries stopped at the time limit"),
        "vnkg_sparql_busy_total": ("counter", "SPARQL queries turned away (503) because every worker and queue place was taken"),
        "vnkg_sparql_truncated_total": ("counter", "SPARQL answers cut at the row cap"),
        "vnkg_sparql_updates_total": ("counter", "SPARQL updates, by HTTP status"),
        "vnkg_sparql_update_timeouts_total": ("counter", "SPARQL updates stopped at the time limit (nothing written)"),
        "vnkg_graph_store_requests_total": ("counter", "Graph Store Protocol requests, by method and HTTP status"),
        "vnkg_http_responses_total": ("counter", "HTTP responses, by status"),
        "vnkg_sparql_query_duration_seconds": ("histogram", "time to answer a SPARQL query (answered or not)"),
    }

    PUBLISH_EVERY = 1.0  # seconds between two publications of a process's counts (several processes)

    def __init__(self, directory: str = "", gauges=None):
        # Each thread counts in a shard of its own, so that counting takes no lock: a shared lock,
        # taken five times per query by a dozen server threads, was a tenth of the web process'
        # time on a point lookup. `render` adds the shards up; a shard whose thread has ended is
        # folded into `_done` then (servers end idle threads and start new ones).
        self._lock = threading.Lock()
        self._local = threading.local()
        self._shards: list[tuple[threading.Thread, _Shard]] = []
        self._done = _Shard()
        self.started = time.time()
        # gauges() -> {name: value}: this process's gauges that add up across processes
        self._gauges = gauges or (lambda: {})
        self._dir = Path(directory) if directory else None
        if self._dir is not None:
            self._dir.mkdir(parents=True, exist_ok=True)
            threading.Thread(target=self._publish_forever, name="vnkg-metrics", daemon=True).start()

    # --- several processes: each publishes its counts, the one scraped adds them up ---

    def _publish_forever(self) -> None:
        while True:
            time.sleep(self.PUBLISH_EVERY)
            try:
                self.publish()
            except Exception:  # a full disk must not stop the counting; the next round retries
                pass

    def publish(self) -> None:
        total = self._total()
        data = pickle.dumps((total.counters, total.hist, total.hist_sum, total.in_flight, self._gauges(), self.started))
        tmp = self._dir / f".{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self._dir / f"{os.getpid()}.metrics")  # readers see the old or the new, whole

    def _others(self) -> list[tuple[_Shard, dict, float]]:
        """The latest counts of the other processes (a process that has ended still counts, its
        gauges no longer)."""
        if self._dir is None:
            return []
        found = []
        for path in self._dir.glob("*.metrics"):
            if not path.stem.isdigit() or int(path.stem) == os.getpid():
                continue  # not a process's counts (a shared directory may hold other files), or ours
            pid = int(path.stem)
            try:
                counters, hist, hist_sum, in_flight, gauges, started = pickle.loads(path.read_bytes())
            except (OSError, EOFError, pickle.UnpicklingError, ValueError):
                continue
            shard = _Shard()
            shard.counters, shard.hist, shard.hist_sum = counters, hist, hist_sum
            alive = _alive(pid)
            shard.in_flight = in_flight if alive else 0
            found.append((shard, gauges if alive else {}, started))
        return found

    def _shard(self) -> "_Shard":
        try:
            return self._local.shard
        except AttributeError:
            shard = self._local.shard = _Shard()
            with self._lock:
                self._shards.append((threading.current_thread(), shard))
            return shard

    def inc(self, name: str, by: float = 1, **labels) -> None:
        key = (name, tuple(sorted(labels.items())) if labels else ())
        counters = self._shard().counters
        counters[key] = counters.get(key, 0) + by

    def observe(self, seconds: float) -> None:
        shard = self._shard()
        shard.hist_sum += seconds
        shard.hist[bisect.bisect_left(self.BUCKETS, seconds)] += 1

    def flight(self, delta: int) -> None:
        self._shard().in_flight += delta

    def _total(self) -> "_Shard":
        total = _Shard()
        with self._lock:
            live = []
            for thread, shard in self._shards:
                if thread.is_alive():
                    live.append((thread, shard))
                else:
                    self._done.add(shard)
            self._shards = live
            for shard in [self._done] + [shard for _, shard in live]:
                total.add(shard)
        return total

    @property
    def in_flight(self) -> int:
        return self._total().in_flight

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        """The text format: counters of every process; of `gauges` (name: (help, value)), those
        that this process's `gauges()` names are added up across processes."""
        lines: list[str] = []
        total = self._total()
        own = self._gauges()
        summed = dict(own)
        started = self.started
        for shard, theirs, their_start in self._others():
            total.add(shard)
            started = min(started, their_start)
            for name, value in theirs.items():
                summed[name] = summed.get(name, 0) + value
        gauges = {name: (help_, summed.get(name, value)) for name, (help_, value) in gauges.items()}
        if "vnkg_start_time_seconds" in gauges:
            gauges["vnkg_start_time_seconds"] = (gauges["vnkg_start_time_seconds"][0], started)
        gauges = {"vnkg_sparql_queries_in_flight": ("SPARQL queries running or waiting for a worker", total.in_flight), **gauges}
        counters: dict[str, dict[tuple, float]] = defaultdict(dict)
        for (name, labels), value in total.counters.items():
            counters[name][labels] = value
        for name, (kind, help_) in self.HELP.items():
            lines += [f"# HELP {name} {help_}", f"# TYPE {name} {kind}"]
            if kind == "histogram":
                cumulative = 0
                for bound, n in zip(self.BUCKETS, total.hist):
                    cumulative += n
                    lines.append(f'{name}_bucket{{le="{bound:g}"}} {cumulative}')
                count = sum(total.hist)
                lines += [f'{name}_bucket{{le="+Inf"}} {count}', f"{name}_sum {total.hist_sum:.6f}", f"{name}_count {count}"]
                continue
            series = counters.get(name) or ({} if _labelled(name) else {(): 0.0})
            for labels, value in sorted(series.items()):
                lines.append(f"{name}{_labels(labels)} {_number(value)}")
        for name, (help_, value) in gauges.items():
            lines += [f"# HELP {name} {help_}", f"# TYPE {name} gauge", f"{name} {_number(value)}"]
        return "\n".join(lines) + "\n"


class _Shard:
    """One thread's counts: counters by (name, labels), the histogram (per bucket, the last one
    past the largest bound), queries in flight."""

    __slots__ = ("counters", "hist", "hist_sum", "in_flight")

    def __init__(self):
        self.counters: dict[tuple, float] = {}
        self.hist = [0] * (len(Metrics.BUCKETS) + 1)
        self.hist_sum = 0.0
        self.in_flight = 0

    def add(self, other: "_Shard") -> None:
        for key, value in list(other.counters.items()):
            self.counters[key] = self.counters.get(key, 0) + value
        self.hist = [a + b for a, b in zip(self.hist, other.hist)]
        self.hist_sum += other.hist_sum
        self.in_flight += other.in_flight


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _labelled(name: str) -> bool:
    return name in ("vnkg_sparql_queries_total", "vnkg_sparql_query_errors_total", "vnkg_sparql_updates_total",
                    "vnkg_graph_store_requests_total", "vnkg_http_responses_total")


def _labels(labels: tuple) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def metrics() -> Metrics:
    return current_app.extensions["vnkg-metrics"]


# --- routes ---------------------------------------------------------------------------------------


@bp.route("/health", methods=["GET", "HEAD"])
def health():
    st = state()
    settings = st.settings
    report: dict = {"store": {"path": settings.store, "readable": False}, "workers": {}, "writes": st.writes,
                    "process": os.getpid()}
    try:
        next(iter(st.store.quads_for_pattern(None, None, None)), None)
        report["store"]["readable"] = True
    except Exception as exc:  # report it; never a 500 from the health check
        report["store"]["error"] = f"{type(exc).__name__}: {exc}"
    alive, wanted = st.queries.alive()
    report["workers"] = {"alive": alive, "wanted": wanted}
    ok = report["store"]["readable"] and alive >= wanted
    if request.args.get("deep") and ok:
        from kg.querying import QueryError, QueryRequest

        try:
            st.queries.run(QueryRequest("ASK {}"), timeout=5.0)
            report["workers"]["query"] = "ok"
        except QueryError as exc:
            report["workers"]["query"] = exc.message
            ok = False
    report["ok"] = bool(ok)
    response = jsonify(report)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/metrics", methods=["GET"])
def prometheus():
    st = state()
    m = metrics()
    gauges = {  # the workers' counts come from every process's gauges() (Metrics.render adds them)
        "vnkg_query_workers_alive": ("query worker processes alive", 0),
        "vnkg_query_workers": ("query worker processes wanted", 0),
        "vnkg_store_writes": ("writes (updates, Graph Store writes) since the server started", st.writes),
        "vnkg_start_time_seconds": ("when the server started (Unix time)", m.started),
    }
    response = Response(m.render(gauges), content_type="text/plain; version=0.0.4; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


# --- CORS and the write guard ---------------------------------------------------------------------


def is_write() -> bool:
    if g.get("vnkg_update"):
        return True
    if request.method == "OPTIONS":
        wanted = request.headers.get("Access-Control-Request-Method", "").upper()
        return wanted in ("PUT", "DELETE", "PATCH") or (request.blueprint == "store" and wanted == "POST") or request.path.rstrip("/") == "/update"
    return False


def _origin_allowed(origin: str, settings) -> bool:
    return "*" in settings.cors_origins or origin in settings.cors_origins


def check_write_origin() -> None:
    """Refuse a write sent by a page of another site, unless CORS for updates lets it in."""
    origin = request.headers.get("Origin")
    if not origin:
        return
    settings = current_app.config["SETTINGS"]
    if urlsplit(origin).netloc == request.host:
        return
    if settings.cors and settings.cors_updates and _origin_allowed(origin, settings):
        return
    raise Forbidden(f"updates from pages of another site ({origin}) are not accepted (set cors_updates to allow them)")


def cors(response: Response) -> Response:
    if request.blueprint not in API_BLUEPRINTS:
        return response
    settings = current_app.config["SETTINGS"]
    for name, value in cors_headers(settings, request.headers.get("Origin"), is_write(), request.method == "OPTIONS"):
        if name == "Vary":
            response.vary.add(value)
        else:
            response.headers[name] = value
    return response


def cors_headers(settings, origin: str | None, write: bool, preflight: bool) -> list[tuple[str, str]]:
    """The CORS headers of an answer to an API request (also used by server.fastpath)."""
    if not settings.cors or (write and not settings.cors_updates):
        return []
    if "*" in settings.cors_origins:
        headers = [("Access-Control-Allow-Origin", "*")]
    elif origin and origin in settings.cors_origins:
        headers = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    else:
        return []
    headers.append(("Access-Control-Expose-Headers", EXPOSE))
    if preflight:
        methods = "GET, HEAD, POST, OPTIONS" + (", PUT, DELETE" if settings.cors_updates else "")
        allowed = "Accept, Content-Type" + (", Authorization" if settings.cors_updates else "")
        headers += [
            ("Access-Control-Allow-Methods", methods),
            ("Access-Control-Allow-Headers", allowed),
            ("Access-Control-Max-Age", "86400"),
        ]
    return headers


def count_response(response: Response) -> Response:
    m = current_app.extensions.get("vnkg-metrics")
    if m is not None:
        m.inc("vnkg_http_responses_total", status=str(response.status_code))
        if request.blueprint == "store" and request.method != "OPTIONS":
            m.inc("vnkg_graph_store_requests_total", method=request.method, status=str(response.status_code))
    return response


def _worker_gauges(st) -> dict[str, float]:
    runner = st._queries
    alive, wanted = runner.alive() if runner is not None else (0, st.settings.query_workers)
    return {"vnkg_query_workers_alive": alive, "vnkg_query_workers": wanted}


def register(app: Flask) -> None:
    st = app.extensions["vnkg"]
    app.extensions["vnkg-metrics"] = Metrics(app.config["SETTINGS"].metrics_dir, gauges=lambda: _worker_gauges(st))
    app.after_request(cors)
    app.after_request(count_response)

"""Safe query execution: a time limit that really stops a query, a row cap, bounded concurrency.

pyoxigraph has no time limit of its own and a running query cannot be interrupted, so queries run in
a pool of worker processes (`QueryPool`). Each worker opens the store with `Store.read_only` and
answers one request at a time over a pipe; the parent waits for the answer at most the time limit,
and on timeout kills that worker (SIGKILL: a read-only store has nothing to lose), starts a fresh one
in its place and raises `QueryTimeout`. Workers see fresh data: every request carries the store's
count of writes (`kg.sharing`: whoever writes the store adds to it, in any process), and a worker
reopens its read-only store when the count moved or its view is older than `REOPEN_AFTER` seconds
(a fallback for writers that do not count). Reopening costs about 10 ms and starts the view with
a cold block cache, so it is not done when nothing was written.

One kind of query skips the workers: a query about one resource (`one_resource`: one triple
pattern with a fixed subject, or DESCRIBE of one IRI) is answered on the web process's own view,
because the row cap bounds the work its streamed answer can cost (see the section below).

Concurrency is bounded: at most `workers + queue` requests are admitted; the rest get `Busy`
(HTTP 503 with Retry-After). Admitted requests wait for an idle worker, first come, first served.
A request waits in a thread (`QueryPool.run`) or, on an event loop, without holding one
(`QueryPool.arun`, used by server.asgi): both follow the same steps (`QueryPool._running`), which
say what they wait for and leave the waiting to their caller.

Results are serialised by pyoxigraph in the worker, never row by row in Python. The row cap works
on pyoxigraph's own line-based output: solutions are written as TSV and triples as N-Triples (one
row / triple per line) into a writer that stops the serialisation after `max_rows` lines; the kept
lines are parsed back by pyoxigraph and written in the requested format. An answer that was cut
says so (`QueryAnswer.truncated`); in SPARQL JSON results the body also carries a top-level
`"vnkg:truncated": true`, in SPARQL XML results a `<link href="https://w3id.org/vnkg/def/core#truncated"/>`
in the head, and in N-Triples / Turtle a closing comment line.

Workers are started with multiprocessing's "spawn" method, which imports the parent's main module
in each worker: a script that starts the server itself must keep its top-level code under
`if __name__ == "__main__":` (the `vnkg` command does).

A store without a path (in-memory, for tests) cannot be opened by another process; `LocalRunner`
then runs queries in the calling thread, with the same answers but without a time limit.

The default graph is the union of all graphs, unless the request names graphs
(`default_graph` / `named_graphs`, the protocol's default-graph-uri / named-graph-uri) or the query
has its own FROM / FROM NAMED.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import dataclasses
import multiprocessing
import os
import pickle
import queue
import re
import select
import threading
import time
import weakref
from dataclasses import dataclass, field

import pyoxigraph as ox

from .sharing import REOPEN_AFTER, MemoryStore, SharedStore, forget_frames, open_view

STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to import and say it is ready
TRUNCATED_IRI = "https://w3id.org/vnkg/def/core#truncated"

# name -> (pyoxigraph format, media type); the names are the `format=` values of the service.
RESULT_FORMATS: dict[str, tuple[ox.QueryResultsFormat, str]] = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
}


# --- errors ---------------------------------------------------------------------------------------


class QueryError(Exception):
    """A query that could not be answered; `status` is the HTTP status that fits."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuerySyntaxError(QueryError):
    status = 400


class QueryTimeout(QueryError):
    status = 503


class Busy(QueryError):
    status = 503
    retry_after = 2


class NotAcceptable(QueryError):
    status = 406


class QueryFailed(QueryError):
    status = 500


class UpdateRefused(QueryError):
    """An update the store's state rules out: CREATE of a graph that exists, DROP / CLEAR / MOVE /
    COPY of one that does not (SILENT makes these no-ops)."""

    status = 400


# the errors by name, as worker processes report them
ERRORS = {cls.__name__: cls for cls in (QueryError, QuerySyntaxError, QueryTimeout, Busy, NotAcceptable, QueryFailed, UpdateRefused)}
# what pyoxigraph says (as a RuntimeError) for an update the store's state rules out
_REFUSED_UPDATE = re.compile(r"The graph \S+ (?:does not exist|already exists)")


# --- requests and answers -------------------------------------------------------------------------


@dataclass
class QueryRequest:
    query: str
    default_graph: list[str] | None = None  # IRIs; None: not given
    named_graphs: list[str] | None = None
    union: bool = True  # default graph = union of all graphs, when no graph is named
    results_format: str | None = "json"  # for SELECT / ASK; None: the client accepts none
    graph_format: str | None = "turtle"  # for CONSTRUCT / DESCRIBE
    max_rows: int = 10000
    prefixes: dict[str, str] = field(default_factory=dict)  # for Turtle / TriG / RDF/XML output
    base_iri: str | None = None
    retry: bool = True  # may a worker retry once on a fresh view after a failure (not for SERVICE)


@dataclass
class QueryAnswer:
    kind: str  # "solutions", "boolean" or "graph"
    format: str  # a key of RESULT_FORMATS or GRAPH_FORMATS
    media_type: str
    body: bytes
    truncated: bool = False
    count: int | None = None  # rows or triples returned (None for ASK)


# --- execution (in a worker, or in-process) -------------------------------------------------------


class _Enough(Exception):
    """Raised from inside a serialisation to stop it once the cap is reached."""


class _LineCap:
    """A binary writer that keeps the first `limit` lines and stops the writer after them."""

    def __init__(self, limit: int):
        self.limit = limit
        self.buf = bytearray()
        self.lines = 0
        self.cut = False

    def write(self, data) -> int:
        data = bytes(data)
        self.buf += data
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            end = -1
            for _ in range(self.limit):
                end = self.buf.index(b"\n", end + 1)
            del self.buf[end + 1 :]
            self.lines = self.limit
            self.cut = True
            raise _Enough()
        return len(data)

    def flush(self) -> None:
        pass


def _capped(write, limit: int) -> _LineCap:
    out = _LineCap(limit)
    try:
        write(out)
    except _Enough:
        pass
    except Exception:
        if not out.cut:
            raise
    return out


def _dataset_kwargs(req: QueryRequest) -> dict:
    if req.default_graph is not None or req.named_graphs is not None:
        try:
            return {
                "default_graph": [ox.NamedNode(g) for g in req.default_graph or []],
                "named_graphs": [ox.NamedNode(g) for g in req.named_graphs] if req.named_graphs is not None else None,
            }
        except ValueError as exc:
            raise QuerySyntaxError(f"invalid graph IRI: {exc}") from exc
    return {"use_default_graph_as_union": req.union}


def execute(store: ox.Store, req: QueryRequest) -> QueryAnswer:
    """Run one query on `store` and serialise its answer; raises QueryError subclasses."""
    try:
        return _execute(store, req)
    except QueryError as exc:
        # The frames in its traceback hold the query's solutions, which pyoxigraph lets go only in
        # the thread that made them: let them go now, not when the exception is collected, maybe
        # in another thread (where they would be leaked with a RuntimeError).
        raise forget_frames(exc) from None


def _execute(store: ox.Store, req: QueryRequest) -> QueryAnswer:
    try:
        result = store.query(req.query, base_iri=req.base_iri, **_dataset_kwargs(req))
        if isinstance(result, ox.QueryBoolean):
            fmt = _need(req.results_format, "an ASK query", RESULT_FORMATS)
            body = result.serialize(format=RESULT_FORMATS[fmt][0])
            return QueryAnswer("boolean", fmt, RESULT_FORMATS[fmt][1], body)
        if isinstance(result, ox.QuerySolutions):
            fmt = _need(req.results_format, "a SELECT query", RESULT_FORMATS)
            return _solutions(result, fmt, req.max_rows)
        fmt = _need(req.graph_format, "a CONSTRUCT or DESCRIBE query", GRAPH_FORMATS)
        return _triples(result, fmt, req)
    except QueryError:
        raise
    except SyntaxError as exc:
        raise QuerySyntaxError(f"the query is not valid SPARQL: {exc.msg or exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryFailed(f"the query failed: {exc}") from None


def _need(fmt: str | None, what: str, table: dict) -> str:
    if fmt is None or fmt not in table:
        offered = ", ".join(media for _, media in table.values())
        raise NotAcceptable(f"the answer to {what} can be given as {offered}; the request accepts none of these")
    return fmt


def _solutions(result: ox.QuerySolutions, fmt: str, max_rows: int) -> QueryAnswer:
    # TSV: a header line, then exactly one line per solution (literals escape their newlines).
    cap = _capped(lambda out: result.serialize(out, ox.QueryResultsFormat.TSV), max_rows + 1)
    tsv = bytes(cap.buf)
    count = max(cap.lines - 1, 0)
    if fmt == "tsv":
        body = tsv
    else:
        body = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=RESULT_FORMATS[fmt][0])
    if cap.cut:
        body = _mark_results(body, fmt)
    return QueryAnswer("solutions", fmt, RESULT_FORMATS[fmt][1], body, cap.cut, count)


def _mark_results(body: bytes, fmt: str) -> bytes:
    if fmt == "json" and body.startswith(b"{"):
        return b'{"vnkg:truncated":true,' + body[1:]
    if fmt == "xml":
        return body.replace(b"</head>", f'<link href="{TRUNCATED_IRI}"/></head>'.encode(), 1)
    return body


def _triples(result: ox.QueryTriples, fmt: str, req: QueryRequest) -> QueryAnswer:
    cap = _capped(lambda out: result.serialize(out, ox.RdfFormat.N_TRIPLES), req.max_rows)
    nt = bytes(cap.buf)
    rdf_format, media = GRAPH_FORMATS[fmt]
    if fmt == "ntriples":
        body = nt
    else:
        triples = ox.parse(nt, ox.RdfFormat.N_TRIPLES)
        if rdf_format.supports_datasets and fmt != "jsonld":
            triples = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        try:
            body = ox.serialize(triples, format=rdf_format, prefixes=req.prefixes or None)
        except (ValueError, OSError) as exc:  # what the format cannot say (JSON-LD: RDF 1.2 triple terms)
            offered = ", ".join(m for f, (_, m) in GRAPH_FORMATS.items() if f != fmt)
            raise NotAcceptable(f"the answer cannot be given as {media}: {exc}; ask for one of {offered}") from None
    if cap.cut and fmt in ("ntriples", "turtle", "nquads", "trig"):
        body += f"# vnkg: truncated to the first {req.max_rows} triples\n".encode()
    return QueryAnswer("graph", fmt, media, body, cap.cut, cap.lines)


# --- queries about one resource, answered where they arrive -----------------------------------------
#
# A query that reads one triple pattern with a fixed subject (its properties: SELECT, ASK,
# CONSTRUCT) or DESCRIBEs one IRI streams its answer: Oxigraph produces it row by row, and the row
# cap stops the serialisation after `max_rows` rows — the work done is bounded by the cap, so it
# cannot run away. Such a query is answered in the web process, without the hop to a worker
# process that a time limit otherwise costs (~150 µs, most of a point lookup: bench/README.md).
# DISTINCT / REDUCED / ORDER BY / OFFSET, which may read far more rows than they return, and
# anything else go to the workers.
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_NAME = r"[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*"
_VAR = r"[?$]\w+"
_PATTERN = rf"{_IRI}\s+(?:{_VAR}|{_IRI}|{_NAME}|a)\s+(?:{_VAR}|{_IRI}|{_NAME})\s*\.?"
_ANY_PATTERN = rf"(?:{_VAR}|{_IRI}|{_NAME})\s+(?:{_VAR}|{_IRI}|{_NAME}|a)\s+(?:{_VAR}|{_IRI}|{_NAME})\s*\.?"
ONE_RESOURCE = re.compile(
    rf"\s*(?:(?:PREFIX\s+(?:[A-Za-z][\w.-]*)?:\s*{_IRI}|BASE\s*{_IRI})\s*)*(?:"
    rf"SELECT\s+(?:\*|{_VAR}(?:\s+{_VAR})*)\s*(?:WHERE\s*)?\{{\s*{_PATTERN}\s*\}}"
    rf"|ASK\s*(?:WHERE\s*)?\{{\s*{_PATTERN}\s*\}}"
    rf"|CONSTRUCT\s*\{{\s*{_ANY_PATTERN}\s*\}}\s*WHERE\s*\{{\s*{_PATTERN}\s*\}}"
    rf"|CONSTRUCT\s+WHERE\s*\{{\s*{_PATTERN}\s*\}}"
    rf"|DESCRIBE\s+{_IRI}"
    rf")(?:\s*LIMIT\s+\d+)?\s*",
    re.IGNORECASE,
)


def one_resource(query: str) -> bool:
    """Is this a query about one resource that the row cap bounds (see above)?"""
    return len(query) < 4096 and ONE_RESOURCE.fullmatch(query) is not None


def run_update(store: ox.Store, update: str, base_iri: str | None = None) -> None:
    """Run a SPARQL Update in this process (the writer); errors as QueryError subclasses."""
    try:
        store.update(update, base_iri=base_iri)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"the update is not valid SPARQL: {exc.msg or exc}") from None
    except RuntimeError as exc:
        if _REFUSED_UPDATE.fullmatch(str(exc)):
            raise UpdateRefused(f"the update is refused: {exc} (with SILENT that is not an error); nothing was changed") from None
        raise QueryFailed(f"the update failed: {exc}") from None
    except (OSError, ValueError) as exc:
        raise QueryFailed(f"the update failed: {exc}") from None


# --- runners --------------------------------------------------------------------------------------


class LocalRunner:
    """Runs queries in the calling thread: for in-memory stores; no time limit, no kill."""

    def __init__(self, store: ox.Store, *, timeout: float = 10.0, max_rows: int = 10000):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows

    def run(self, req: QueryRequest, timeout: float | None = None) -> QueryAnswer:
        return execute(self.store, req)

    async def arun(self, req: QueryRequest, timeout: float | None = None) -> QueryAnswer:
        return execute(self.store, req)

    def alive(self) -> tuple[int, int]:
        """(workers alive, workers wanted): in-process, always (1, 1)."""
        return 1, 1

    def close(self) -> None:
        pass


class _Worker:
    """One worker process and its end of the pipe: raw length-prefixed messages (`_pack` /
    `_unpack`), and a poll object made once (multiprocessing's own `poll` builds a selector per call)."""

    def __init__(self, ctx, path: str):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child, path, os.getpid()), daemon=True, name="vnkg-query")
        self.process.start()
        child.close()
        self.ready = False
        self._poll = select.poll()
        self._poll.register(self.conn.fileno(), select.POLLIN)

    def wait(self, seconds: float) -> bool:
        """Is there something to read (an answer, or EOF) within `seconds`?"""
        return bool(self._poll.poll(max(0, int(seconds * 1000))))

    def kill(self) -> None:
        try:
            self.process.kill()
        except Exception:
            pass
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send_bytes(_STOP)
        except (OSError, ValueError):
            pass
        self.process.join(1)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


# Messages on a worker's pipe are pickled tuples of plain values (a dataclass costs a class lookup
# and a __dict__ to pickle; per query that was a tenth of the pipe's cost).
_STOP = b"stop"
_REQUEST_FIELDS = tuple(f.name for f in dataclasses.fields(QueryRequest))


def _pack(generation: int, req: QueryRequest) -> bytes:
    return pickle.dumps((generation,) + tuple(getattr(req, name) for name in _REQUEST_FIELDS), pickle.HIGHEST_PROTOCOL)


def _unpack(message: bytes) -> tuple[int, QueryRequest]:
    values = pickle.loads(message)
    return values[0], QueryRequest(*values[1:])


def _pack_answer(a: QueryAnswer) -> bytes:
    return pickle.dumps(("ok", a.kind, a.format, a.media_type, a.body, a.truncated, a.count), pickle.HIGHEST_PROTOCOL)


def _pack_error(name: str, message: str) -> bytes:
    return pickle.dumps(("error", name, message), pickle.HIGHEST_PROTOCOL)


class _Slots:
    """A counting semaphore that never blocks: `acquire(blocking=False)` and `release`."""

    def __init__(self, n: int):
        self._tokens: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(n):
            self._tokens.put(None)

    def acquire(self, blocking: bool = False) -> bool:
        try:
            self._tokens.get(blocking)
            return True
        except queue.Empty:
            return False

    def release(self) -> None:
        self._tokens.put(None)


class _IdleWorkers:
    """Idle workers, and the requests waiting for one, served first come, first served.

    A waiter is a thread (`wait`) or a task on an event loop (`await_one`); a worker put back goes
    straight to the oldest waiter. (A queue that wakes its waiters in no set order let some queries
    wait for ten others while the rest went through: with 8 clients on 2 workers the slowest
    aggregation took 16× Oxigraph's.)"""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiters: collections.deque = collections.deque()  # callables that take a worker

    def get_nowait(self) -> _Worker | None:
        with self._lock:
            return self._idle.popleft() if self._idle else None

    def put(self, worker: _Worker) -> None:
        with self._lock:
            give = self._waiters.popleft() if self._waiters else None
            if give is None:
                self._idle.append(worker)
        if give is not None:
            give(worker)

    def qsize(self) -> int:
        return len(self._idle)

    def wait(self, seconds: float) -> _Worker:
        """The next idle worker for this thread, within `seconds`; else Busy."""
        got: list[_Worker] = []
        ready = threading.Event()

        def give(worker):
            got.append(worker)
            ready.set()

        with self._lock:
            if self._idle:
                return self._idle.popleft()
            self._waiters.append(give)
        if not ready.wait(seconds):
            with self._lock:
                if give in self._waiters:
                    self._waiters.remove(give)
                    raise _busy()
            ready.wait()  # given one just as the time ran out: it is on its way
        return got[0]

    async def await_one(self, loop, seconds: float) -> _Worker:
        """`wait` for a task on `loop`, without holding its thread."""
        future = loop.create_future()

        def arrived(worker):
            if future.done():  # nobody waits for it any more (timed out, or cancelled): pass it on
                self.put(worker)
            else:
                future.set_result(worker)

        def give(worker):
            loop.call_soon_threadsafe(arrived, worker)

        with self._lock:
            if self._idle:
                return self._idle.popleft()
            self._waiters.append(give)
        try:
            return await asyncio.wait_for(future, seconds)
        except BaseException as exc:  # the time ran out, or the task was cancelled
            with self._lock:
                if give in self._waiters:
                    self._waiters.remove(give)
            if isinstance(exc, TimeoutError):
                raise _busy() from None
            raise


def _busy() -> "Busy":
    return Busy("the server is busy: no query worker became free; try again shortly")


class QueryPool:
    """Worker processes that run queries on a store directory, each stopped at the time limit."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        workers: int = 2,
        queue_size: int = 16,
        timeout: float = 10.0,
        start_method: str = "spawn",
        shared: SharedStore | None = None,
    ):
        self.path = os.fspath(path)
        # the web process's own view of the store (queries about one resource are answered on
        # it) and the store's count of writes
        self.shared = shared
        self.timeout = timeout
        self.size = max(1, workers)
        self._ctx = multiprocessing.get_context(start_method)
        # SimpleQueue (C) rather than Queue / Semaphore (Python, on a Condition): with a dozen
        # server threads waiting for two workers, waking a waiter through a Condition cost more
        # GIL hand-offs than the rest of a point lookup.
        self._idle = _IdleWorkers()
        self._slots = _Slots(self.size + max(0, queue_size))
        self._waiters = max(0, queue_size)
        self._lock = threading.Lock()
        self._closed = False
        self._all: set[_Worker] = set()
        for _ in range(self.size):
            self._idle.put(self._start())
        # Daemonic children are killed at exit anyway; this also closes them on a normal shutdown.
        ref = weakref.ref(self)
        atexit.register(lambda: ref() and ref().close())

    @property
    def generation(self) -> int:
        """The store's count of writes, which the workers compare with their view's."""
        return self.shared.generation if self.shared is not None else 0

    def alive(self) -> tuple[int, int]:
        """(worker processes alive, workers wanted); a killed worker is replaced at once."""
        with self._lock:
            workers = list(self._all)
        return sum(1 for w in workers if w.process.is_alive()), self.size

    def run(self, req: QueryRequest, timeout: float | None = None) -> QueryAnswer:
        """Answer `req` within the time limit (the smaller of `timeout` and the pool's)."""
        return _drive(self._running(req, timeout), self._idle.wait, lambda worker, seconds: worker.wait(seconds))

    async def arun(self, req: QueryRequest, timeout: float | None = None) -> QueryAnswer:
        """`run` for an event loop: waiting for a worker or its answer does not hold the thread."""
        loop = asyncio.get_running_loop()
        steps = self._running(req, timeout)
        try:
            need = next(steps)
            while True:
                try:
                    if need[0] == "worker":
                        got = await self._idle.await_one(loop, need[1])
                    else:
                        got = await _readable(loop, need[1], need[2])
                except BaseException as exc:  # Busy, or cancelled (the client went away)
                    steps.throw(exc)  # the steps let go of their slot and worker, and raise it again
                    raise
                need = steps.send(got)
        except StopIteration as stop:
            return stop.value

    # The steps of a query, shared by `run` and `arun`: a generator that yields what it waits for —
    # ("worker", seconds): an idle worker, when none is idle now; ("answer", worker, seconds):
    # whether the worker has something to read within `seconds` — and returns the answer.

    def _running(self, req: QueryRequest, timeout: float | None):
        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        if self._closed:
            raise QueryFailed("the query service is shutting down")
        if not self._slots.acquire(blocking=False):
            raise Busy(f"the server is busy ({self.size} queries running and {self._waiters} waiting); try again shortly")
        try:
            if self.shared is not None and one_resource(req.query):
                return execute(self.shared.view(), req)
            worker = self._idle.get_nowait()
            if worker is None:
                # Every query ahead finishes or is stopped within the limit, so this wait is bounded.
                worker = yield "worker", self.timeout * (1 + self._waiters / self.size) + STARTUP_TIMEOUT
            # Died while idle (killed from outside): replace it quietly. A ready worker has nothing
            # to say between queries, so anything to read is its EOF.
            if worker.wait(0) if worker.ready else not worker.process.is_alive():
                worker = self._replace(worker)
            # `held[0]` is the worker to put back: `_asking` swaps in a fresh one when it kills one.
            held = [worker]
            try:
                return (yield from self._asking(held, req, limit))
            finally:
                self._idle.put(held[0])
        finally:
            self._slots.release()

    def _asking(self, held: list, req: QueryRequest, limit: float):
        worker = held[0]
        try:
            if not worker.ready:
                if not (yield "answer", worker, STARTUP_TIMEOUT):
                    raise EOFError("no ready message")
                worker.conn.recv_bytes()
                worker.ready = True
            worker.conn.send_bytes(_pack(self.generation, req))
            answered = yield "answer", worker, limit
            reply = pickle.loads(worker.conn.recv_bytes()) if answered else None
        except (EOFError, OSError):
            held[0] = self._replace(worker)
            raise QueryFailed("the query worker stopped unexpectedly; the query was not answered") from None
        except BaseException:
            # Abandoned while the worker works (the waiting was cancelled: the client went away):
            # its answer would be read by the next query, so it is stopped and replaced.
            held[0] = self._replace(worker)
            raise
        if reply is None:
            held[0] = self._replace(worker)
            raise QueryTimeout(
                f"the query was stopped after the time limit of {limit:g} s; "
                "narrow it (LIMIT, more specific patterns) and try again"
            )
        if reply[0] == "ok":
            return QueryAnswer(*reply[1:])
        _, name, message = reply
        raise ERRORS.get(name, QueryFailed)(message)

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.path)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> _Worker:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        return self._start()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


def _drive(steps, take_worker, readable):
    """Run the steps of `QueryPool._running` in this thread, blocking where they wait."""
    try:
        need = next(steps)
        while True:
            try:
                got = take_worker(need[1]) if need[0] == "worker" else readable(need[1], need[2])
            except BaseException as exc:  # Busy, or interrupted
                steps.throw(exc)  # the steps let go of their slot and worker, and raise it again
                raise
            need = steps.send(got)
    except StopIteration as stop:
        return stop.value


async def _readable(loop, worker: _Worker, seconds: float) -> bool:
    """Has `worker` something to read (an answer, or EOF) within `seconds`? Waits on the loop."""
    if worker.wait(0):
        return True
    ready = loop.create_future()
    fd = worker.conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        return await asyncio.wait_for(ready, max(0.0, seconds))
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


def make_runner(shared: SharedStore | MemoryStore, *, workers: int, queue_size: int, timeout: float, max_rows: int):
    """A QueryPool over a store on disk, or a LocalRunner over an in-memory one."""
    if isinstance(shared, MemoryStore):
        return LocalRunner(shared.store, timeout=timeout, max_rows=max_rows)
    return QueryPool(shared.path, workers=workers, queue_size=queue_size, timeout=timeout, shared=shared)


# --- the worker process ---------------------------------------------------------------------------


def _open_read_only(path: str) -> ox.Store:
    try:
        return open_view(path)
    except OSError as exc:
        raise QueryFailed(str(exc)) from None


def exit_with_parent(parent_pid: int) -> None:
    """Exit this worker when its parent is gone: one busy with a runaway query or update does not
    read its pipe, so it would not see the pipe close."""

    def watchdog():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watchdog, daemon=True, name="vnkg-watchdog").start()


def _worker_main(conn, path: str, parent_pid: int) -> None:
    """Answer requests from the parent until it sends None or goes away."""
    exit_with_parent(parent_pid)
    store = None
    generation = None
    opened = 0.0
    conn.send_bytes(b"ready")
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if message == _STOP:
            return
        try:
            wanted, req = _unpack(message)
            stale = store is None or wanted != generation or time.monotonic() - opened > REOPEN_AFTER
            if stale:
                store, generation, opened = _open_read_only(path), wanted, time.monotonic()
            try:
                reply = _pack_answer(execute(store, req))
            except QueryFailed:
                # A read-only view can miss files the writer compacted away since it opened; reopen
                # and try once more (not for SERVICE queries, whose failures are the remote's).
                if not req.retry:
                    raise
                store, generation, opened = _open_read_only(path), wanted, time.monotonic()
                reply = _pack_answer(execute(store, req))
        except QueryError as exc:
            reply = _pack_error(type(exc).__name__, exc.message)
        except Exception as exc:  # never let a worker die on a bad request
            reply = _pack_error("QueryFailed", f"the query failed: {type(exc).__name__}: {exc}")
        try:
            conn.send_bytes(reply)
        except (OSError, ValueError):
            return

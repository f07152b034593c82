"""SPARQL updates with a time limit: each runs in a writer process, killed at the limit.

An update's WHERE can run as long as any query (a chain of OPTIONALs over the whole store), and all
that time it holds the store's write lock: every other write, in every serving process, waits.
pyoxigraph cannot interrupt an update, so `Updater` hands each to a process of its own (started on
first use, kept for the next): the serving process takes the store's write lock
(`SharedStore.writing`) and counts the write; the writer opens the store for writing, runs the
update and closes the store. An update still running at the limit is killed with its process.
pyoxigraph applies an update in one transaction, committed at its end, so nothing of a killed update
is written (RocksDB drops what was never committed when the store is next opened), and the next
update starts a fresh writer.

An in-memory store (tests) cannot be opened by another process: `LocalUpdater` runs its updates in
the calling thread, without a limit.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle

from .querying import STARTUP_TIMEOUT, QueryError, QueryFailed, QueryTimeout, ERRORS, exit_with_parent, run_update
from .sharing import MemoryStore, SharedStore, StoreBusy, open_for_writing

_READY = b"ready"


class Updater:
    """Runs SPARQL updates on a store directory in a writer process, stopped at `timeout` seconds."""

    def __init__(self, shared: SharedStore, timeout: float, start_method: str = "spawn"):
        self.shared = shared
        self.timeout = timeout
        self._ctx = multiprocessing.get_context(start_method)
        self._process = None
        self._conn = None

    def run(self, update: str, base_iri: str | None = None) -> None:
        """Run `update` (one transaction); QueryError subclasses for what went wrong, QueryTimeout
        (nothing written) at the time limit, StoreBusy when another program holds the store."""
        with self.shared.writing():  # one update at a time in this process too: one writer serves it
            conn = self._ready()
            conn.send_bytes(pickle.dumps((update, base_iri), pickle.HIGHEST_PROTOCOL))
            try:
                reply = pickle.loads(conn.recv_bytes()) if conn.poll(self.timeout) else None
            except (EOFError, OSError):
                self._kill()
                raise QueryFailed("the writer process stopped unexpectedly while it ran the update") from None
            if reply is None:
                self._kill()
                raise QueryTimeout(
                    f"the update was stopped after the time limit of {self.timeout:g} s and nothing of it "
                    "was written; narrow its WHERE (more specific patterns) and try again"
                )
        if reply[0] == "ok":
            return
        if reply[0] == "busy":
            raise StoreBusy(reply[1])
        raise ERRORS.get(reply[1], QueryFailed)(reply[2])

    def _ready(self):
        """The writer's end of the pipe, the writer started (and ready) first if it is not running."""
        if self._process is not None and self._process.is_alive():
            return self._conn
        self._kill()
        self._conn, child = self._ctx.Pipe(duplex=True)
        self._process = self._ctx.Process(target=_writer_main, args=(child, os.fspath(self.shared.path), os.getpid()), daemon=True, name="vnkg-writer")
        self._process.start()
        child.close()
        try:
            if not (self._conn.poll(STARTUP_TIMEOUT) and self._conn.recv_bytes() == _READY):
                raise EOFError
        except (EOFError, OSError):
            self._kill()
            raise QueryFailed("the writer process did not start; the update was not run") from None
        return self._conn

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        self._kill()


class LocalUpdater:
    """Runs updates on an in-memory store in the calling thread: no time limit, no kill."""

    def __init__(self, shared: MemoryStore):
        self.shared = shared

    def run(self, update: str, base_iri: str | None = None) -> None:
        self.shared.write(lambda store: run_update(store, update, base_iri=base_iri))

    def close(self) -> None:
        pass


def make_updater(shared: SharedStore | MemoryStore, timeout: float) -> Updater | LocalUpdater:
    if isinstance(shared, MemoryStore):
        return LocalUpdater(shared)
    return Updater(shared, timeout)


# --- the writer process ---------------------------------------------------------------------------


def _writer_main(conn, path: str, parent_pid: int) -> None:
    """Run updates from the parent until it goes away."""
    exit_with_parent(parent_pid)
    conn.send_bytes(_READY)
    while True:
        try:
            update, base_iri = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        reply = _one_update(path, update, base_iri)
        try:
            conn.send_bytes(pickle.dumps(reply, pickle.HIGHEST_PROTOCOL))
        except (OSError, ValueError):
            return


def _one_update(path: str, update: str, base_iri: str | None) -> tuple:
    """Open the store, run the update, close the store; what happened as a tuple of plain values.
    The store closes when this returns: no exception (and its frames) outlives the call."""
    try:
        store = open_for_writing(path)
        run_update(store, update, base_iri=base_iri)
        return ("ok",)
    except StoreBusy as exc:
        return ("busy", str(exc))
    except QueryError as exc:
        return ("error", type(exc).__name__, exc.message)
    except Exception as exc:  # never let the writer die on a bad update
        return ("error", "QueryFailed", f"the update failed: {type(exc).__name__}: {exc}")

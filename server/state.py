"""What the app holds between requests: the settings, the store and the query runner.

The server may answer in several processes at once (granian's workers), all on one store
(kg.sharing). `store` is this process's read-only view of it, reopened when any process has written
since; pages and queries read it. Writes (SPARQL updates, Graph Store writes) go through
`write(change)`: one writer at a time, across processes, each write one transaction; `version`
is the store's count of writes, which every process sees. SPARQL updates run through `updates`
(kg.writer: in a writer process, stopped at the update time limit). `queries` runs SPARQL queries with a
time limit in worker processes (see kg.querying); it is started on first use.

`stats` keeps the store's statistics (kg.void) for the VoID and Service Descriptions: counted when
first asked for, and again after a write or when the number of named graphs differs from the
count they were made at (checked at most every 2 s: it also sees writes that were not counted).
"""

from __future__ import annotations

import threading
import time

from flask import current_app

from kg import void
from kg.config import Settings
from kg.querying import LocalRunner, QueryPool, make_runner
from kg.sharing import open_shared
from kg.writer import LocalUpdater, Updater, make_updater


class StatsCache:
    """The store's statistics (kg.void.Statistics), recounted when the store has changed."""

    def __init__(self, state: "State"):
        self._state = state
        self._lock = threading.Lock()
        self._stats: void.Statistics | None = None
        self._key = None
        self._refreshing = False
        self._graphs: int | None = None
        self._graphs_at = 0.0

    GRAPH_CHECK_EVERY = 2.0  # seconds between counts of the named graphs (8 ms per 2,500 graphs)

    def _current_key(self):
        now = time.monotonic()
        if self._graphs is None or now - self._graphs_at > self.GRAPH_CHECK_EVERY:
            self._graphs, self._graphs_at = sum(1 for _ in self._state.store.named_graphs()), now
        return self._state.version, self._graphs

    def get(self, wait: bool = True) -> void.Statistics | None:
        """Fresh statistics; with wait=False, whatever is cached (maybe stale or None), and a
        recount is started in the background when they are stale."""
        key = self._current_key()
        if self._stats is not None and self._key == key:
            return self._stats
        if not wait:
            with self._lock:
                if not self._refreshing:
                    self._refreshing = True
                    threading.Thread(target=self._refresh_quietly, name="vnkg-stats", daemon=True).start()
            return self._stats
        with self._lock:
            if self._stats is None or self._key != key:
                self._stats, self._key = void.statistics(self._state.store), key
            return self._stats

    def _refresh_quietly(self) -> None:
        try:
            self.get(wait=True)
        except Exception:  # a background recount never takes the server down; the next ask retries
            pass
        finally:
            self._refreshing = False


class State:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.shared = open_shared(settings.store)
        self._first_write = self.shared.generation
        self._queries: QueryPool | LocalRunner | None = None
        self._updates: Updater | LocalUpdater | None = None
        self._lock = threading.Lock()
        self.stats = StatsCache(self)

    @property
    def store(self):
        """This process's view of the store, as of the last write (pyoxigraph Store)."""
        return self.shared.view()

    @property
    def version(self) -> int:
        """The store's count of writes."""
        return self.shared.generation

    @property
    def writes(self) -> int:
        """Writes to the store since this process started (by any process that counts them)."""
        return self.shared.generation - self._first_write

    def write(self, change):
        """`change(store)` on the writable store, one writer at a time (in every process): a Graph
        Store write reads whether its graph exists before it writes, and its answer (201 or 204)
        must stay true. Returns what `change` returns; later reads see the write."""
        return self.shared.write(change)

    @property
    def queries(self) -> QueryPool | LocalRunner:
        if self._queries is None:
            with self._lock:
                if self._queries is None:
                    s = self.settings
                    self._queries = make_runner(
                        self.shared,
                        workers=s.query_workers,
                        queue_size=s.query_queue,
                        timeout=s.query_timeout,
                        max_rows=s.max_rows,
                    )
        return self._queries

    @property
    def updates(self) -> Updater | LocalUpdater:
        """Runs SPARQL updates with the time limit (kg.writer); its process starts on first use."""
        if self._updates is None:
            with self._lock:
                if self._updates is None:
                    self._updates = make_updater(self.shared, self.settings.update_timeout)
        return self._updates

    def close(self) -> None:
        """Stop the query workers and the writer (the store itself closes when it is dropped)."""
        with self._lock:
            if self._queries is not None:
                self._queries.close()
                self._queries = None
            if self._updates is not None:
                self._updates.close()
                self._updates = None


def state() -> State:
    return current_app.extensions["vnkg"]

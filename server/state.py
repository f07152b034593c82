"""What the app holds between requests: the settings, the open store and the query runner.

`store` is the writable pyoxigraph Store (pages and updates use it in this process). `queries` runs
SPARQL queries with a time limit in worker processes (see kg.querying); it is started on first use.
Whatever writes to the store must call `changed()` afterwards so that the query workers reopen
their read-only view and see the write.
"""

from __future__ import annotations

import threading

from flask import current_app

from kg.config import Settings
from kg.querying import LocalRunner, QueryPool, make_runner
from kg.store import open_store


class State:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = open_store(settings.store)
        self._queries: QueryPool | LocalRunner | None = None
        self._lock = threading.Lock()

    @property
    def queries(self) -> QueryPool | LocalRunner:
        if self._queries is None:
            with self._lock:
                if self._queries is None:
                    s = self.settings
                    self._queries = make_runner(
                        self.store,
                        s.store,
                        workers=s.query_workers,
                        queue_size=s.query_queue,
                        timeout=s.query_timeout,
                        max_rows=s.max_rows,
                    )
        return self._queries

    def changed(self) -> None:
        """The store was written: later queries see the change."""
        if self._queries is not None:
            self._queries.changed()

    def close(self) -> None:
        """Stop the query workers (the store itself closes when it is dropped)."""
        with self._lock:
            if self._queries is not None:
                self._queries.close()
                self._queries = None


def state() -> State:
    return current_app.extensions["vnkg"]

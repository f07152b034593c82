"""One store on disk, served by several processes: each reads its own view, one writes at a time.

RocksDB lets one process open a store for writing and any number of processes open it read-only; a
read-only view sees the store as it was when it was opened. A server that answers in several
processes (granian's workers: one interpreter, one GIL each) therefore keeps, in each process, a
read-only view (`SharedStore.view()`), and a write (`SharedStore.write(change)`):

1. takes the store's write lock (a thread lock, and `flock` on `<store>/vnkg-write.lock`),
2. opens the store for writing, makes the change (one transaction), closes the store,
3. adds one to the write counter, `<store>/vnkg-writes` (8 bytes, mapped into every process's memory),

so that every process, and every query worker, opens a fresh view before it next reads. A write made
by another process of ours (kg.writer's writer, which can be killed at a time limit) takes steps 1
and 3 here (`SharedStore.writing()`) and step 2 there. A read costs
one look at the counter (a memory read); a write costs opening and closing the store (15–60 ms on a
store of a million quads), which is the price of letting reads run on every core. A view is reopened
under a shared lock on the same file, so it never opens halfway through a write of ours; a writer
that does not take the lock (another program) is covered by retrying the open.

Other programs that write the store (`vnkg build`) add to the counter when they are done
(`note_write`), and servers see their articles.

`MemoryStore` is the same interface over an in-memory store (tests, one process).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import mmap
import os
import struct
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, TypeVar

import pyoxigraph as ox

COUNTER = "vnkg-writes"
LOCK = "vnkg-write.lock"
OPEN_ATTEMPTS = 10
REOPEN_AFTER = 60.0  # seconds a view is kept when nothing was counted (for writers that do not count)
T = TypeVar("T")


class StoreBusy(Exception):
    """The store could not be opened for writing: another program holds it."""


class WriteCounter:
    """The store's count of writes, shared by every process through a memory-mapped file."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self._map: mmap.mmap | None = None
        self._private = 0  # used when the file cannot be made (a read-only directory)
        try:
            fd = os.open(self.directory / COUNTER, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            if os.fstat(fd).st_size < 8:
                os.ftruncate(fd, 8)  # zeros; two processes doing this at once agree
            self._map = mmap.mmap(fd, 8)
        finally:
            os.close(fd)

    @property
    def value(self) -> int:
        if self._map is None:
            return self._private
        return struct.unpack_from("<Q", self._map)[0]

    def bump(self) -> int:
        """Add one; the caller holds the write lock."""
        if self._map is None:
            self._private += 1
            return self._private
        value = self.value + 1
        struct.pack_into("<Q", self._map, 0, value)
        self._map.flush()
        return value


@contextlib.contextmanager
def _flock(directory: Path, kind: int) -> Iterator[None]:
    # A descriptor of its own each time: flock locks belong to an open file, so two threads
    # sharing one descriptor would share (and convert) one lock.
    try:
        fd = os.open(directory / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only directory: nobody can write there, nothing to exclude
        yield
        return
    try:
        fcntl.flock(fd, kind)
        yield
    finally:
        os.close(fd)


def open_read_only(path: str | os.PathLike) -> ox.Store:
    """A read-only view of the store at `path`, retried while a writer swaps its files.

    A writer that does not take our lock may be replacing its MANIFEST or WAL at the moment a
    reader opens the directory (RocksDB then reports "Corruption ... No such file"); a moment later
    it opens fine."""
    error: Exception | None = None
    for attempt in range(OPEN_ATTEMPTS):
        try:
            return ox.Store.read_only(os.fspath(path))
        except (OSError, RuntimeError) as exc:
            error = exc
            time.sleep(0.01 * (attempt + 1))
    raise OSError(f"cannot open the store {path} for reading: {error}")


def open_view(path: str | os.PathLike) -> ox.Store:
    """A read-only view of the store at `path`, opened between two writes of ours."""
    with _flock(Path(path), fcntl.LOCK_SH):
        return open_read_only(path)


class SharedStore:
    """A store directory read through a per-process view and written one writer at a time."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        # One writer, and apart from it one reopening, at a time in this process: a writer queued
        # behind another process's write must not hold up the reads (the event loop's among them).
        self._write_lock = threading.Lock()
        self._view_lock = threading.Lock()
        self._counter = WriteCounter(self.path)
        if not (self.path / "CURRENT").exists():
            # a new store: create it, so that it can be opened read-only (not a write: nothing in it)
            with self._write_lock, _flock(self.path, fcntl.LOCK_EX):
                open_for_writing(self.path)
        self._view, self._seen = self._open_view()

    @property
    def generation(self) -> int:
        """How many writes the store has had (by any process that counts them)."""
        return self._counter.value

    def view(self) -> ox.Store:
        """This process's read-only view, reopened first if the store was written since (or, for
        writers that do not count, if it is older than REOPEN_AFTER seconds)."""
        if self._counter.value != self._seen or time.monotonic() - self._opened > REOPEN_AFTER:
            with self._view_lock:
                if self._counter.value != self._seen or time.monotonic() - self._opened > REOPEN_AFTER:
                    self._view, self._seen = self._open_view()
        return self._view

    def _open_view(self) -> tuple[ox.Store, int]:
        seen = self._counter.value  # read first: a write after it makes the next view() reopen
        view = open_view(self.path)
        self._opened = time.monotonic()
        return view, seen

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The store's write lock (this process's and every other's) for a write made inside the
        block, here or by a process of ours (kg.writer); others see it once the block ends."""
        with self._write_lock, _flock(self.path, fcntl.LOCK_EX):
            try:
                yield
            finally:
                self._counter.bump()

    def write(self, change: Callable[[ox.Store], T]) -> T:
        """`change(store)` on the store opened for writing; others see the write once it returns.

        The store is closed (RocksDB's lock released, so the next writer in any process may open
        it) when the last reference to it goes: `change` must keep none, and an exception it
        raises is stripped of its traceback, whose frames would hold the store."""
        with self.writing():
            store = open_for_writing(self.path)
            try:
                return change(store)
            except BaseException as exc:
                raise forget_frames(exc) from None
            finally:
                del store


def open_for_writing(path: str | os.PathLike) -> ox.Store:
    """The store at `path` opened for writing (the caller holds the write lock); StoreBusy when
    another program has it open for writing."""
    for attempt in range(3):
        try:
            return ox.Store(os.fspath(path))
        except OSError as exc:
            error = exc
            gc.collect()  # a store of ours still referenced from a cycle: let it close
            time.sleep(0.01 * (attempt + 1))
    raise StoreBusy(f"the store is being written by another program ({error}); try again later")


class MemoryStore:
    """The same interface over one in-memory store (no other process can see it)."""

    def __init__(self, store: ox.Store | None = None):
        self.store = store if store is not None else ox.Store()
        self.path = None
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def view(self) -> ox.Store:
        return self.store

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            finally:
                self._generation += 1

    def write(self, change: Callable[[ox.Store], T]) -> T:
        with self.writing():
            return change(self.store)


def forget_frames(exc: BaseException) -> BaseException:
    """`exc` without the tracebacks of it and of the exceptions it carries, whose frames would keep
    their locals (a writable store, a query's solutions) alive until the exception goes."""
    seen = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        e.__traceback__ = None
        if e.__cause__ is not None:
            e.__cause__.__traceback__ = None
        e = e.__context__
    return exc


def open_shared(path: str | os.PathLike | None) -> SharedStore | MemoryStore:
    return MemoryStore() if path is None else SharedStore(path)


def note_write(path: str | os.PathLike) -> None:
    """Tell the processes serving the store at `path` that it was written (by this program)."""
    directory = Path(path)
    with _flock(directory, fcntl.LOCK_EX):
        WriteCounter(directory).bump()

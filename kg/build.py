"""Building the graph: ontology and gazetteer graphs, then each article into its own named graph.

Each article is read, extracted, emitted, validated against the SHACL shapes and stored in one
transaction; storing runs on a thread of its own, in the order of the articles, while the next
ones are extracted. A failing file is reported and skipped; everything stored before it stays.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import queue
import sys
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pyoxigraph as ox

from .emit import emit
from .lexicon import ontology_files
from .model import Article
from .pipeline import Resources, extract
from .reader import ReadError, iter_files, read_path
from .store import replace_graph
from .text import slugify
from .vocab import ONTOLOGY_GRAPH, graph_of

VERSION = ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")


FLUSH_EVERY = 500
SWITCH_INTERVAL = 0.001  # s, while a build runs (see _batch_settings)
GC_THRESHOLD = 20_000  # new objects between two young-generation collections, while a build runs


@dataclass
class BuildReport:
    articles: int = 0
    triples: int = 0
    failures: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def load_ontology(store: ox.Store) -> int:
    """The ontology and vocabularies (ontology/*.ttl) into their own graph, replaced whole when
    the files changed (their hash is kept in the graph), so that a rebuild leaves it as it was."""
    files = ontology_files()
    digest = hashlib.sha256(b"".join(f.name.encode() + f.read_bytes() for f in files)).hexdigest()[:16]
    marker = ox.Quad(ONTOLOGY_GRAPH, VERSION, ox.Literal(digest), ONTOLOGY_GRAPH)
    if marker in store:
        return 0
    quads = [marker]
    for f in files:
        for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH))
    return replace_graph(store, ONTOLOGY_GRAPH, quads)


def article_quads(article: Article, res: Resources) -> tuple[str, list[ox.Quad]]:
    doc = extract(article, res)
    pub = res.lexicon.publisher_for(article.source or article.url or article.dateline)
    name = pub.name if pub else ""
    key = slugify(pub.domain.split(".")[0]) if pub else ""
    return doc.key, emit(doc, name, key)


@contextlib.contextmanager
def _batch_settings():
    """The interpreter tuned for a build, and put back after it.

    - The writer thread needs the GIL back after each write and waits until the extracting thread
      is made to let go of it: up to the switch interval, 5 ms by default, half a write's time.
    - An article makes ~100k short-lived objects; with the default threshold (700) the collector
      runs ~3 times an article and finds them mostly alive still (~1 ms an article, bench/).
    """
    switch, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        sys.setswitchinterval(switch)
        gc.set_threshold(*thresholds)


class _Writer:
    """Stores article graphs on a thread of its own while the caller extracts the next articles.

    Oxigraph releases the GIL while it writes, and storing is about half of an article's time: on a
    second core it overlaps with extraction. Graphs are stored in the order given, each in one
    transaction (`replace_graph`): an interrupted build keeps every article handed over before the
    interruption, and never half of one. The queue is bounded, so memory stays flat however far
    extraction would run ahead.
    """

    def __init__(self, store: ox.Store, report: BuildReport, depth: int = 4):
        self.store, self.report = store, report
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="vnkg-store", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        report = self.report
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # store nothing after a failed write; drained, so that put() never blocks
            key, quads = item
            try:
                report.triples += replace_graph(self.store, graph_of(key), quads)
                report.articles += 1
                report.keys.append(key)
                if report.articles % FLUSH_EVERY == 0:
                    self.store.flush()  # keeps RocksDB's memory bounded on large builds (measured in bench/)
            except BaseException as exc:  # noqa: BLE001  raised in the building thread, by put() or close()
                self.error = exc

    def put(self, key: str, quads: list[ox.Quad]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((key, quads))

    def close(self) -> None:
        """Wait until every graph handed over is stored. Raises what a write raised, if any."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """The build stops on an error of its own: the graphs handed over are still stored (a few
        at most), then the thread ends; an error of the writer's is dropped for the build's."""
        self.queue.put(None)
        self.thread.join()


def build(paths: Iterable[str], store: ox.Store, *, validate: bool = True,
          progress: Callable[[str], None] | None = None, ner: bool = False) -> BuildReport:
    from .gazetteer import load_gazetteer

    report = BuildReport()
    load_ontology(store)
    load_gazetteer(store)
    validator = None
    if validate:
        from .validate import validate_graph

        validator = validate_graph
    res = Resources.load(ner=ner)
    with _batch_settings():
        _build_articles(paths, store, report, res, validator, progress)
    store.flush()
    return report


def _build_articles(paths: Iterable[str], store: ox.Store, report: BuildReport, res: Resources,
                    validator: Callable | None, progress: Callable[[str], None] | None) -> None:
    writer = _Writer(store, report)
    try:
        for item in iter_files(list(paths)):
            if isinstance(item, ReadError):
                report.failures.append(str(item))
                continue
            for art in read_path(item):
                if progress:
                    progress(str(item))
                if isinstance(art, ReadError):
                    report.failures.append(str(art))
                    continue
                try:
                    key, quads = article_quads(art, res)
                except Exception as exc:  # an extraction bug must not stop the build: report it
                    report.failures.append(f"{art.source_file}: extraction failed ({type(exc).__name__}: {exc})")
                    continue
                if validator is not None:
                    rep = validator(quads)
                    if not rep.conforms:
                        report.violations.append(f"{art.source_file}: {rep}")
                writer.put(key, quads)
        writer.close()
    except BaseException:
        writer.abort()
        raise

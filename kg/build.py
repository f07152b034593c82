"""Building the graph: ontology and gazetteer graphs, then each article into its own named graph.

Each article is read, extracted, emitted, validated against the SHACL shapes and stored in one
transaction. A failing file is reported and skipped; everything stored before it stays.
"""

from __future__ import annotations

import hashlib
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


def build(paths: Iterable[str], store: ox.Store, *, validate: bool = True,
          progress: Callable[[str], None] | None = None) -> BuildReport:
    from .gazetteer import load_gazetteer

    report = BuildReport()
    load_ontology(store)
    load_gazetteer(store)
    validator = None
    if validate:
        from .validate import validate_graph

        validator = validate_graph
    res = Resources.load()
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
            report.triples += replace_graph(store, graph_of(key), quads)
            report.articles += 1
            report.keys.append(key)
            if report.articles % FLUSH_EVERY == 0:
                store.flush()  # keeps RocksDB's memory bounded on large builds (measured in bench/)
    store.flush()
    return report

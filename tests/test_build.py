"""build(): articles stored in reading order, each whole, by a writer thread; what an interruption or a
failing write leaves in the store; the interpreter as it was after a build."""

from __future__ import annotations

import gc
import json
import shutil
import sys

import pytest

from kg import build as build_module
from kg.build import build, load_ontology
from kg.gazetteer import load_gazetteer
from kg.store import graph_size, open_store
from kg.vocab import graph_of

N = 9  # more articles than the writer's queue holds


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    """A closed store with the ontology and the gazetteer, copied for each test."""
    path = tmp_path_factory.mktemp("base") / "store"
    store = open_store(path)
    load_ontology(store)
    load_gazetteer(store)
    store.flush()
    del store
    return path


@pytest.fixture()
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(N):
        (src / f"{i:02d}.json").write_text(json.dumps(
            {"title": f"Bài {i}", "body": f"Sáng 2/7, UBND huyện Quỳnh Lưu họp với xã Quỳnh Thạch lần thứ {i}."},
            ensure_ascii=False), encoding="utf-8")
    return src


@pytest.fixture()
def store(base_store, tmp_path):
    path = tmp_path / "store"
    shutil.copytree(base_store, path)
    return open_store(path)


def article_graphs(store) -> dict[str, int]:
    return {g.value: graph_size(store, g) for g in store.named_graphs() if "/graph/text-" in g.value}


def test_articles_stored_whole_in_reading_order(store, corpus, monkeypatch):
    expected = {}
    real = build_module.article_quads

    def spy(art, res):
        key, quads = real(art, res)
        expected[key] = len(quads)
        return key, quads

    monkeypatch.setattr(build_module, "article_quads", spy)
    report = build([str(corpus)], store)
    assert report.articles == N and not report.failures
    assert report.keys == list(expected)  # the order the files were read in
    assert article_graphs(store) == {graph_of(k).value: n for k, n in expected.items()}
    assert report.triples == sum(expected.values())


def test_interpreter_settings_restored(store, corpus):
    switch, thresholds = sys.getswitchinterval(), gc.get_threshold()
    build([str(corpus)], store)
    assert (sys.getswitchinterval(), gc.get_threshold()) == (switch, thresholds)


def test_interrupt_while_extracting_keeps_every_article_before_it(store, corpus, monkeypatch):
    real = build_module.article_quads
    calls = []

    def interrupted(art, res):
        calls.append(art)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(art, res)

    monkeypatch.setattr(build_module, "article_quads", interrupted)
    switch = sys.getswitchinterval()
    with pytest.raises(KeyboardInterrupt):
        build([str(corpus)], store)
    stored = article_graphs(store)
    assert len(stored) == 3  # the three articles handed to the writer before the interruption
    for art in calls[:3]:
        key, quads = real(art, build_module.Resources.load())
        assert stored[graph_of(key).value] == len(quads)
    assert sys.getswitchinterval() == switch


def test_failing_write_stops_the_build_and_keeps_what_was_stored(store, corpus, monkeypatch):
    real = build_module.replace_graph
    writes = []

    def failing(store_, graph, quads):
        writes.append(graph)
        if len(writes) == 2:
            raise OSError("disk full")
        return real(store_, graph, quads)

    monkeypatch.setattr(build_module, "replace_graph", failing)
    with pytest.raises(OSError, match="disk full"):
        build([str(corpus)], store)  # does not hang with the queue full behind the failed write
    assert list(article_graphs(store)) == [writes[0].value]

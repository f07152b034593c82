"""The command line: build, export, query, stats; exit codes; idempotent and interruption-safe builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build as build_module
from kg.cli import main
from kg.store import open_store

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_5cc79a5ea2a831f7.txt"
ARTICLE_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/graph/text-') || CONTAINS(STR(?g), '/graph/baonghean-')) } GROUP BY ?g ORDER BY ?g"


def graphs(store_dir) -> list[tuple[str, int]]:
    store = open_store(store_dir, read_only=True)
    return [(r["g"].value, int(r["n"].value)) for r in store.query(ARTICLE_GRAPHS)]


def all_quads(store_dir) -> set:
    store = open_store(store_dir, read_only=True)
    return {str(q) for q in store}


@pytest.fixture()
def store_dir(seed_store_dir, tmp_path) -> Path:
    """A private copy of the seed store, so a test may write to it."""
    dest = tmp_path / "store"
    shutil.copytree(seed_store_dir, dest)
    return dest


def test_rebuild_is_idempotent(store_dir, capsys):
    before = all_quads(store_dir)
    assert main(["build", "--store", str(store_dir), "-q", str(SEED)]) == 0
    assert all_quads(store_dir) == before
    out = capsys.readouterr().out
    assert "1 articles stored" in out and "0 failed" in out


def test_bad_file_fails_the_build_but_the_rest_is_stored(store_dir, tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "bad.txt").write_bytes(b"\xff\xfe\x00binary")
    (src / "good.json").write_text(json.dumps({"title": "Hà Tĩnh: họp bàn", "body": "Sáng 5/3, UBND tỉnh Hà Tĩnh tổ chức hội nghị."},
                                              ensure_ascii=False), encoding="utf-8")
    assert main(["build", "--store", str(store_dir), "-q", str(src)]) == 1
    err = capsys.readouterr().err
    assert "bad.txt" in err and "not a text file" in err
    assert len(graphs(store_dir)) == 2  # the seed and the good file


def test_interrupted_build_keeps_what_was_stored(store_dir, tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.json").write_text(json.dumps({"title": f"Bài {i}", "body": f"Nội dung bài {i} ở huyện Quỳnh Lưu."},
                                                  ensure_ascii=False), encoding="utf-8")
    before = graphs(store_dir)
    real = build_module.replace_graph
    calls = []

    def flaky(store, graph, quads):
        calls.append(graph)
        if len(calls) == 3:  # the ontology, the gazetteer, then the first article: stop at the second
            pass
        if sum(1 for g in calls if "/graph/text-" in g.value) == 2:
            raise KeyboardInterrupt
        return real(store, graph, quads)

    monkeypatch.setattr(build_module, "replace_graph", flaky)
    assert main(["build", "--store", str(store_dir), "-q", str(src)]) == 1
    after = graphs(store_dir)
    assert set(before) <= set(after) and len(after) == len(before) + 1


@pytest.mark.parametrize("fmt, parse_as", [
    ("turtle", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG), ("nquads", ox.RdfFormat.N_QUADS),
    ("ntriples", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD),
])
def test_export_formats_parse(seed_store_dir, tmp_path, fmt, parse_as):
    out = tmp_path / f"export.{fmt}"
    graph = None
    if fmt in ("turtle", "jsonld", "ntriples"):
        graph = graphs(seed_store_dir)[0][0]  # one named graph, to keep it small
    args = ["export", "--store", str(seed_store_dir), "--format", fmt, "-o", str(out)]
    if graph:
        args += ["--graph", graph]
    assert main(args) == 0
    quads = list(ox.parse(path=str(out), format=parse_as))
    assert len(quads) > 100
    text = out.read_text(encoding="utf-8")
    assert "Quỳnh Lưu" in text or "Qu\\u1EF3nh" in text


def test_whole_export_holds_ontology_and_gazetteer(seed_store_dir, tmp_path):
    out = tmp_path / "all.nq"
    assert main(["export", "--store", str(seed_store_dir), "--format", "nquads", "-o", str(out)]) == 0
    graphs_seen = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)
                   if isinstance(q.graph_name, ox.NamedNode)}
    assert {"https://w3id.org/vnkg/id/graph/ontology", "https://w3id.org/vnkg/id/graph/gazetteer"} <= graphs_seen


def test_export_unknown_graph_is_a_usage_error(seed_store_dir, capsys):
    assert main(["export", "--store", str(seed_store_dir), "--graph", "https://example.org/nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_query_table_and_formats(seed_store_dir, tmp_path, capsys):
    q = 'SELECT ?l WHERE { ?x a vnkg:Meeting ; rdfs:label ?l }'
    assert main(["query", "--store", str(seed_store_dir), q]) == 0
    out = capsys.readouterr().out
    assert "Gặp mặt" in out and "(1 rows)" in out
    assert main(["query", "--store", str(seed_store_dir), "--format", "json", q]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]["bindings"]) == 1
    qf = tmp_path / "q.rq"
    qf.write_text("ASK { ?x a vnkg:Article }", encoding="utf-8")
    assert main(["query", "--store", str(seed_store_dir), "@" + str(qf)]) == 0
    assert capsys.readouterr().out.strip() == "true"
    for fmt in ("csv", "tsv", "xml"):
        assert main(["query", "--store", str(seed_store_dir), "--format", fmt, q]) == 0
        assert "Gặp mặt" in capsys.readouterr().out


def test_malformed_query_and_missing_store(seed_store_dir, tmp_path, capsys):
    assert main(["query", "--store", str(seed_store_dir), "SELECT WHERE {"]) == 2
    assert "malformed query" in capsys.readouterr().err
    assert main(["query", "--store", str(tmp_path / "none"), "ASK {}"]) == 2
    assert "no store" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2


def test_stats(seed_store_dir, capsys):
    assert main(["stats", "--store", str(seed_store_dir)]) == 0
    out = capsys.readouterr().out
    assert "vnkg:Article" in out and "sharing a label and jurisdiction: 0" in out


def test_console_script_runs():
    exe = Path(sys.executable).parent / "vnkg"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "build" in result.stdout

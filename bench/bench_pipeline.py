"""Speed of the whole path from file to stored graph, in one process, next to underthesea's ner().

    .venv/bin/python bench/bench_pipeline.py [CORPUS] [--repeat N] [--ner-articles K | --no-ner]
    .venv/bin/python bench/bench_pipeline.py --scale 5000          # first N articles of the 2017 crawl
    .venv/bin/python bench/bench_pipeline.py --profile             # where the time of (b) goes

CORPUS (default ../shared/corpus/dev) is a folder or file of articles. After a warm-up (resources,
shapes, one article through every step), each of these is timed over the whole corpus, N times
(median reported):

  (a) read + extract + emit        kg.reader.read_path, kg.build.article_quads
  (b) (a) + SHACL validation       kg.validate.validate_graph on each article graph
  (c) the full kg.build.build()    (b) + storing each graph into an on-disk store; the store already
                                   holds the ontology and the gazetteer (copied in untimed), as after
                                   a first `vnkg build`. build() stores on a second thread while it
                                   extracts, so its wall time can be below its CPU time.

(c) is also run once before all the others ("first build()"): the caches that fill as articles are
read (names looked up, tone-mark forms) are then as cold as in a fresh `vnkg build`.

then underthesea's own ner() on the same articles (one call per sentence of underthesea's
sent_tokenize, paragraph by paragraph; one pass), with the ratio to (c), CPU and wall.

Times are wall-clock (perf_counter) and CPU (process_time); the CPU figure is the one to compare
on a shared machine. --scale N builds the first N articles of ../shared/corpus/scale/baomoi-2017.jsonl.gz
(written to a temporary .jsonl) into a fresh store with build(), including loading the ontology and
gazetteer, and reports throughput and peak RSS.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"
SCALE = SHARED / "corpus" / "scale" / "baomoi-2017.jsonl.gz"


@dataclass
class Timing:
    wall: float
    cpu: float


def timed(fn) -> tuple[Timing, object]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return Timing(time.perf_counter() - w, time.process_time() - c), out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def files_of(corpus: Path) -> list[Path]:
    from kg.reader import ReadError, iter_files

    files = [f for f in iter_files([corpus]) if not isinstance(f, ReadError)]
    if not files:
        sys.exit(f"bench_pipeline.py: no articles in {corpus}")
    return files


# --- the timed passes -------------------------------------------------------------------------------


def pass_extract(files, res, validate: bool) -> int:
    """(a) or (b): every article of every file read, extracted and emitted (and validated)."""
    from kg.build import article_quads
    from kg.reader import ReadError, read_path
    from kg.validate import validate_graph

    n = 0
    for f in files:
        for art in read_path(f):
            if isinstance(art, ReadError):
                continue
            _key, quads = article_quads(art, res)
            if validate:
                validate_graph(quads)
            n += 1
    return n


def template_store(tmp: Path) -> Path:
    """A store holding the ontology and the gazetteer, closed, to be copied for each pass (c)."""
    from kg.build import load_ontology
    from kg.gazetteer import load_gazetteer
    from kg.store import open_store

    path = tmp / "template"
    store = open_store(path)
    load_ontology(store)
    load_gazetteer(store)
    store.flush()
    del store
    return path


def pass_build(corpus: Path, template: Path, tmp: Path, i: int | str):
    from kg.build import build
    from kg.store import open_store

    path = tmp / f"run{i}"
    shutil.copytree(template, path)
    store = open_store(path)
    t, report = timed(lambda: build([str(corpus)], store, validate=True))
    del store
    shutil.rmtree(path, ignore_errors=True)
    return t, report


def sentences_for_ner(files) -> list[list[str]]:
    """Each article's text as underthesea's sentences, paragraph by paragraph."""
    from underthesea import sent_tokenize

    from kg.reader import ReadError, read_path

    out = []
    for f in files:
        for art in read_path(f):
            if isinstance(art, ReadError):
                continue
            out.append([s for para in art.text.split("\n") if para.strip() for s in sent_tokenize(para)])
    return out


def pass_ner(articles: list[list[str]]) -> tuple[list[float], float]:
    """CPU seconds of each article, and the wall time of the whole pass."""
    from underthesea import ner

    per_article = []
    w = time.perf_counter()
    for sentences in articles:
        t = time.process_time()
        for s in sentences:
            ner(s)
        per_article.append(time.process_time() - t)
    return per_article, time.perf_counter() - w


# --- reports ----------------------------------------------------------------------------------------


def line(label: str, n: int, runs: list[Timing]) -> tuple[float, float]:
    wall = statistics.median(t.wall for t in runs)
    cpu = statistics.median(t.cpu for t in runs)
    print(f"{label:<34}{n / wall:9.1f}{n / cpu:9.1f}{wall / n * 1000:10.1f}{cpu / n * 1000:10.1f}"
          f"   (median of {len(runs)})")
    return wall / n, cpu / n


def header(what: str) -> None:
    print(f"{what:<34}{'art/s':>9}{'art/s':>9}{'ms/art':>10}{'ms/art':>10}")
    print(f"{'':<34}{'wall':>9}{'cpu':>9}{'wall':>10}{'cpu':>10}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    import os

    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_corpus(args) -> None:
    from kg.pipeline import Resources

    files = files_of(args.corpus)
    print(f"corpus {args.corpus} ({len(files)} files); {machine()}; {load()}")
    t, res = timed(Resources.load)
    print(f"warm-up: resources {t.wall:.1f} s", end="")
    t, n = timed(lambda: pass_extract(files[:1], res, validate=True))
    print(f", first article through every step {t.wall:.2f} s; RSS {rss_mb():.0f} MB")

    runs_a, runs_b, runs_c = [], [], []
    with tempfile.TemporaryDirectory(prefix="vnkg-bench-") as tmp:
        tmp = Path(tmp)
        t, template = timed(lambda: template_store(tmp))
        print(f"ontology + gazetteer store (untimed, copied for each build): {t.wall:.1f} s")
        first, _ = pass_build(args.corpus, template, tmp, "first")
        build_report = None
        for i in range(args.repeat):
            t, n = timed(lambda: pass_extract(files, res, validate=False))
            runs_a.append(t)
            t, n_b = timed(lambda: pass_extract(files, res, validate=True))
            runs_b.append(t)
            t, build_report = pass_build(args.corpus, template, tmp, i)
            runs_c.append(t)
    print()
    header(f"{n} articles")
    line("(a) read + extract + emit", n, runs_a)
    line("(b) (a) + SHACL validation", n, runs_b)
    per_c_wall, per_c_cpu = line("(c) build(): (b) + on-disk store", build_report.articles, runs_c)
    line("    first build(), caches cold", build_report.articles, [first])
    print(f"build: {build_report.articles} articles, {build_report.triples} triples, "
          f"{len(build_report.failures)} failures, {len(build_report.violations)} with shape violations")

    if args.no_ner:
        print(f"peak RSS {rss_mb():.0f} MB")
        return
    arts = sentences_for_ner(files)
    if args.ner_articles and args.ner_articles < len(arts):
        step = len(arts) / args.ner_articles
        arts = [arts[int(i * step)] for i in range(args.ner_articles)]
    import underthesea

    t, _ = timed(lambda: underthesea.ner("Ủy ban nhân dân huyện Quỳnh Lưu gặp mặt đoàn công tác."))  # loads the model
    per, ner_wall = pass_ner(arts)
    mean = statistics.fmean(per)
    n_sent = sum(map(len, arts))
    print()
    print(f"underthesea {underthesea.__version__} ner(), one call per sentence: {len(arts)} articles, "
          f"{n_sent} sentences (model load {t.wall:.1f} s, excluded)")
    print(f"  {mean * 1000:.0f} ms/article cpu (median {statistics.median(per) * 1000:.0f}), "
          f"{n_sent / sum(per):.0f} sentences/s, {len(arts) / sum(per):.2f} articles/s")
    print(f"  ratio ner() / build() per article: cpu {mean / per_c_cpu:.1f}x, wall "
          f"{ner_wall / len(arts) / per_c_wall:.1f}x   (target >= 10x)")
    print(f"peak RSS {rss_mb():.0f} MB; {load()}")


def run_scale(args) -> None:
    import json

    from kg.build import build
    from kg.store import open_store

    if not SCALE.exists():
        sys.exit(f"bench_pipeline.py: {SCALE} not found")
    print(f"scale: first {args.scale} articles of {SCALE.name}; {machine()}")
    base = rss_mb()
    with tempfile.TemporaryDirectory(prefix="vnkg-scale-") as tmp:
        tmp = Path(tmp)
        jsonl = tmp / "articles.jsonl"
        n_in = 0
        with gzip.open(SCALE, "rt", encoding="utf-8") as src, jsonl.open("w", encoding="utf-8") as out:
            for row in src:
                if n_in >= args.scale:
                    break
                obj = json.loads(row)
                out.write(json.dumps({k: obj.get(k) for k in ("id", "url", "title", "body")}, ensure_ascii=False))
                out.write("\n")
                n_in += 1
        store = open_store(tmp / "store")
        done = [0]

        def progress(_name: str) -> None:
            done[0] += 1
            if done[0] % 1000 == 0:
                print(f"  {done[0]} articles, {time.perf_counter() - t0:.0f} s, peak RSS {rss_mb():.0f} MB",
                      flush=True)

        t0 = time.perf_counter()
        t, report = timed(lambda: build([str(jsonl)], store, validate=not args.no_validate, progress=progress))
        store.flush()
        size = sum(f.stat().st_size for f in (tmp / "store").rglob("*") if f.is_file())
        del store
    n = report.articles
    print(f"{n} articles stored of {n_in} read, {report.triples} triples, {len(report.failures)} failures, "
          f"{len(report.violations)} with shape violations")
    print(f"build() incl. ontology + gazetteer load: {t.wall:.1f} s wall, {t.cpu:.1f} s cpu "
          f"-> {n / t.wall:.1f} articles/s wall, {n / t.cpu:.1f} articles/s cpu")
    print(f"store on disk {size / 1e6:.0f} MB; RSS before {base:.0f} MB, peak {rss_mb():.0f} MB")
    for f in report.failures[:10]:
        print("  failed:", f)
    for v in report.violations[:5]:
        print("  " + v.splitlines()[0])


def run_profile(args) -> None:
    import cProfile
    import pstats

    from kg.pipeline import Resources

    files = files_of(args.corpus)
    res = Resources.load()
    pass_extract(files[:1], res, validate=True)
    prof = cProfile.Profile()
    prof.enable()
    pass_extract(files, res, validate=True)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEV, help=f"articles (default {DEV})")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of (a), (b), (c); the median is reported")
    ap.add_argument("--ner-articles", type=int, default=0, metavar="K",
                    help="run ner() on K articles spread over the corpus (default: all)")
    ap.add_argument("--no-ner", action="store_true", help="skip the underthesea ner() pass")
    ap.add_argument("--scale", type=int, metavar="N", help="build the first N articles of the scale corpus")
    ap.add_argument("--no-validate", action="store_true", help="with --scale: build without the SHACL check")
    ap.add_argument("--profile", action="store_true", help="cProfile pass (b) and print the top functions")
    ap.add_argument("--top", type=int, default=30, help="with --profile: how many functions to list")
    args = ap.parse_args(argv)
    if args.scale:
        run_scale(args)
    elif args.profile:
        run_profile(args)
    else:
        run_corpus(args)


if __name__ == "__main__":
    main()

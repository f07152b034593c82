"""Extraction quality: builds a corpus into a fresh store, exports it and runs the scorer.

    .venv/bin/python bench/eval.py ../shared/corpus/dev ../shared/eval/gold/dev
    .venv/bin/python bench/eval.py CORPUS_DIR GOLD_DIR [--scorer PATH] [--keep DIR] [--verbose] [--no-validate]

The corpus is built with `kg.build.build` (SHACL validation on, as `vnkg build` does) into a temporary
on-disk store, the whole store (ontology and gazetteer graphs included) is exported as N-Quads with
`kg.export.dump`, and the scorer (default ../shared/eval/score.py beside the repository) is run as
`score.py EXPORT.nq ontology/*.ttl --gold GOLD_DIR`. Its table is printed as it is, followed by the
build summary (articles, failures, shape violations) and the wall time of each step.

--keep DIR keeps the store (DIR/store) and the export (DIR/export.nq) for a look afterwards.
Exit status: the scorer's (0 when it ran), 2 for wrong usage.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path, help="folder (or file) of articles: .txt .json .jsonl .html")
    ap.add_argument("gold", type=Path, help="folder of gold JSON files (or one file)")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help=f"score.py to run (default {DEFAULT_SCORER})")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="keep the store and export.nq in DIR")
    ap.add_argument("--verbose", action="store_true", help="pass --verbose to the scorer (per-article misses)")
    ap.add_argument("--no-validate", action="store_true", help="build without the SHACL check")
    ap.add_argument("--json", type=Path, metavar="OUT", help="pass --json OUT to the scorer")
    ap.add_argument("--ner", action="store_true", help="build with underthesea's ner() as a second opinion (vnkg build --ner)")
    args = ap.parse_args(argv)
    for what, path in (("corpus", args.corpus), ("gold", args.gold), ("scorer", args.scorer)):
        if not path.exists():
            ap.error(f"{what} {path} does not exist")
    return args


def run(args: argparse.Namespace, work: Path) -> int:
    from kg.build import build
    from kg.export import dump
    from kg.lexicon import ontology_files
    from kg.store import open_store

    store_dir = work / "store"
    if store_dir.exists() and any(store_dir.iterdir()):
        print(f"eval.py: {store_dir} is not empty; give --keep a fresh folder", file=sys.stderr)
        return 2
    export = work / "export.nq"

    t0 = time.perf_counter()
    store = open_store(store_dir)
    report = build([str(args.corpus)], store, validate=not args.no_validate, ner=args.ner)
    t1 = time.perf_counter()
    with export.open("wb") as out:
        dump(store, out, "nquads")
    del store
    t2 = time.perf_counter()

    cmd = [sys.executable, str(args.scorer), str(export), *map(str, ontology_files()), "--gold", str(args.gold)]
    if args.verbose:
        cmd.append("--verbose")
    if args.json:
        cmd += ["--json", str(args.json)]
    sys.stdout.flush()
    scored = subprocess.run(cmd, cwd=ROOT)
    t3 = time.perf_counter()

    print()
    print(f"build: {report.articles} articles, {report.triples} triples, "
          f"{len(report.failures)} failures, {len(report.violations)} with shape violations")
    for line in report.failures:
        print(f"  failed: {line}")
    for line in report.violations:
        print("  " + line.replace("\n", "\n    "))
    print(f"time: build {t1 - t0:.1f} s ({report.articles / (t1 - t0):.1f} articles/s incl. loading), "
          f"export {t2 - t1:.1f} s ({export.stat().st_size / 1e6:.1f} MB), score {t3 - t2:.1f} s, "
          f"total {t3 - t0:.1f} s")
    if args.keep:
        print(f"kept: {store_dir} and {export}")
    return scored.returncode


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return run(args, args.keep.resolve())
    with tempfile.TemporaryDirectory(prefix="vnkg-eval-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())

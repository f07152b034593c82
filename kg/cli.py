"""The command line: vnkg build | export | query | serve | stats.

Exit status: 0 on success, 1 when some input failed (the rest was stored), 2 for wrong usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import fields
from pathlib import Path

from .config import Settings, default_store

FORMATS_EXPORT = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")
FORMATS_QUERY = ("table", "json", "xml", "csv", "tsv")


class UsageError(Exception):
    pass


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", default=None, help="store directory (default: $VNKG_STORE or ./data/store)")


def _open(args, read_only: bool):
    from .store import StoreError, open_store

    path = args.store or default_store()
    if read_only and not (Path(path) / "CURRENT").exists():
        raise UsageError(f"no store at {path}: build one first with `vnkg build --store {path} seeds/`")
    try:
        return open_store(path, read_only=read_only)
    except StoreError as exc:
        raise UsageError(str(exc)) from exc


def _open_for_writing(args, attempts: int = 20):
    """The store opened for writing; a server writing it (for a few ms at a time) is waited for."""
    for attempt in range(attempts):
        try:
            return _open(args, read_only=False)
        except UsageError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)


def cmd_build(args) -> int:
    from tqdm import tqdm

    from .build import build
    from .sharing import note_write

    store = _open_for_writing(args)
    bar = tqdm(desc="articles", unit=" files", file=sys.stderr, disable=args.quiet or not sys.stderr.isatty())
    last = [None]

    def progress(name: str) -> None:
        if name != last[0]:
            last[0] = name
            bar.update(1)

    try:
        report = build(args.paths, store, validate=not args.no_validate, progress=progress, ner=args.ner)
    finally:
        # servers of this store reopen their views and see the articles (kg.sharing)
        note_write(args.store or default_store())
    bar.close()
    for v in report.violations:
        print(f"shape violation: {v}", file=sys.stderr)
    for f in report.failures:
        print(f"failed: {f}", file=sys.stderr)
    total = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    print(f"{report.articles} articles stored, {report.triples} triples from them, "
          f"{len(report.failures)} failed, {len(report.violations)} with shape violations; "
          f"store {args.store or default_store()} holds {total} quads")
    return 1 if report.failures else 0


def cmd_export(args) -> int:
    from .export import dump

    store = _open(args, read_only=True)
    out = open(args.output, "wb") if args.output and args.output != "-" else sys.stdout.buffer
    try:
        dump(store, out, args.format, args.graph)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return 0


def cmd_query(args) -> int:
    import pyoxigraph as ox

    text = args.query
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read query file {text[1:]}: {exc.strerror}") from exc
    store = _open(args, read_only=True)
    try:
        result = store.query(text, use_default_graph_as_union=True,
                             prefixes={k: v for k, v in _prefixes().items() if f"{k}:" not in text.split("{")[0] or True})
    except SyntaxError as exc:
        print(f"vnkg query: malformed query: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout
    if isinstance(result, ox.QueryBoolean):
        if args.format == "table":
            print("true" if bool(result) else "false")
        else:
            fmt = _results_format(args.format)
            sys.stdout.buffer.write(result.serialize(format=fmt))
        return 0
    if isinstance(result, ox.QueryTriples):
        fmt = ox.RdfFormat.TURTLE if args.format in ("table",) else ox.RdfFormat.N_TRIPLES
        sys.stdout.buffer.write(result.serialize(format=fmt) or b"")
        return 0
    if args.format != "table":
        sys.stdout.buffer.write(result.serialize(format=_results_format(args.format)))
        return 0
    names = [v.value for v in result.variables]
    rows = [[_show(sol[n]) for n in names] for sol in result]
    widths = [min(80, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths)), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for r in rows:
        print("  ".join(c[:80].ljust(w) for c, w in zip(r, widths)), file=out)
    print(f"({len(rows)} rows)", file=out)
    return 0


def _prefixes() -> dict:
    from .vocab import PREFIXES

    return dict(PREFIXES)


def _results_format(name: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]


def _show(term) -> str:
    if term is None:
        return ""
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def cmd_stats(args) -> int:
    from .stats import stats

    store = _open(args, read_only=True)
    for line in stats(store):
        print(line)
    return 0


def cmd_serve(args) -> int:
    from server.run import serve

    overrides = {f.name: getattr(args, f.name) for f in fields(Settings) if getattr(args, f.name, None) is not None}
    if args.store:
        overrides["store"] = args.store
    settings = Settings.from_env(**overrides)
    if not Path(settings.store).is_file() and not (Path(settings.store) / "CURRENT").exists():
        print(f"vnkg serve: note: {settings.store} holds no store yet; serving an empty graph", file=sys.stderr)
    try:
        return serve(settings) or 0
    except ValueError as exc:  # server.run.ServeError: unsafe settings, or the port is taken
        raise UsageError(str(exc)) from exc


def _serve_flags(p: argparse.ArgumentParser) -> None:
    for f in fields(Settings):
        if f.name == "store" or f.metadata.get("internal"):
            continue
        flag = "--" + f.name.replace("_", "-")
        help_ = f"{f.metadata.get('help', '')} (default: {f.default!r})"
        if isinstance(f.default, bool):  # --cors / --no-cors
            p.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=help_)
        elif isinstance(f.default, tuple):
            p.add_argument(flag, dest=f.name, type=lambda s: tuple(x.strip() for x in s.split(",") if x.strip()),
                           default=None, help=help_)
        else:
            p.add_argument(flag, dest=f.name, type=type(f.default), default=None, help=help_)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="vnkg", description="Knowledge graph of Vietnamese local-government news.")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="read articles into the store (files or folders: .txt .json .jsonl .html)")
    _store_arg(p)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation of each article graph")
    p.add_argument("--ner", action="store_true",
                   help="ask underthesea's ner() about names found with weak evidence (slower: bench/ner_signal.py)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(fn=cmd_build)
    p = sub.add_parser("export", help="write the graph (or one named graph) to a file")
    _store_arg(p)
    p.add_argument("--format", default="turtle", choices=FORMATS_EXPORT)
    p.add_argument("--graph", default=None, metavar="IRI", help="only this named graph")
    p.add_argument("-o", "--output", default=None, metavar="FILE", help="output file (default: standard output)")
    p.set_defaults(fn=cmd_export)
    p = sub.add_parser("query", help="run a SPARQL query (a string, or @FILE)")
    _store_arg(p)
    p.add_argument("--format", default="table", choices=FORMATS_QUERY)
    p.add_argument("query", metavar="QUERY-or-@FILE")
    p.set_defaults(fn=cmd_query)
    p = sub.add_parser("serve", help="serve the graph: SPARQL endpoint, linked data, web UI")
    _store_arg(p)
    _serve_flags(p)
    p.set_defaults(fn=cmd_serve)
    p = sub.add_parser("stats", help="counts of articles, classes, graphs; consistency checks")
    _store_arg(p)
    p.set_defaults(fn=cmd_stats)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return args.fn(args)
    except UsageError as exc:
        print(f"vnkg {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"vnkg {args.command}: interrupted; what was stored before stays stored", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

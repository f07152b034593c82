"""Times the gazetteer: building the index, building the quads, loading them into a fresh on-disk store,
and reloading (unchanged: skipped; forced: diffed).  Run: .venv/bin/python bench/bench_gazetteer.py"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label, fn):
    t = time.perf_counter()
    out = fn()
    print(f"{label:<38} {time.perf_counter() - t:7.3f} s")
    return out


def main() -> None:
    import pyoxigraph as ox

    from kg import gazetteer

    gaz = timed("index (register + seeds + names)", gazetteer.get_gazetteer)
    print(f"{'units':<38} {len(gaz):7d}")
    quads = timed("quads", lambda: list(gazetteer.gazetteer_quads(gaz)))
    print(f"{'triples':<38} {len(quads):7d}")
    timed("resolve x1000", lambda: [gaz.resolve("xã Tân Sơn", context=["vn-25-phu-tho"]) for _ in range(1000)])
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(str(Path(tmp) / "store"))
        timed("load into a fresh on-disk store", lambda: gazetteer.load_gazetteer(store))
        timed("load again (same version: skipped)", lambda: gazetteer.load_gazetteer(store))
        timed("load again (forced: diff, no change)", lambda: gazetteer.load_gazetteer(store, force=True))
        del store
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(str(Path(tmp) / "store"))
        timed("bulk_extend quads (reference)", lambda: store.bulk_extend(quads))
        timed("remove_graph (reference)", lambda: store.remove_graph(gazetteer.GAZETTEER_GRAPH))
        del store


if __name__ == "__main__":
    main()

"""Shared fixtures. `seed_store` is the seed article built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_5cc79a5ea2a831f7.txt"


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory) -> Path:
    """A store directory holding the ontology, the gazetteer and the seed article."""
    from kg.build import build
    from kg.store import open_store

    path = tmp_path_factory.mktemp("seed-store")
    store = open_store(path)
    report = build([str(SEED)], store)
    assert report.articles == 1 and not report.failures, report
    del store
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_dir):
    from kg.store import open_store

    return open_store(seed_store_dir, read_only=True)

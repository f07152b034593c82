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


# --- a real `vnkg serve` process ------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def vnkg_serve():
    """Start `vnkg serve` on 127.0.0.1: `vnkg_serve(store, *flags, ready="/health")` gives its base URL
    once `ready` answers (at most ~30 s); every server started is stopped (SIGTERM) after the module."""
    import subprocess
    import sys

    import requests

    procs: list[subprocess.Popen] = []

    def start(store, *flags: str, ready: str = "/health") -> str:
        port = free_port()
        cmd = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())",
               "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), *flags]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"vnkg serve exited: {proc.stdout.read().decode(errors='replace')}")
            try:
                requests.get(base + ready, timeout=0.5)
                return base
            except requests.RequestException:
                try:
                    proc.wait(0.1)
                except subprocess.TimeoutExpired:
                    pass
        pytest.fail("vnkg serve did not start listening")

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

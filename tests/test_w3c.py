"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description suites, run by
../shared/w3c/run.sh against a throw-away `vnkg serve --allow-anonymous-update` on 127.0.0.1.

Skipped when ../shared/w3c is not beside the checkout (a user's clone) or its runner is not
installed: the test never installs anything itself, since tests use no network. CI installs the
runner first, the way run.sh would (see run.sh: npm install into $WORK, by default
~/.cache/w3c-sparql-runner).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
W3C = ROOT.parent / "shared" / "w3c"
EXPECTED = [("Protocol", 34), ("Graph Store Protocol", 13), ("Service Description", 3)]


def runner_dir() -> Path:
    if os.environ.get("WORK"):
        return Path(os.environ["WORK"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "w3c-sparql-runner"


@pytest.fixture(scope="module")
def w3c_runner() -> Path:
    """The installed runner's folder; skips (before any server starts) when there is none."""
    if not (W3C / "run.sh").exists():
        pytest.skip(f"no W3C suites at {W3C} (they come with ../shared)")
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    work = runner_dir()
    if not (work / "node_modules" / ".bin" / "rdf-test-suite").exists():
        pytest.skip(f"the W3C test runner is not installed in {work}: run `bash {W3C}/run.sh` once with network, "
                    "or `npm install` its package.json there")
    return work


@pytest.fixture(scope="module")
def throwaway_server(w3c_runner, tmp_path_factory, vnkg_serve):
    store = tmp_path_factory.mktemp("w3c") / "store"
    return vnkg_serve(store, "--allow-anonymous-update", "--query-workers", "2", "--threads", "8")


def test_w3c_suites(throwaway_server):
    base = throwaway_server
    work = runner_dir()
    env = {**os.environ, "WORK": str(work), "NO_COLOR": "1"}
    done = subprocess.run(["bash", str(W3C / "run.sh"), base + "/sparql", base + "/store"], env=env,
                          capture_output=True, text=True, timeout=300)
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    totals = [(int(a), int(b)) for a, b in re.findall(r"(\d+) / (\d+) tests succeeded", output)]
    failed = [line for line in output.splitlines() if line.startswith("✖") and "succeeded" not in line]
    assert len(totals) == 3, output[-3000:]
    for (name, expected), (passed, total) in zip(EXPECTED, totals):
        assert (passed, total) == (expected, expected), f"{name}: {passed}/{total}\n" + "\n".join(failed)
    assert done.returncode == 0, output[-3000:]
    health = requests.get(base + "/health", timeout=10)
    assert health.json()["ok"] is True

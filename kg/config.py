"""Settings in one table: name, default, environment variable, help.

Every setting can be overridden by the environment (VNKG_<NAME>) and most by a CLI flag.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = Path(os.environ.get("VNKG_ONTOLOGY_DIR", ROOT / "ontology"))
SEEDS_DIR = Path(os.environ.get("VNKG_SEEDS_DIR", ROOT / "seeds"))

BASE = "https://w3id.org/vnkg/"
DEF = BASE + "def/"
CORE = DEF + "core#"
ID = BASE + "id/"


def _env(name: str, default):
    raw = os.environ.get("VNKG_" + name.upper())
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return tuple(x.strip() for x in raw.split(",") if x.strip())
    return raw


@dataclass
class Settings:
    """Service and build settings. `help` metadata is shown by `vnkg serve --help`."""

    store: str = field(default="./data/store", metadata={"help": "store directory"})
    base: str = field(default=ID, metadata={"help": "IRI base of things, served under /id/"})
    host: str = field(default="127.0.0.1", metadata={"help": "address to listen on"})
    port: int = field(default=5000, metadata={"help": "port to listen on"})
    server: str = field(default="granian", metadata={"help": "HTTP server: granian (Rust, the default) or waitress (pure Python)"})
    processes: int = field(default=0, metadata={"help": "processes answering requests, each with its own view of the store (granian only; 0: one per CPU core, at most 4)"})
    threads: int = field(default=8, metadata={"help": "Python threads per process for requests other than SPARQL queries (those run on the event loop; under waitress, for all); more wait in the HTTP server's queue"})
    update_token: str = field(default="", metadata={"help": "token for SPARQL Update / Graph Store writes (none: read-only)"})
    allow_anonymous_update: bool = field(default=False, metadata={"help": "open updates to anyone (loopback only)"})
    query_timeout: float = field(default=10.0, metadata={"help": "seconds a query may run before it is stopped"})
    update_timeout: float = field(default=60.0, metadata={"help": "seconds a SPARQL update may run before it is stopped (nothing of it is written)"})
    query_workers: int = field(default=2, metadata={"help": "query worker processes in all (bounds concurrent queries; shared out among the processes)"})
    query_queue: int = field(default=16, metadata={"help": "queries that may wait for a worker before 503 (in all)"})
    max_rows: int = field(default=10000, metadata={"help": "result rows/triples returned before truncation"})
    max_request_bytes: int = field(default=1_000_000, metadata={"help": "largest request body accepted"})
    max_upload_bytes: int = field(default=50_000_000, metadata={"help": "largest Graph Store upload accepted"})
    allowed_hosts: tuple = field(default=(), metadata={"help": "hosts SERVICE and LOAD may reach (comma separated)"})
    cors: bool = field(default=True, metadata={"help": "CORS headers on read endpoints (SPARQL queries, Graph Store reads, exports, descriptions)"})
    cors_origins: tuple = field(default=("*",), metadata={"help": "origins CORS lets in (comma separated; * for any)"})
    cors_updates: bool = field(default=False, metadata={"help": "CORS for updates and Graph Store writes too (they still need the token)"})
    query_log: str = field(default="", metadata={"help": "file to log queries to (empty: off)"})
    # set by `vnkg serve` for its processes, not a flag: where they publish their metrics
    metrics_dir: str = field(default="", metadata={"internal": True})

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {f.name: _env(f.name, f.default) for f in fields(cls)}
        values["store"] = os.environ.get("VNKG_STORE", values["store"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def default_store() -> str:
    return os.environ.get("VNKG_STORE", "./data/store")

"""Run the service: `serve(settings)` starts the app under granian (or waitress).

The CLI (`vnkg serve`) builds Settings from its flags and the environment and calls `serve`.

granian (the default, `server = "granian"`) is a Rust HTTP server for Python apps: the HTTP work is
done outside Python, which on a point lookup was about half the web process' CPU under waitress
(bench/README.md). It runs `processes` worker processes (one per core by default: one Python
process answers only as fast as its one GIL allows), each with its own read-only view of the store;
writes go one at a time, across processes (kg.sharing). In each process the app is served through
server.asgi: SPARQL queries on the event loop (those about one resource answered there, the others
awaited from a query worker), everything else on `threads` threads. The query workers and queue
places (`query_workers`, `query_queue`) are shared out among the processes. The processes publish
their metrics in a temporary directory, so that /metrics counts them all; a process that dies is
started again, one still answering 10 s after a stop is killed, and one whose main process died
stops too.

waitress (`server = "waitress"`) runs the app in this one process, for platforms without granian's
wheels.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import math
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading

from kg.config import Settings


class ServeError(ValueError):
    """The server cannot start: unsafe settings or an address it cannot listen on."""


SERVERS = ("granian", "waitress")


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(settings: Settings) -> None:
    """Serve the app on settings.host:settings.port until interrupted (Ctrl-C or SIGTERM).

    Raises ServeError (a ValueError) when the settings are unsafe (anonymous updates on a
    non-loopback address) or the address cannot be listened on (say, the port is taken).
    """
    if settings.allow_anonymous_update and not is_loopback(settings.host):
        raise ServeError(
            f"refusing to open anonymous updates on {settings.host}: allow_anonymous_update is for a "
            "loopback address (127.0.0.1, ::1, localhost); give an update token instead"
        )
    if settings.server not in SERVERS:
        raise ServeError(f"unknown server {settings.server!r}: use one of {', '.join(SERVERS)}")
    _check_store(settings.store)
    if settings.server == "waitress":
        return _serve_waitress(settings)
    port = _check_address(settings.host, settings.port)
    _announce(settings, port)
    _serve_granian(settings, port)


def processes(settings: Settings) -> int:
    """How many processes answer: settings.processes, or one per CPU core (at most 4)."""
    if settings.processes > 0:
        return settings.processes
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def per_process(settings: Settings, n: int, metrics_dir: str) -> Settings:
    """The settings of each of `n` processes: its share of the query workers and queue places."""
    return dataclasses.replace(
        settings,
        processes=n,
        query_workers=max(1, math.ceil(settings.query_workers / n)),
        query_queue=math.ceil(settings.query_queue / n),
        metrics_dir=metrics_dir if n > 1 else "",
    )


_OPEN_STORE = """
import sys
from kg.sharing import open_shared
try:
    open_shared(sys.argv[1])
except Exception as exc:  # OSError (not a directory, unreadable, not a store), RocksDB's RuntimeError
    sys.exit(str(exc))
"""


def _check_store(path: str) -> None:
    """Fail early, with a clear message, on a store the serving processes could not open (each
    would fail with a traceback, and granian give up on them); a new store is made here.

    In a process of its own: granian forks its workers from this one, and a RocksDB opened here
    leaves threads and locks behind that a forked child can wait on forever."""
    import subprocess
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", _OPEN_STORE, os.path.abspath(path)], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
        raise ServeError(f"cannot open the store {path}: {reason}")


def _check_address(host: str, port: int) -> int:
    """Fail early, with a clear message, on an address granian could not bind; the port it gets."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), port))
            probe.listen(1)
            return probe.getsockname()[1] if port == 0 else port
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _announce(settings: Settings, port: int) -> None:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{port}/"
    mode = "read-write (token)" if settings.update_token else ("read-write (anonymous)" if settings.allow_anonymous_update else "read-only")
    n = processes(settings) if settings.server == "granian" else 1
    print(f"vnkg: serving {settings.store} at {url}  (SPARQL: {url}sparql, {mode}; {n} process{'es' if n > 1 else ''})", flush=True)


def _app_for(settings: Settings):
    """The app, made in granian's worker process (a module-level function: it may be pickled)."""
    from . import create_app
    from .asgi import Front

    _die_with_parent()
    return Front(create_app(settings), settings.threads)


def _die_with_parent() -> None:
    """Linux: this worker gets SIGTERM when granian's main process dies, even killed with SIGKILL;
    otherwise it went on serving as an orphan, holding the port and the store."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() == 1:  # the parent died before that: nobody would send it
        os.kill(os.getpid(), signal.SIGTERM)


def _serve_granian(settings: Settings, port: int) -> None:
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels

    n = processes(settings)
    metrics_dir = tempfile.mkdtemp(prefix="vnkg-metrics-")
    server = Granian(
        "vnkg",  # a name only: the app comes from target_loader
        address=settings.host.strip("[]"),
        port=port,
        interface=Interfaces.ASGI,
        workers=n,
        respawn_failed_workers=True,
        # a process still answering (a client that stopped reading an export) is killed after
        # this long: without it a stop could wait forever
        workers_kill_timeout=10,
        http=HTTPModes.http1,
        websockets=False,
        log_level=LogLevels.error,  # errors only: the service logs its own (query log, app logger)
    )
    # granian handles SIGINT / SIGTERM: it stops its workers, whose query workers (daemonic
    # children) are stopped as they exit; a query worker whose server died exits by itself.
    try:
        server.serve(target_loader=functools.partial(_app_for, per_process(settings, n, metrics_dir)), wrap_loader=False)
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


def _serve_waitress(settings: Settings) -> None:
    import waitress

    from . import create_app

    app = create_app(settings)
    try:
        server = waitress.create_server(app, host=settings.host, port=settings.port, threads=settings.threads, ident="vnkg")
    except OSError as exc:
        app.extensions["vnkg"].close()
        raise ServeError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM ends the process the same way Ctrl-C does, so the query workers are stopped.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _announce(settings, getattr(server, "effective_port", settings.port))
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["vnkg"].close()

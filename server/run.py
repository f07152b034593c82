"""Run the service: `serve(settings)` starts the app under waitress.

The CLI (`vnkg serve`) builds Settings from its flags and the environment and calls `serve`.
"""

from __future__ import annotations

import ipaddress
import signal
import sys
import threading

from kg.config import Settings


class ServeError(ValueError):
    """The server cannot start: unsafe settings or an address it cannot listen on."""


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
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{getattr(server, 'effective_port', settings.port)}/"
    mode = "read-write (token)" if settings.update_token else ("read-write (anonymous)" if settings.allow_anonymous_update else "read-only")
    print(f"vnkg: serving {settings.store} at {url}  (SPARQL: {url}sparql, {mode})", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["vnkg"].close()

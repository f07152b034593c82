"""The application for a production server of your choice, configured from the environment.

    VNKG_STORE=/srv/vnkg/store VNKG_UPDATE_TOKEN=... VNKG_METRICS_DIR=/run/vnkg-metrics \\
        granian --interface asgi --workers 2 --port 8000 server.wsgi:asgi
    VNKG_STORE=/srv/vnkg/store gunicorn --workers 2 --threads 8 --bind 127.0.0.1:8000 'server.wsgi:app'
    VNKG_STORE=/srv/vnkg/store waitress-serve --threads 8 --listen 127.0.0.1:8000 server.wsgi:app

`app` is the WSGI app, `asgi` the same behind server.asgi's front (queries about one resource on
the event loop, the rest on VNKG_THREADS threads), which is what `vnkg serve` runs. Each worker
process reads the store through its own read-only view and writes one at a time (kg.sharing), so
several workers may serve one store. With several, give them a shared, writable VNKG_METRICS_DIR
(empty at start) so that /metrics adds up all of them; and divide VNKG_QUERY_WORKERS and
VNKG_QUERY_QUEUE by their number yourself (`vnkg serve` does it). Settings are those of `vnkg
serve`, as VNKG_<NAME> variables (kg.config). Anonymous updates are refused here: they are for
`vnkg serve` on a loopback address, in tests. See docs/deployment.md.
"""

from __future__ import annotations

from kg.config import Settings

from . import create_app
from .asgi import Front

settings = Settings.from_env()
if settings.allow_anonymous_update:
    raise SystemExit(
        "vnkg: VNKG_ALLOW_ANONYMOUS_UPDATE is for `vnkg serve` on a loopback address (tests); "
        "a production server needs VNKG_UPDATE_TOKEN instead"
    )
app = create_app(settings)
asgi = Front(app, settings.threads)

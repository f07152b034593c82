"""The WSGI application for a production server, configured from the environment.

    VNKG_STORE=/srv/vnkg/store VNKG_UPDATE_TOKEN=... \\
        granian --interface wsgi --workers 1 --blocking-threads 8 --port 8000 server.wsgi:app
    VNKG_STORE=/srv/vnkg/store gunicorn --workers 1 --threads 8 --bind 127.0.0.1:8000 'server.wsgi:app'
    VNKG_STORE=/srv/vnkg/store waitress-serve --threads 8 --listen 127.0.0.1:8000 server.wsgi:app

One process: it holds the store open for writing (RocksDB lets one process do that) and runs
queries in its own pool of worker processes, so more web processes would add nothing but a failure
to open the store. Settings are those of `vnkg serve`, as VNKG_<NAME> variables (kg.config).
Anonymous updates are refused here: they are for `vnkg serve` on a loopback address, in tests.
See docs/deployment.md.
"""

from __future__ import annotations

from kg.config import Settings

from . import create_app

settings = Settings.from_env()
if settings.allow_anonymous_update:
    raise SystemExit(
        "vnkg: VNKG_ALLOW_ANONYMOUS_UPDATE is for `vnkg serve` on a loopback address (tests); "
        "a production server needs VNKG_UPDATE_TOKEN instead"
    )
app = create_app(settings)

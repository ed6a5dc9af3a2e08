"""Warm a server process up before it accepts traffic.

`imvo serve` loads the application once in gunicorn's master (preload) and
calls ``warm_up()`` there, before the port is bound; the worker processes are
forked from the warmed master and inherit its imported modules, compiled
templates, translation catalogues and in-process caches. Without it the first
visitor paid for all of that (measured: benchmarks/bench_serve.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.conf import settings

logger = logging.getLogger("imvo.serve")

# Public pages every visitor may ask for first; each is rendered once in-process.
PAGES = (
    "/",
    "/complaints/new/",
    "/complaints/follow/",
    "/reports/",
    "/reports/dashboard/",
    "/reports/open-data/",
    "/risk/method/",
    "/api/openapi.json",
    "/api/docs",
    "/accounts/login/",
    "/health/ready/",
)


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and "*" not in host and not host.startswith("."):
            return host.strip("[]") if host.startswith("[") else host
    return "localhost"


def warm_up(pages: Iterable[str] = PAGES) -> dict[str, float]:
    """Render ``pages`` in this process; returns the seconds each took. A page that
    fails is logged and skipped: warming up must never stop the server starting."""
    from django.db import connections
    from django.test import Client
    from django.urls import get_resolver
    from django.utils import translation

    started = time.monotonic()
    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")  # loads the catalogue
    client = Client(HTTP_HOST=_host())
    timings: dict[str, float] = {}
    https = bool(settings.SECURE_SSL_REDIRECT)
    for path in pages:
        t = time.monotonic()
        try:
            response = client.get(path, secure=https)
            if response.status_code >= 500:
                logger.warning("warm-up: %s answered %s", path, response.status_code)
        except Exception:
            logger.exception("warm-up: %s failed", path)
        timings[path] = time.monotonic() - t
    # Connections must not be shared by the processes forked from this one.
    connections.close_all()
    logger.info("warmed up in %.1f s", time.monotonic() - started, extra={"pages": len(timings)})
    return timings

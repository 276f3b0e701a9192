"""Warm-up of a fresh worker: every page kind rendered once in this process before its first
visitor, so that the first request does not pay for imports, template compilation, URL
resolution, the database connection and the per-process memos (pvd.caching.ProcessMemo:
territory totals, base maps, geometries), nor, for the commune it renders, for the shared
fragments (issue 17: first request of a fresh worker < 300 ms on every page).

Called by ``pvd.config.serving.warm_up`` in each gunicorn worker after the fork. Requests go
through the application gunicorn serves (``pvd.config.wsgi.application``: its middleware
instances, its URL resolver), on an allowed host; their log lines are muted; a failing page is
logged and skipped, never stopping the worker.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("pvd.serve")

# Pages of the load mix (home, search, commune, portrait, dashboard) and the territorial pages.
PAGES = (
    "/",
    "/recherche?q=paris",
    "/communes/{code}/",
    "/communes/{code}/portrait/",
    "/programme/pvd/",
    "/programme/pvd/regions/{region}/",
    "/programme/pvd/departements/{departement}/",
    "/departements/{departement}/",
    "/regions/{region}/",
    "/indicateurs/",
)


def _example() -> dict[str, str] | None:
    """A small town (the portrait's typical case) and its department and region."""
    from pvd.territories.models import Commune

    row = (
        Commune.objects.filter(type=Commune.Type.COM, population__lt=20000)
        .order_by("-population", "code")
        .values("code", "departement_id", "region_id")
        .first()
    )
    if row is None:
        return None
    return {"code": row["code"], "departement": row["departement_id"], "region": row["region_id"]}


def get(url: str, *, host: str | None = None) -> int:
    """GET ``url`` through the served WSGI application; returns the status code."""
    from django.conf import settings
    from django.test import RequestFactory

    from pvd.config.wsgi import application

    if host is None:
        host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    environ = RequestFactory(SERVER_NAME=host.lstrip(".")).get(url).environ
    status: list[str] = []
    body = application(environ, lambda s, headers, exc_info=None: status.append(s))
    try:
        for _ in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0])


def warm_pages() -> dict[str, float]:
    """Render each page once; returns the milliseconds of each (an empty database: home only)."""
    requests_log = logging.getLogger("pvd.requests")
    level = requests_log.level
    requests_log.setLevel(logging.WARNING)
    timings: dict[str, float] = {}
    try:
        example = _example()
        for page in PAGES if example else PAGES[:1]:
            url = page.format(**example) if example else page
            start = time.perf_counter()
            try:
                status = get(url)
            except Exception:  # never keep a worker from starting
                logger.warning("warm-up of %s failed", url, exc_info=True)
                continue
            timings[url] = (time.perf_counter() - start) * 1000
            if status != 200:
                logger.warning("warm-up of %s: HTTP %s", url, status)
    finally:
        requests_log.setLevel(level)
    return timings

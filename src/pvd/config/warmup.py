"""Warm-up of a fresh worker: every page kind rendered once in this process before its first
visitor, so that the first request does not pay for imports, template compilation, URL
resolution, the database connection and the per-process memos (pvd.caching.ProcessMemo:
territory totals, base maps, geometries), nor, for the commune it renders, for the shared
fragments (issue 17: first request of a fresh worker < 300 ms on every page).

Called by ``pvd.config.serving.warm_up`` in each gunicorn worker after the fork. Requests go
through a WSGI handler like the one gunicorn serves (middleware, URL resolver, templates), on an
allowed host; their log lines are muted; a failing page is logged and skipped, never stopping
the worker.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger("pvd.serve")

# Pages of the load mix (home, search, commune, portrait, dashboard) and the territorial pages.
PAGES = (
    "/",
    "/recherche?q=saint",
    "/api/v1/communes/search?q=saint",
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


_application = None


def _handler():
    """A WSGI handler like the one gunicorn serves (importing ``pvd.config.wsgi`` here would
    set Django up again, and with it the logging configuration)."""
    global _application
    if _application is None:
        from django.core.handlers.wsgi import WSGIHandler

        _application = WSGIHandler()
    return _application


def get(url: str, *, host: str | None = None) -> int:
    """GET ``url`` through the served WSGI application; returns the status code."""
    from django.conf import settings
    from django.test import RequestFactory

    application = _handler()
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


def warm_pages(notify=None) -> dict[str, tuple[int, float]]:
    """Render each page once; returns each URL's status and milliseconds (an empty database:
    the home page only). ``notify()`` runs after each page: gunicorn's heartbeat (a worker
    silent for ``timeout`` seconds is killed, and a busy machine can make the warm-up long)."""
    requests_log = logging.getLogger("pvd.requests")
    previous, requests_log.disabled = requests_log.disabled, True  # not a visitor's request
    timings: dict[str, tuple[int, float]] = {}
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
            finally:
                if notify:
                    notify()
            timings[url] = (status, (time.perf_counter() - start) * 1000)
            if status != 200:
                logger.warning("warm-up of %s: HTTP %s", url, status)
    finally:
        requests_log.disabled = previous
    return timings

"""`pvd serve`: gunicorn in front of the Django application, sized to the machine's cores.

The master process has already set Django up (migrations, static files; the data load runs in a
child process): the workers are forked from it, with no database connection open and no polars
computation done (its thread pool does not survive a fork), and serve the same WSGI application.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

MAX_WORKERS = 8


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(cores: int, override: str | None = None) -> int:
    """``PVD_WORKERS`` when set, else cores + 1, at most MAX_WORKERS (each worker runs
    DEFAULT_THREADS threads: 3 processes x 4 threads served the page mix of bench/load.py with
    15 % less CPU per request than 5 single-threaded processes, in 40 % less memory)."""
    if override:
        try:
            workers = int(override)
        except ValueError:
            workers = 0
        if workers < 1:
            raise ImproperlyConfigured(f"PVD_WORKERS={override!r}: expected a whole number >= 1")
        return workers
    return min(cores + 1, MAX_WORKERS)


DEFAULT_THREADS = 4


def thread_count(override: str | None = None) -> int:
    """``PVD_THREADS`` when set, else DEFAULT_THREADS: threads of each worker (1: sync workers)."""
    if not override:
        return DEFAULT_THREADS
    if not override.isdigit() or not 1 <= int(override) <= 64:
        raise ImproperlyConfigured(f"PVD_THREADS={override!r}: expected a whole number, 1 to 64")
    return int(override)


def gunicorn_options(host: str, port: int, workers: int, threads: int | None = None) -> dict:
    if threads is None:
        threads = thread_count(os.environ.get("PVD_THREADS"))
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        # gthread: each worker serves `threads` requests at once and keeps idle connections
        # open (keep-alive) without holding a thread; sync: one request per process, no
        # keep-alive.
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "keepalive": 5,
        "timeout": 60,  # the longest pages (PDF portraits) take a few seconds
        "graceful_timeout": 20,
        "max_requests": 2000,  # recycle workers now and then (memory of large imports)
        "max_requests_jitter": 200,
        "accesslog": None,  # one line per request is written by pvd.web.middleware
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "pvd",
        # no runtime control socket (gunicorn >= 25 creates one in ~/.gunicorn by default)
        "control_socket_disable": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        # Each worker warms its own caches after the fork: polars' thread pool, used by the
        # pages, does not survive a fork, so the master never computes anything.
        "post_worker_init": lambda worker: warm_up(),
    }


def warm_up() -> None:
    """Import every view module (polars, scikit-learn...) and build the per-process caches the
    home and search pages use (search index, national dashboard, map), in each worker as it
    starts (never in the master: see ``post_worker_init``), so that its first request does not
    spend 0.7 s (home) to 4 s (search) on them. A failure here only costs that time later."""
    import logging

    from django.conf import settings
    from django.test import RequestFactory
    from django.urls import get_resolver

    from pvd.web import views

    get_resolver().url_patterns  # noqa: B018 (the lazy import is the point)
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    factory = RequestFactory(SERVER_NAME=host.lstrip("."))
    try:
        views.home(factory.get("/"))
        views.search(factory.get("/recherche", {"q": "paris"}))
    except Exception:  # never keep the platform from starting
        logging.getLogger("pvd.serve").warning("warm-up failed", exc_info=True)


def run_gunicorn(application, options: dict) -> None:
    """Serve ``application`` until interrupted (SIGINT/SIGTERM stop the workers gracefully)."""
    from gunicorn.app.base import BaseApplication

    class PvdGunicorn(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    PvdGunicorn().run()

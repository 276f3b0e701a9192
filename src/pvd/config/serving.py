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
    DEFAULT_THREADS threads: on 2 cores, 3 processes x 4 threads served the page mix of
    bench/load.py with 7-16 % less CPU per request than 5 single-threaded processes on SQLite,
    the same on PostgreSQL, with keep-alive and two processes' memory less; bench/RESULTS.md)."""
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
        # Recycle workers now and then (memory), but rarely: a new worker spends a few seconds
        # of CPU warming up, and at 250 requests/s 2,000 requests were 24 s of a worker's life.
        "max_requests": 50000,
        "max_requests_jitter": 5000,
        "accesslog": None,  # one line per request is written by pvd.web.middleware
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "pvd",
        # no runtime control socket (gunicorn >= 25 creates one in ~/.gunicorn by default)
        "control_socket_disable": True,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        # Each worker warms its own caches after the fork: polars' thread pool, used by the
        # pages, does not survive a fork, so the master never computes anything.
        "post_worker_init": _post_worker_init,
    }


def warm_up(notify=None) -> None:
    """Make each worker's first requests as fast as its later ones, as it starts (never in the
    master: see ``post_worker_init``): every page type once through the served WSGI stack
    (``pvd.config.warmup``). Logs one line with its duration. A failure here only costs that
    time later: it never keeps the platform from starting."""
    import logging
    import time

    from pvd.config.warmup import warm_pages

    log = logging.getLogger("pvd.serve")
    start = time.perf_counter()
    timings: dict = {}
    try:
        timings = warm_pages(notify)
    except Exception:
        log.warning("warm-up failed", exc_info=True)
    log.info(
        "worker %d warm in %.0f ms (%s)",
        os.getpid(),
        (time.perf_counter() - start) * 1000,
        ", ".join(f"{url} {status}" for url, (status, _) in timings.items()),
    )


def settle_heap() -> None:
    """After the warm-up: collect once, then move every object made so far (Django, the apps,
    templates, per-process memos) to the collector's permanent generation (``gc.freeze``), so
    that no later collection walks them again: a full collection of the ~290,000 objects of a
    warm worker took ~180 ms of CPU, holding the GIL, and so stalled every thread of the worker
    (issue 17: the load test's tail latency). Frozen objects are still freed by reference
    counting; only cycles among them are kept (none is made per request). The thresholds stay
    Python's: a young generation of 7,000 or 50,000 allocations instead of 700 spent as much
    CPU in the collector in bench/bench_mix.py, in longer pauses (5-60 ms instead of < 1 ms)."""
    import gc

    gc.collect()
    gc.freeze()


def freeze_before_fork() -> None:
    """In the master, before gunicorn forks its workers: what it made (Django set up, the
    application loaded) is moved to the permanent generation, so that the workers' collections
    neither walk it nor write to its memory pages (each write copies a page shared with the
    master). Python's documentation recommends it for forking servers (``gc.freeze``)."""
    import gc

    gc.freeze()


def _post_worker_init(worker) -> None:
    from django.db import connections

    warm_up(worker.notify)
    connections.close_all()  # opened by the warm-up's thread; each request thread has its own
    settle_heap()


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

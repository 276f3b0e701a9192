#!/usr/bin/env python
"""Benchmark the pages against bare Django baselines (issue 17), in one process, same run.

Pages: the portrait over 200 random communes under 20,000 inhabitants (seeded), the commune
page over the same communes, the home page, the national programme dashboard. Baselines
(bench/baselines/bare_pages.py, served beside them by the same test client and middleware):
one stored row and a small template (for the portrait and commune pages), one GROUP BY and a
small template (for the dashboard and home).

Every page is timed "cold" (the first request for it after a data version change: the shared
cache holds nothing for it) and "warm" (the same requests again). Then "first request of a
fresh worker": one child process per page, started after the runs above (the shared cache is
warm, as for a worker started beside running ones), without and with ``pvd.config.warmup``.

Needs a loaded database (``pvd data load``; the indicators built): the one of PVD_DATA_DIR, or
``--database-url postgres://...``. Prints p50/p95 in ms and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    sys.path.insert(0, str(HERE))
    import django
    from django.conf import settings

    django.setup()
    logging.getLogger("pvd.requests").setLevel(logging.WARNING)  # one line per request
    settings.ROOT_URLCONF = "baselines.bare_pages"
    settings.ALLOWED_HOSTS = ["*"]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def sample_communes(size: int, seed: int) -> list[str]:
    """``size`` communes under 20,000 inhabitants drawn with ``seed`` (the load test's draw)."""
    from pvd.territories.models import Commune

    codes = list(
        Commune.objects.filter(type="COM", population__lt=20000)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not codes:
        raise SystemExit("empty database: run `pvd data load` first")
    return random.Random(seed).sample(codes, min(size, len(codes)))


def timed_get(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def child(url: str, warm: bool) -> None:
    """One fresh worker: the WSGI application created (as gunicorn's master does before the
    fork), then (the warm-up, then) its first request of ``url``, through that application."""
    t0 = time.perf_counter()
    setup(os.environ.get("DATABASE_URL"))
    import pvd.config.wsgi  # noqa: F401  (the application: created before the fork)
    from pvd.config import warmup

    t1 = time.perf_counter()
    warm_ms = None
    if warm:
        warmup.warm_pages()
        warm_ms = (time.perf_counter() - t1) * 1000
    start = time.perf_counter()
    status = warmup.get(url, host="localhost")
    first = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    print(json.dumps({"setup_ms": (t1 - t0) * 1000, "warm_ms": warm_ms, "first_ms": first}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--communes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--repeat", type=int, default=200, help="requests of home/dashboard")
    parser.add_argument("--no-first", action="store_true", help="skip the fresh-worker runs")
    parser.add_argument("--first-only", action="store_true", help="only the fresh-worker runs")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_warm)
        return 0

    setup(args.database_url)
    from django.db import connection
    from django.test import Client

    from pvd.caching import bump_data_version

    sample = sample_communes(args.communes, args.seed)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}, "
        f"database: {connection.vendor}, {len(sample)} communes < 20,000 (seed {args.seed})"
    )
    client = Client()
    if args.first_only:
        first_requests(args, sample)
        return 0
    bump_data_version()  # every page starts cold: nothing cached for this data version
    timings: dict[str, list[float]] = {}

    def run(name: str, url: str) -> None:
        timings.setdefault(name, []).append(timed_get(client, url))

    timed_get(client, f"/bare/row/{sample[0]}/")  # the connection and the URL resolver
    timed_get(client, "/bare/group-by/")
    for phase in ("cold", "warm"):
        for code in sample:
            run("bare row", f"/bare/row/{code}/")
            run(f"portrait {phase}", f"/communes/{code}/portrait/")
            run(f"commune {phase}", f"/communes/{code}/")
        for _ in range(1 if phase == "cold" else args.repeat):
            run("bare group-by", "/bare/group-by/")
            run(f"dashboard {phase}", "/programme/pvd/")
            run(f"home {phase}", "/")

    base = {"row": timings["bare row"], "group": timings["bare group-by"]}
    vs = {"portrait": "row", "commune": "row", "dashboard": "group", "home": "group"}
    print(f"{'page':<22}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'x p50':>8}{'x p95':>8}")
    for name, values in timings.items():
        ref = base[vs[name.split()[0]]] if name.split()[0] in vs else None
        ratio = (
            f"{statistics.median(values) / statistics.median(ref):>8.1f}"
            f"{pct(values, 95) / pct(ref, 95):>8.1f}"
            if ref
            else ""
        )
        print(
            f"{name:<22}{len(values):>5}{statistics.median(values):>9.2f}"
            f"{pct(values, 95):>9.2f}{ratio}"
        )

    if not args.no_first:
        first_requests(args, sample)
    return 0


def first_requests(args, sample: list[str]) -> None:
    print("first request of a fresh worker (shared cache warm), median of 3 processes:")
    env = dict(os.environ)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    pages = {
        "bare row": f"/bare/row/{sample[0]}/",
        "home": "/",
        "commune": f"/communes/{sample[1]}/",
        "portrait": f"/communes/{sample[2]}/portrait/",
        "dashboard": "/programme/pvd/",
        "search": "/recherche?q=saint",
    }
    from django.test import Client

    client = Client()
    for url in pages.values():  # a worker started beside running ones finds them cached
        timed_get(client, url)
    for name, url in pages.items():
        line = f"  {name:<10}"
        for warm in (False, True):
            runs = []
            for _ in range(3):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", url]
                    + (["--child-warm"] if warm else []),
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if out.returncode:
                    line += f" {'with' if warm else 'without'} warm-up: failed"
                    print(out.stderr[-800:])
                    break
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            if runs:
                first = statistics.median(r["first_ms"] for r in runs)
                label = "warm-up" if warm else "no warm-up"
                extra = (
                    f" (warm-up {statistics.median(r['warm_ms'] for r in runs):.0f} ms)"
                    if warm
                    else ""
                )
                line += f"  {label}: {first:7.1f} ms{extra}"
        print(line)


if __name__ == "__main__":
    sys.exit(main())

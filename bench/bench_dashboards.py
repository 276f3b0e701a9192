#!/usr/bin/env python
"""Benchmark the programme dashboards against the bare GROUP BY baseline (issue 17: p95 <= 2.5x),
national, regional and departmental, in one process, same run.

Pages: the national dashboard, regions 75 and 84, department 24 (``--pages`` to change them).
Baseline (bench/baselines/bare_pages.py, served beside them by the same test client and
middleware): one GROUP BY over the laureates' table and a small template.

- "cold": the first request of each page after a data-version change (``--cold-rounds`` times):
  nothing cached for that version, neither the page body nor the per-process memos that follow
  the data version; CPU time of the request and its queries;
- "warm": ``--repeat`` requests of each page, interleaved with the baseline; p50/p95 of wall
  time and the ratio to the baseline's, and the median CPU time.

``--profile URL``: cProfile of 3 cold requests of URL (or ``warm:URL``: 200 warm ones), the 40
most expensive functions by cumulative time.

    PVD_DATA_DIR=/tmp/pvd-load-d python bench/bench_dashboards.py [--database-url URL]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

from bench_pages import pct, setup

PAGES = (
    "/programme/pvd/",
    "/programme/pvd/regions/75/",
    "/programme/pvd/regions/84/",
    "/programme/pvd/departements/24/",
)


def timed(client, url: str) -> tuple[float, float]:
    """(wall ms, CPU ms) of one GET of ``url``."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def profile(client, target: str) -> None:
    from pvd.caching import bump_data_version

    warm = target.startswith("warm:")
    url = target.removeprefix("warm:")
    client.get(url)
    prof = cProfile.Profile()
    for _ in range(200 if warm else 3):
        if not warm:
            bump_data_version()
        prof.enable()
        client.get(url)
        prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--repeat", type=int, default=200, help="warm requests of each page")
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument("--profile", default=None, help="URL or warm:URL")
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pvd.caching import bump_data_version

    client = Client()
    client.get("/bare/group-by/")  # the connection, the URL resolver, the templates
    if args.profile:
        profile(client, args.profile)
        return 0
    print(
        f"load {os.getloadavg()}, database: {connection.vendor}; cold: first request after a "
        f"data change, median of {args.cold_rounds}; warm: {args.repeat} requests each"
    )
    cold: dict[str, list[float]] = {url: [] for url in args.pages}
    queries: dict[str, int] = {}
    for _ in range(args.cold_rounds):
        bump_data_version()
        for url in args.pages:
            with CaptureQueriesContext(connection) as captured:
                cold[url].append(timed(client, url)[1])
            queries[url] = len(captured)
    warm: dict[str, list[tuple[float, float]]] = {url: [] for url in ["bare", *args.pages]}
    for url in args.pages:
        client.get(url)
    for _ in range(args.repeat):
        warm["bare"].append(timed(client, "/bare/group-by/"))
        for url in args.pages:
            warm[url].append(timed(client, url))
    base_walls = [w for w, _ in warm["bare"]]
    print(
        f"{'page':34}{'cold CPU':>10}{'queries':>8}{'warm p50':>10}{'p95':>8}"
        f"{'x p50':>7}{'x p95':>7}{'CPU p50':>9}"
    )
    for url, values in warm.items():
        walls = [w for w, _ in values]
        cpus = [c for _, c in values]
        cold_cpu = f"{statistics.median(cold[url]):10.1f}" if url in cold else f"{'':10}"
        print(
            f"{url:34}{cold_cpu}{queries.get(url, ''):>8}{statistics.median(walls):10.2f}"
            f"{pct(walls, 95):8.2f}{statistics.median(walls) / statistics.median(base_walls):7.2f}"
            f"{pct(walls, 95) / pct(base_walls, 95):7.2f}{statistics.median(cpus):9.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

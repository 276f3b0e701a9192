#!/usr/bin/env python
"""Benchmark the commune search against a bare FTS5 trigram query (issue 17: search <= 2x).

Times, per query, in this process: the API (`GET /api/v1/communes/search?q=...` through Django's
test client: URL routing, middleware, ninja, JSON), the selector (`communes_search`), and the bare
baseline (bench/baselines/fts_search.py: one FTS5 trigram query on a table of the same communes).
The queries: 300 drawn with a fixed seed (name prefixes of 3 to 12 characters, whole names,
INSEE and postal codes), each run --rounds times after one warm-up pass; p50/p95 over all runs.
Also, for reference, Django's floor (the health view through the same client and middleware),
and the index's first load in a fresh process state (memo emptied): from the shared cache, and
built from the database.

    python bench/bench_search.py [--data-dir DIR] [--database-url URL] [--rounds 5]

The database must hold the referential (`pvd data load --referentiel`). Prints the figures;
record them in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "baselines"))


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed(call, queries: list[str], rounds: int) -> list[float]:
    for q in queries:  # warm-up pass
        call(q)
    times = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            call(q)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="PVD_DATA_DIR (default: the environment's)")
    parser.add_argument("--database-url", help="DATABASE_URL, e.g. postgres://pvd:pvd@127.0.0.1/x")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.data_dir:
        os.environ["PVD_DATA_DIR"] = args.data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)  # the request log line of every API call
    import fts_search
    from django.db import connection
    from django.test import Client

    from pvd.territories import selectors
    from pvd.territories.models import Commune

    rows = list(Commune.objects.values_list("code", "nom", "population", "codes_postaux"))
    if not rows:
        sys.exit("empty database: run `pvd data load --referentiel` first")
    rng = random.Random(2026)
    queries = []
    for code, nom, _, postal in rng.sample(rows, 300):
        kind = rng.random()
        if kind < 0.6:
            queries.append(nom[: rng.randint(3, 12)])
        elif kind < 0.8:
            queries.append(nom)
        elif kind < 0.9 or not postal:
            queries.append(code)
        else:
            queries.append(postal[0])

    # The index's first load in a process: built when no process stored it for the current data
    # (the first one after an import), then loaded from the shared cache (every other one).
    loads = {}
    from pvd import caching

    for name in ("first", "next"):
        if name == "first":
            caching.bump_data_version()
        if hasattr(selectors, "_index_memo"):
            selectors._index_memo.clear()
            selectors._last_index = None
        else:  # the sources before the index was persisted (9507f0a), for a before/after run
            selectors._index = None
        start = time.perf_counter()
        selectors.search_index()
        loads[name] = (time.perf_counter() - start) * 1000

    with tempfile.TemporaryDirectory(prefix="pvd-bench-fts-") as tmp:
        path = str(Path(tmp) / "fts.sqlite3")
        fts_search.build(path, [(c, n, p) for c, n, p, _ in rows])
        fts = sqlite3.connect(path)
        baseline = timed(lambda q: fts_search.search(fts, q), queries, args.rounds)
        selector = timed(lambda q: selectors.communes_search(query=q, limit=10), queries,
                         args.rounds)
        client = Client()
        api = timed(lambda q: client.get("/api/v1/communes/search", {"q": q}), queries,
                    args.rounds)
        # Django's floor for a request through the same client and middleware: the health view
        # (one SELECT 1, a small JSON answer).
        floor = timed(lambda q: client.get("/sante/"), queries, args.rounds)

    base50, base95 = percentiles(baseline)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), "
          f"{len(rows)} communes, {len(queries)} queries x {args.rounds} rounds")
    print(f"index in a new process: {loads['first']:.0f} ms (first after a data change: built "
          f"and stored), {loads['next']:.0f} ms (loaded from the shared cache)")
    print(f"{'':24} {'p50 ms':>8} {'p95 ms':>8} {'x p50':>6} {'x p95':>6}")
    for name, values in (
        ("bare FTS5 trigram", baseline),
        ("selector", selector),
        ("API", api),
        ("Django floor: GET /sante/", floor),
    ):
        p50, p95 = percentiles(values)
        print(f"{name:24} {p50:8.3f} {p95:8.3f} {p50 / base50:6.2f} {p95 / base95:6.2f}")


if __name__ == "__main__":
    main()

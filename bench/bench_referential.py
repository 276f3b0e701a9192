#!/usr/bin/env python
"""Benchmark the referential: `pvd data load` into an empty SQLite database, then the latency of
1,000 commune searches (through the same selector the API and the web use).

Targets (issue "foundation"): load < 20 s, search p95 < 20 ms on a 2-core machine.
Prints its figures; record them in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def time_load(data_dir: Path) -> float:
    env = {**os.environ, "PVD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "pvd"), "data", "load", "--referentiel"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def queries(rng: random.Random, communes: list[tuple[str, str, list[str]]], n: int) -> list[str]:
    """Realistic queries: full names in several spellings, prefixes, codes, postal codes."""
    from pvd.domain.search import fold

    out = []
    for _ in range(n):
        code, nom, cps = rng.choice(communes)
        kind = rng.random()
        if kind < 0.35:
            q = nom
        elif kind < 0.55:
            q = fold(nom).replace("saint", "st")
        elif kind < 0.75:
            q = fold(nom)[: rng.randint(3, 8)]
        elif kind < 0.85:
            q = code
        elif kind < 0.95 and cps:
            q = rng.choice(cps)
        else:
            q = " ".join(w[:4] for w in fold(nom).split()[:2])
        out.append(q)
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        load_seconds = time_load(data_dir)
        reload_seconds = time_load(data_dir)

        os.environ["PVD_DATA_DIR"] = str(data_dir)
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from pvd.territories.models import Commune
        from pvd.territories.selectors import communes_search

        communes = list(
            Commune.objects.filter(type="COM").values_list("code", "nom", "codes_postaux")
        )
        rng = random.Random(2026)
        qs = queries(rng, communes, 1000)
        start = time.perf_counter()
        communes_search(query="warm up", limit=10)  # first call builds the index
        index_seconds = time.perf_counter() - start
        latencies = []
        empty = 0
        for q in qs:
            t0 = time.perf_counter()
            hits = communes_search(query=q, limit=10)
            latencies.append((time.perf_counter() - t0) * 1000)
            empty += not hits
        latencies.sort()
        p = lambda f: latencies[min(len(latencies) - 1, int(f * len(latencies)))]  # noqa: E731

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"pvd data load, empty SQLite (incl. migrate): {load_seconds:.1f} s (target < 20 s)")
    print(f"pvd data load, second run (no change):        {reload_seconds:.1f} s")
    print(f"search index build (first query):             {index_seconds * 1000:.0f} ms")
    print(
        f"search over {len(qs)} queries: p50 {p(0.5):.2f} ms, p95 {p(0.95):.2f} ms, "
        f"p99 {p(0.99):.2f} ms, max {latencies[-1]:.2f} ms, mean {statistics.mean(latencies):.2f} ms "
        f"(target p95 < 20 ms); {empty} queries without result"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark the programme registry: import of the shared PVD list and ORT sheet, then the
server time of the dashboards (national, region, department) and of the dashboard API.

Targets (issue #5): import of the shared list < 5 s; national dashboard p95 < 200 ms.
Runs on a fresh SQLite database in a temporary data dir (the referential is loaded first with
`pvd data load`, not timed). Server time is measured around Django's test client request (URL
routing, views, queries, template rendering), warm: the first request of each page is reported
apart. Prints its figures; record them in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
REQUESTS = 200


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    shared = Path(
        os.environ.get("PVD_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    pvd_list = shared / "pvd" / "pvd-2024-hors-aura.csv"
    ort_list = shared / "programmes" / "ort-2024-hors-aura.csv"
    if not pvd_list.exists():
        print(f"shared data not found: {pvd_list} (set PVD_SHARED_DATA)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        subprocess.run(
            [str(BIN / "pvd"), "data", "load", "--referentiel"], check=True, capture_output=True
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from django.test import Client

        from pvd.programme.services import laureates_import, ort_import

        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            "SQLite (temporary file)"
        )
        first = timed(lambda: laureates_import(path=pvd_list, programme_slug="pvd"))
        again = timed(lambda: laureates_import(path=pvd_list, programme_slug="pvd"))
        dry = timed(lambda: laureates_import(path=pvd_list, programme_slug="pvd", dry_run=True))
        ort = timed(lambda: ort_import(path=ort_list))
        ort_again = timed(lambda: ort_import(path=ort_list))
        print(f"import {pvd_list.name} (1,419 rows) into an empty registry: {first:.2f} s")
        print(f"same import again (no change): {again:.2f} s; dry run: {dry:.2f} s")
        print(f"import {ort_list.name} (2,003 rows): {ort:.2f} s; again: {ort_again:.2f} s")
        cmd = timed(
            lambda: subprocess.run(
                [str(BIN / "pvd"), "programme", "import-laureates", str(pvd_list)],
                check=True,
                capture_output=True,
            )
        )
        print(f"`pvd programme import-laureates` (whole command, re-import): {cmd:.2f} s")

        client = Client()
        pages = {
            "national dashboard /programme/pvd/": "/programme/pvd/",
            "national, departments map": "/programme/pvd/?carte=departements&mesure=part_population",
            "region dashboard (75)": "/programme/pvd/regions/75/",
            "department dashboard (24)": "/programme/pvd/departements/24/",
            "API tableau-de-bord (France)": "/api/v1/programmes/pvd/tableau-de-bord",
        }
        for label, url in pages.items():
            cold = timed(lambda url=url: client.get(url))
            times = []
            for _ in range(REQUESTS):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(
                f"{label}: first {cold * 1000:.0f} ms; {REQUESTS} requests p50 / p95 / max = "
                f"{statistics.median(times):.0f} / {percentile(times, 0.95):.0f} / "
                f"{max(times):.0f} ms"
            )
        # The same page when the registry just changed (dashboard cache empty every time).
        from pvd.programme import dashboards

        times = []
        for _ in range(50):
            dashboards._dash_cache.clear()
            start = time.perf_counter()
            client.get("/programme/pvd/")
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"national dashboard, cache emptied before each of 50 requests: p50 / p95 / max = "
            f"{statistics.median(times):.0f} / {percentile(times, 0.95):.0f} / "
            f"{max(times):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

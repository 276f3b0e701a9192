#!/usr/bin/env python
"""Benchmark the portrait de ville (issue #3).

In a temporary SQLite data directory: load the referential, import the shared housing, Filosofi
and BPE 2013 files and the geometries of the location map (commune centres, department
contours; not timed beyond their own line), then
1. build every indicator for every commune and aggregate, and the similar towns, in a child
   process (computation time, storage time and peak memory: target < 10 s and < 1 GB);
2. portrait page server time over 200 random communes (Django test client: routing, view,
   queries, templates; target p95 < 150 ms);
3. PDF generation for 10 communes (target < 3 s).

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
SHARED = Path(
    os.environ.get("PVD_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)

CHILD = r"""
import os, resource, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
import django
django.setup()
from pvd.diagnostics import services
from pvd.domain import peers
from pvd.domain.indicators import engine
t0 = time.perf_counter()
geo = services.geography_frame()
obs, _ = services.observations_frame(geo)
t1 = time.perf_counter()
result = engine.build(obs, geo)
t2 = time.perf_counter()
similar = peers.similar_communes(result.values)
t3 = time.perf_counter()
report = services.indicators_build()
t4 = time.perf_counter()
import subprocess, sys
from pathlib import Path
subprocess.run([str(Path(sys.executable).parent / "pvd"), "indicators", "build"], check=True,
               capture_output=True)
t5 = time.perf_counter()
print(json.dumps({
    "read": t1 - t0, "engine": t2 - t1, "peers": t3 - t2,
    "build_total": t4 - t3, "command": t5 - t4, "compute": report.seconds_compute, "store": report.seconds_store,
    "values": report.values, "peers_rows": report.peers,
    "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PVD_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        os.environ.update(env)
        os.environ.pop("DATABASE_URL", None)
        subprocess.run(
            [str(BIN / "pvd"), "data", "load", "--referentiel"],
            env=env,
            check=True,
            capture_output=True,
        )
        for kind, path in (
            ("logement", SHARED / "insee" / "logement-2021-communes.csv"),
            ("filosofi", SHARED / "insee" / "filosofi-2021-communes-med.csv"),
            ("bpe", SHARED / "bpe" / "bpe13_ensemble.csv"),
        ):
            start = time.perf_counter()
            subprocess.run(
                [str(BIN / "pvd"), "indicators", "import", kind, str(path)],
                env=env,
                check=True,
                capture_output=True,
            )
            print(
                f"import {kind} ({path.name}), whole command: {time.perf_counter() - start:.1f} s"
            )
        start = time.perf_counter()
        subprocess.run(
            [
                str(BIN / "pvd"),
                "data",
                "import-geo",
                str(SHARED / "geo" / "communes-centroides.csv"),
                str(SHARED / "geo" / "polygone-4326_dep.geojson"),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        print(
            f"import-geo (centres + contours), whole command: {time.perf_counter() - start:.1f} s"
        )
        out = subprocess.run(
            [str(BIN / "python"), "-c", CHILD], env=env, check=True, capture_output=True, text=True
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"read observations from the database: {figures['read']:.2f} s")
        print(
            f"indicators engine (all communes, EPCI, departments, regions, France): "
            f"{figures['engine']:.2f} s, {figures['values']} values"
        )
        print(
            f"similar towns (k=10, all communes): {figures['peers']:.2f} s, "
            f"{figures['peers_rows']} rows"
        )
        print(
            f"indicators_build service: compute {figures['compute']:.2f} s + store "
            f"{figures['store']:.2f} s = {figures['build_total']:.2f} s"
        )
        print(f"`pvd indicators build`, whole command: {figures['command']:.2f} s")
        print(f"peak memory of the build process: {figures['maxrss_mb']:.0f} MB")

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.test import Client

        from pvd.diagnostics.pdf import portrait_pdf
        from pvd.diagnostics.views import _commune, portrait_context
        from pvd.territories.models import Commune

        settings.ALLOWED_HOSTS = ["testserver"]
        client = Client()
        codes = sorted(Commune.objects.filter(type="COM").values_list("code", flat=True))
        rng = random.Random(3)
        sample = rng.sample(codes, 200)
        start = time.perf_counter()
        client.get(f"/communes/{sample[0]}/portrait/")
        print(f"first portrait of the process: {(time.perf_counter() - start) * 1000:.0f} ms")
        times = []
        with_map = 0
        for code in sample:
            start = time.perf_counter()
            r = client.get(f"/communes/{code}/portrait/")
            times.append((time.perf_counter() - start) * 1000)
            assert r.status_code == 200, code
            with_map += b"data-pvd-location" in r.content  # the Leaflet map's data is there
        print(
            f"portrait page, 200 communes: p50 {statistics.median(times):.0f} ms, "
            f"p95 {pct(times, 95):.0f} ms, max {max(times):.0f} ms; {with_map} with the "
            "Leaflet location map"
        )
        pdf_times = []
        for code in sample[:10]:
            start = time.perf_counter()
            portrait_pdf(portrait_context(_commune(code)))
            pdf_times.append(time.perf_counter() - start)
        print(
            f"PDF, 10 communes: p50 {statistics.median(pdf_times):.2f} s, "
            f"max {max(pdf_times):.2f} s (first: {pdf_times[0]:.2f} s)"
        )
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

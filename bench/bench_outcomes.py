#!/usr/bin/env python
"""Benchmark the outcomes (issue 16): reading the inputs, then matching, effects, bootstrap
intervals and every breakdown (France, regions, departments, population bands, ORT, time since
signature) on the embedded data: referential (population series 2019-2023), PVD list 2024
without Auvergne-Rhône-Alpes, ACV, ORT sheet 2024.

Target (issue #16): computing all breakdowns < 10 s. Runs on a fresh SQLite database in a
temporary data dir (set-up not timed: `pvd data load --referentiel`, then the three registry
products of the embedded open data). Prints its figures; record them in bench/RESULTS.md.
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
RUNS = 5
FILES = (
    "pvd/pvd-2024-hors-aura.csv.gz",
    "programmes/acv.csv.gz",
    "programmes/ort-2024-hors-aura.csv.gz",
)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        subprocess.run([str(BIN / "pvd"), "data", "load", "--referentiel"], check=True,
                       capture_output=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from pvd.opendata.load import load_product
        from pvd.opendata.manifest import OPENDATA_DIR, PRODUCTS, read_manifest

        manifest = read_manifest()
        for file in FILES:
            product = next(p for p in PRODUCTS if p.file == file)
            load_product(product, manifest[file], OPENDATA_DIR, Path(tmp))

        from pvd.domain import outcomes as odomain
        from pvd.outcomes import selectors, services

        t = time.perf_counter()
        data = selectors.outcome_inputs()
        cold_inputs = time.perf_counter() - t
        warm_inputs, computes, nationals = [], [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            data = selectors.outcome_inputs()
            warm_inputs.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = odomain.compute(data.frame)
            computes.append(time.perf_counter() - t)
            t = time.perf_counter()
            odomain.compute(data.frame, dimensions=())
            nationals.append(time.perf_counter() - t)
        t = time.perf_counter()
        services.outcomes_compute(fresh=True)
        service = time.perf_counter() - t
        t = time.perf_counter()
        services.outcomes_compute()
        cached = time.perf_counter() - t
        groups = sum(len(v) for v in result.breakdowns.values())
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"laureates matched: {result.matching.matched} / {result.matching.laureates}, "
              f"comparable towns {result.matching.comparables}, pool {result.matching.pool}, "
              f"{groups} groups in {len(result.breakdowns)} breakdowns + France")
        print(f"inputs read (cold, selection inputs built): {cold_inputs:.2f} s")
        print(f"inputs read (warm, process memo): median {statistics.median(warm_inputs):.3f} s")
        print(f"compute all breakdowns (domain): median {statistics.median(computes):.2f} s "
              f"(min {min(computes):.2f}, max {max(computes):.2f}, {RUNS} runs)")
        print(f"compute France only (domain): median {statistics.median(nationals):.2f} s")
        print(f"service, fresh (inputs + compute + store): {service:.2f} s; "
              f"served from the cache: {cached * 1000:.1f} ms")
        n = result.national
        print(f"France: effect {n.effet:+.2f} points [{n.bas:+.2f}, {n.haut:+.2f}], "
              f"{n.laureats} laureates, {n.comparables} comparable towns")
        p = result.placebo
        if p is not None:
            print(f"placebo {result.before} -> {result.placebo_after}: {p.effet:+.2f} points "
                  f"[{p.bas:+.2f}, {p.haut:+.2f}]")


if __name__ == "__main__":
    main()

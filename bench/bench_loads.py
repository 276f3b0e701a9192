#!/usr/bin/env python
"""Loads and builds against bare baselines (issue 17), each in a child process, alternated and
repeated; prints the median wall time, CPU time (user + system) and peak RSS of each, and the
ratios. SQLite in temporary data dirs; ``--postgres URL`` adds the referential load on
PostgreSQL (a scratch database you created: it is emptied and migrated).

1. `pvd data load --referentiel` into an empty, migrated database vs
   bench/baselines/load_executemany.py (same rows, sqlite3 executemany, one transaction).
2. `pvd indicators build` vs bench/baselines/indicators_bare.py (the same pure computation:
   inputs read with sqlite3 into polars, engine + similar towns, rows written with executemany).
3. `pvd selection run --departement 63` vs the national run (`selection run` with no filter).

Usage: bench_loads.py [--runs 3] [--postgres postgres://...] [--skip 1,2,3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pvd.config import allocator

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PVD = [str(BIN / "pvd")]
PY = [sys.executable]
SNAPSHOT = ROOT / "src" / "pvd" / "data" / "snapshot"
ALLOCATOR_ENV = allocator.ENV  # polars' jemalloc options


def measure(cmd: list[str], env: dict, stdout=subprocess.DEVNULL) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(label: str, runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    med = tuple(statistics.median(r[i] for r in runs) for i in range(3))
    walls = ", ".join(f"{r[0]:.2f}" for r in runs)
    print(f"  {label:<46} wall {med[0]:6.2f} s  CPU {med[1]:6.2f} s  {med[2]:6.0f} MiB  ({walls})")
    return med


def ratio(a, b) -> None:
    print(f"  ratio: wall {a[0] / b[0]:.2f}x, CPU {a[1] / b[1]:.2f}x, memory {a[2] / b[2]:.2f}x")


def env_for(data_dir: Path, database_url: str | None = None) -> dict:
    env = {**os.environ, "PVD_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    env.pop(ALLOCATOR_ENV, None)  # each command's own allocator setting
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def migrated_template(tmp: Path) -> Path:
    template = tmp / "template"
    template.mkdir()
    env = {**env_for(template), "DJANGO_SETTINGS_MODULE": "pvd.config.settings"}
    subprocess.run([str(BIN / "django-admin"), "migrate", "-v0"], env=env, check=True)
    shutil.rmtree(template / "cache-pvd", ignore_errors=True)
    return template


def fresh(template: Path, tmp: Path, name: str) -> Path:
    target = tmp / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(template, target)
    return target


def bench_referential(tmp: Path, template: Path, runs: int) -> None:
    print("1. referential load into an empty migrated SQLite database")
    plat, base, again = [], [], []
    for _ in range(runs):
        d = fresh(template, tmp, "ref")
        plat.append(measure(PVD + ["data", "load", "--referentiel"], env_for(d)))
        again.append(measure(PVD + ["data", "load", "--referentiel"], env_for(d)))
        b = fresh(template, tmp, "bare")
        base.append(measure(PY + [str(ROOT / "bench/baselines/load_executemany.py"),
                                  str(SNAPSHOT), str(b / "pvd.sqlite3")], env_for(b)))  # fmt: skip
    p = summary("pvd data load --referentiel", plat)
    summary("same, second run (no change)", again)
    b = summary("bare executemany (baselines/load_executemany.py)", base)
    ratio(p, b)


def bench_postgres(url: str, runs: int) -> None:
    print("1b. referential load on PostgreSQL (emptied and migrated before each run)")
    plat = []
    for _ in range(runs):
        env = {
            **env_for(Path(tempfile.mkdtemp()), url),
            "DJANGO_SETTINGS_MODULE": "pvd.config.settings",
        }
        subprocess.run(
            [str(BIN / "django-admin"), "flush", "--no-input", "-v0"], env=env, check=False
        )
        subprocess.run([str(BIN / "django-admin"), "migrate", "-v0"], env=env, check=True)
        subprocess.run(
            [str(BIN / "django-admin"), "flush", "--no-input", "-v0"], env=env, check=True
        )
        plat.append(measure(PVD + ["data", "load", "--referentiel"], env))
    summary("pvd data load --referentiel (PostgreSQL)", plat)


def bench_build(tmp: Path, full: Path, runs: int) -> None:
    print("2. indicator build on the whole embedded open data")
    # `pvd` sets its batch allocator policy itself (pvd.config.allocator); the bare baseline
    # runs with polars' default allocator and with the same policy.
    policy = {ALLOCATOR_ENV: allocator.BATCH}
    plat, base, base_policy = [], [], []
    for _ in range(runs):
        d = fresh(full, tmp, "build")
        plat.append(measure(PVD + ["indicators", "build"], env_for(d)))
        for results, extra in ((base, {}), (base_policy, policy)):
            d = fresh(full, tmp, "build")
            bare = [str(ROOT / "bench/baselines/indicators_bare.py"), str(d / "pvd.sqlite3")]
            results.append(measure(PY + bare, {**env_for(d), **extra}))
    p = summary("pvd indicators build", plat)
    b = summary("bare polars + numpy (baselines/indicators_bare.py)", base)
    ratio(p, b)
    b = summary("bare, with pvd's batch allocator policy", base_policy)
    ratio(p, b)


IN_PROCESS = r"""
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
import django
django.setup()
from pvd.domain.eligibility import Rules
from pvd.selection import selectors
start = time.perf_counter()
frame = selectors.run(rules=Rules(), departement=sys.argv[1] or None)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.3f} {rss:.0f} {frame.height}")
"""


def in_process(env: dict, dep: str) -> tuple[float, float, int]:
    out = subprocess.run(PY + ["-c", IN_PROCESS, dep], env=env, check=True, capture_output=True)
    seconds, rss, rows = out.stdout.split()
    return float(seconds), float(rss), int(rows)


def bench_selection(full: Path, runs: int) -> None:
    print("3. selection run, default rules (the data version's national inputs cached once)")
    env = env_for(full)
    national, dep, dep_cold = [], [], []
    for _ in range(runs):
        shutil.rmtree(full / "cache-pvd", ignore_errors=True)  # the shared cache, emptied
        dep_cold.append(measure(PVD + ["selection", "run", "--departement", "63"], env))
        dep.append(measure(PVD + ["selection", "run", "--departement", "63"], env))
        national.append(measure(PVD + ["selection", "run"], env))
    summary("selection run --departement 63 (cache empty)", dep_cold)
    d = summary("selection run --departement 63", dep)
    n = summary("selection run (all of France)", national)
    ratio(d, n)
    print("  selectors.run inside one process (Django set up before; seconds, peak RSS, rows):")
    for dep in ("63", ""):
        shutil.rmtree(full / "cache-pvd", ignore_errors=True)
        cold = in_process(env, dep)
        warm = [in_process(env, dep) for _ in range(runs)]
        med = statistics.median(w[0] for w in warm)
        print(f"    {dep or 'France':<7} cache empty {cold[0]:.3f} s {cold[1]:.0f} MiB; "
              f"cached: median {med:.3f} s, {max(w[1] for w in warm):.0f} MiB, {warm[0][2]} rows")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres")
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    print(f"{time.strftime('%Y-%m-%d %H:%M')} UTC, load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores, medians of {args.runs} runs")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="pvd-bench-loads-") as name:
        tmp = Path(name)
        template = migrated_template(tmp)
        if "1" not in skip:
            bench_referential(tmp, template, args.runs)
        if args.postgres:
            bench_postgres(args.postgres, args.runs)
        if "2" not in skip or "3" not in skip:
            full = fresh(template, tmp, "full")
            print("(loading the embedded open data once for 2 and 3: pvd data load --sans-modele)")
            load = measure(PVD + ["data", "load", "--sans-modele"], env_for(full))
            summary("pvd data load --sans-modele (16 steps, whole)", [load])
            if "2" not in skip:
                bench_build(tmp, full, args.runs)
            if "3" not in skip:
                bench_selection(full, args.runs)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

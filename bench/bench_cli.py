#!/usr/bin/env python
"""Benchmark the start of read-only `pvd` commands as whole processes (issue 17: < 0.5 s).

Each command runs --runs times (default 5) as a new process; the median wall time and the
median CPU time (user + system of the child) are printed beside the bare baseline: Python
running one FTS5 trigram query (bench/baselines/fts_search.py) on a table of the same communes,
and Django's start alone (`django.setup()`, the floor of every command that reads the database).

    python bench/bench_cli.py [--data-dir DIR] [--database-url URL] [--runs 5]

The database must hold the referential (`pvd data load`; the programme lists for `programme
check`). The `pvd` executable is the one beside this Python; PYTHONPATH is passed on, so that
``PYTHONPATH=/path/to/other/src`` times another version of the sources with the same data;
``--against /path/to/other/src`` runs each command alternately with those sources ("base") and
this environment's, process after process, and prints both medians (the fair comparison on a
shared machine: both see the same load).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
PVD = str(Path(sys.executable).with_name("pvd"))

# Every command that only reads (issue 17: each under TARGET_S of CPU, whole process): the
# root's and each group's help, then the commands that read the database and print.
COMMANDS = [
    ("pvd --help", [PVD, "--help"]),
    *[
        (f"pvd {group} --help", [PVD, group, "--help"])
        for group in (
            "communes", "data", "indicators", "network", "outcomes", "programme", "projets",
            "selection",
        )
    ],
    ("pvd communes search Paris", [PVD, "communes", "search", "Paris"]),
    ("pvd communes search 2A004", [PVD, "communes", "search", "2A004"]),
    ("pvd config", [PVD, "config"]),
    ("pvd data sources", [PVD, "data", "sources"]),
    ("pvd indicators list", [PVD, "indicators", "list"]),
    ("pvd network events list", [PVD, "network", "events", "list"]),
    ("pvd network export annuaire", [PVD, "network", "export", "annuaire"]),
    ("pvd network export pratiques", [PVD, "network", "export", "pratiques"]),
    ("pvd outcomes show --scope departement:23", [PVD, "outcomes", "show", "--scope", "departement:23"]),
    (
        "pvd programme check ...",
        [PVD, "programme", "check", "201 communes de Nouvelle-Aquitaine, dont 22 dans la Creuse"],
    ),
    ("pvd selection scenarios", [PVD, "selection", "scenarios"]),
    ("pvd selection run --departement 63", [PVD, "selection", "run", "--departement", "63"]),
]
TARGET_S = 0.5


def run(argv: list[str], env: dict, runs: int) -> tuple[float, float, int]:
    walls, cpus, code = [], [], 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        code = done.returncode
    return statistics.median(walls), statistics.median(cpus), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="PVD_DATA_DIR (default: the environment's)")
    parser.add_argument("--database-url", help="DATABASE_URL (default: SQLite in the data dir)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="run only the commands whose name contains this text")
    parser.add_argument("--against", help="another src/ folder, run alternately (before/after)")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.data_dir:
        env["PVD_DATA_DIR"] = os.environ["PVD_DATA_DIR"] = args.data_dir
    if args.database_url:
        env["DATABASE_URL"] = os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    django.setup()
    sys.path.insert(0, str(HERE / "baselines"))
    import fts_search

    from pvd.territories.models import Commune

    with tempfile.TemporaryDirectory(prefix="pvd-bench-cli-") as tmp:
        fts = str(Path(tmp) / "fts.sqlite3")
        fts_search.build(fts, Commune.objects.values_list("code", "nom", "population"))
        baseline = [sys.executable, str(HERE / "baselines" / "fts_search.py"), fts, "Paris"]
        floor = [sys.executable, "-c", "import django; django.setup()"]
        env.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        rows = [("baseline: Python + one FTS query", *run(baseline, env, args.runs))]
        rows.append(("Django start alone", *run(floor, env, args.runs)))
        for name, argv in COMMANDS:
            if args.only and args.only not in name:
                continue
            if args.against:
                base_env = {**env, "PYTHONPATH": args.against}
                pairs = [(run(argv, base_env, 1), run(argv, env, 1)) for _ in range(args.runs)]
                for label, i in (("base", 0), ("this", 1)):
                    wall = statistics.median(p[i][0] for p in pairs)
                    cpu = statistics.median(p[i][1] for p in pairs)
                    rows.append((f"{name} [{label}]", wall, cpu, pairs[-1][i][2]))
                continue
            rows.append((name, *run(argv, env, args.runs)))
    base = rows[0][1]
    print(f"median of {args.runs} processes; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"target: every read-only command under {TARGET_S} s (CPU, whole process)")
    print(f"{'command':49} {'wall s':>7} {'cpu s':>7} {'x base':>7} exit target")
    for name, wall, cpu, code in rows:
        met = "" if not name.startswith("pvd") else ("met" if cpu < TARGET_S else "MISSED")
        print(f"{name:49} {wall:7.3f} {cpu:7.3f} {wall / base:7.1f} {code:4} {met}")


if __name__ == "__main__":
    main()

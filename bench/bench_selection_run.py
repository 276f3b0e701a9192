#!/usr/bin/env python
"""Whole-process cost of a one-department `pvd selection run` (issue 17: < 0.5 s, < 300 MiB).

Each figure is a child process `pvd selection run --departement D` (wall, CPU user+system and
peak RSS from ``os.wait4``), medians of ``--runs`` rounds, the variants alternated in each round:

- ``stored``: the department's run stored for the data version (pvd.selection.stored_runs; what
  `pvd data load` leaves for every department, and what a second run reads);
- ``computed``: the same run with its stored entry removed first (not timed): Django, polars, the
  national inputs from the shared cache, the scoring, and the entry written;
- ``base`` (with ``--base-src DIR``, a checkout's ``src`` put first on PYTHONPATH): the command
  as another version of the code runs it.

Every variant's CSV must be the same bytes (checked, exit 1 otherwise). Uses the data dir of
PVD_DATA_DIR (and DATABASE_URL if set), loaded before (`pvd data load`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET_CPU, TARGET_MIB = 0.5, 300

FORGET = """
import sys
from django.core.cache import cache
from pvd.selection import stored_runs
for eligibles in (False, True):
    cache.delete(stored_runs._key(sys.argv[1], eligibles, None))
"""


def child(argv: list[str], env: dict) -> tuple[float, float, float, bytes]:
    """(wall s, CPU s, peak RSS MiB, stdout) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departement", default="24")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base-src", type=Path, help="src folder of the code to compare with")
    args = parser.parse_args()
    if not os.environ.get("PVD_DATA_DIR"):
        print("set PVD_DATA_DIR to a loaded data dir (`pvd data load`)", file=sys.stderr)
        return 1
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pvd.config.settings"}
    command = [str(BIN / "pvd"), "selection", "run", "--departement", args.departement]
    forget = [sys.executable, "-c", FORGET, args.departement]
    variants = {"stored": env, "computed": env}
    if args.base_src:
        variants["base"] = {**env, "PYTHONPATH": str(args.base_src.resolve())}
    child(command, env)  # stores the run if it was not
    figures: dict[str, list[tuple[float, float, float]]] = {v: [] for v in variants}
    outputs: dict[str, set[str]] = {v: set() for v in variants}
    names = list(variants)
    for r in range(args.runs):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            if name == "computed":
                subprocess.run(forget, env=env, check=True)
            wall, cpu, rss, out = child(command, variants[name])
            figures[name].append((wall, cpu, rss))
            outputs[name].add(hashlib.sha256(out).hexdigest())
    print(
        f"pvd selection run --departement {args.departement}: medians of {args.runs} runs; "
        f"load average {os.getloadavg()[0]:.1f} at the end; {os.cpu_count()} cores"
    )
    print(f"{'variant':10} {'wall s':>8} {'CPU s':>8} {'max RSS MiB':>12}")
    for name, rows in figures.items():
        wall, cpu, rss = (statistics.median(x) for x in zip(*rows, strict=True))
        print(f"{name:10} {wall:8.3f} {cpu:8.3f} {rss:12.1f}")
    print(f"target: < {TARGET_CPU} s, < {TARGET_MIB} MiB (whole process)")
    digests = set().union(*outputs.values())
    lines = len(out.splitlines())
    print(f"outputs: {'identical' if len(digests) == 1 else 'DIFFERENT'} ({lines} lines)")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

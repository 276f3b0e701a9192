"""Importer fuzzing, full run: 200 generated cases per importer (tests/sources/fuzz).

Usage: python bench/fuzz_importers.py [--cases N] [--only NAME,...] [--failures K]

Sets up a throw-away SQLite database in a temporary PVD_DATA_DIR (migrate, the embedded
referential), then runs every case of every importer through the real `pvd` command and prints,
per importer: cases, tracebacks, silent accepts, valid files refused, refusals that changed the
database, unclear messages, time. Exit 1 when any of those counts is not zero. Deterministic:
the cases are seeded by the importer's name.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "sources" / "fuzz"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--only", default="")
    parser.add_argument("--failures", type=int, default=3, help="failures shown per importer")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="pvd-fuzz-")
    os.environ["PVD_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "pvd.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
    print(f"database ready in {time.perf_counter() - t0:.1f} s ({tmp})", file=sys.stderr)

    import importer_fuzz as fz

    only = {n for n in args.only.split(",") if n}
    folder = Path(tmp) / "cases"
    folder.mkdir()
    baseline: dict[str, str] = {}
    header = f"{'importer':<22}{'cases':>6}{'tracebacks':>11}{'silent':>8}{'valid-ref':>10}"
    header += f"{'db-chg':>8}{'unclear':>8}{'time s':>8}"
    print(header)
    totals = fz.Tally()
    for imp in fz.IMPORTERS:
        if only and imp.name not in only:
            continue
        tally = fz.Tally()
        for case in fz.cases(imp, args.cases):
            outcome = fz.run_case(case, folder, baseline)
            tally.add(outcome)
            totals.add(outcome)
        c = tally.counts
        print(
            f"{imp.name:<22}{tally.cases:>6}{c['traceback']:>11}{c['silent-accept']:>8}"
            f"{c['valid-refused']:>10}{c['db-changed']:>8}{c['unclear']:>8}{tally.seconds:>8.1f}",
            flush=True,
        )
        for o in tally.failures[: args.failures]:
            print(
                f"    #{o.case.number} {o.case.family} ({o.case.expect}) -> {o.verdict}: "
                f"{o.detail!r}",
                flush=True,
            )
    c = totals.counts
    print(
        f"{'total':<22}{totals.cases:>6}{c['traceback']:>11}{c['silent-accept']:>8}"
        f"{c['valid-refused']:>10}{c['db-changed']:>8}{c['unclear']:>8}{totals.seconds:>8.1f}"
    )
    return 1 if any(c.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

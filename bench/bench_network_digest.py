#!/usr/bin/env python
"""Benchmark the network's weekly digest (issue 15, ``pvd network digest``): the members of
1,645 laureate towns (about 1,000 groups, one project manager each, 12 actions a project:
``bench_network.generate``) and programme staff (national, every region, every department),
2,000 practices published over the last year (about 40 in the week), 500 events
(``bench_network_events.generate``: two years around today, about 20 published in the next
30 days).

Measures, on a fresh SQLite database (the referential loaded first, not timed), with Django's
in-memory mail backend: the dry run (members, themes, events, texts: nothing recorded), the
first run (every letter recorded and sent, one transaction each) and the second run (nothing
left to send); wall and CPU time (medians of ``--runs`` for the dry and the second runs) and the
number of queries. Deterministic data (seeded). Prints its figures; they are recorded in
bench/RESULTS.md.

    python bench/bench_network_digest.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
BIN = Path(sys.executable).parent


def staff_and_addresses(seed: int = 16) -> dict:
    """Give the project managers an address (a few without: counted), add programme staff with
    the scopes of every region and department, spread the practices' publication over a year."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from pvd.network.models import Pratique
    from pvd.programme.services import scope_group_ensure
    from pvd.territories.models import Departement, Region

    rng = random.Random(seed)
    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        chefs = list(User.objects.filter(username__startswith="chef-"))
        for u in chefs:
            u.email = "" if rng.random() < 0.02 else f"{u.username}@mairie.example.fr"
        User.objects.bulk_update(chefs, ["email"], batch_size=2000)
        staff = []
        for code in Region.objects.exclude(code__startswith="0").values_list("code", flat=True):
            u = User.objects.create_user(f"region-{code}", email=f"region-{code}@anct.example.fr")
            u.groups.add(scope_group_ensure(niveau="region", code=code).group)
            staff.append(u)
        for code in Departement.objects.exclude(code__startswith="97").values_list(
            "code", flat=True
        ):
            u = User.objects.create_user(f"pref-{code}", email=f"pref-{code}@pref.example.fr")
            u.groups.add(scope_group_ensure(niveau="departement", code=code).group)
            staff.append(u)
        User.objects.filter(username="national").update(email="national@anct.example.fr")
        practices = list(Pratique.objects.all())
        for p in practices:
            p.publiee_le = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        Pratique.objects.bulk_update(practices, ["publiee_le"], batch_size=2000)
    return {"staff": len(staff) + 1, "chefs": len(chefs)}


def measure(fn) -> tuple[float, float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall * 1000, cpu * 1000, len(queries), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the dry and second runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ["PVD_CACHE"] = "memory"
        for cmd in (["data", "load", "--referentiel"], ["manage", "migrate", "--noinput"]):
            subprocess.run([str(BIN / "pvd"), *cmd], check=True, capture_output=True)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        import bench_network
        import bench_network_events
        from django.conf import settings
        from django.core import mail
        from django.db import connection
        from django.utils import timezone

        from pvd.network.digest import digest_send

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        mail.outbox = []
        start = time.perf_counter()
        towns = bench_network.generate()
        events = bench_network_events.generate()
        extra = staff_and_addresses()
        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{connection.vendor}"
        )
        print(
            f"generated {towns['towns']} towns in {towns['groups']} groups ({extra['chefs']} "
            f"project managers), {extra['staff']} programme staff, "
            f"{bench_network.PRACTICES} practices, {events['events']} events in "
            f"{time.perf_counter() - start:.1f} s"
        )
        now = timezone.now()
        if os.environ.get("PVD_BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("digest_send(now=now, dry_run=True)", globals(), locals(), "/tmp/digest.prof")
            pstats.Stats("/tmp/digest.prof").sort_stats("tottime").print_stats(25)
        print(f"load average before: {os.getloadavg()[0]:.1f}")
        dry = [measure(lambda: digest_send(now=now, dry_run=True)) for _ in range(args.runs)]
        report = dry[-1][3]
        print(
            f"week {report.week}: {report.members} members, {len(report.sent)} letters, "
            f"{report.nothing_new} with nothing new, {len(report.without_address)} without an "
            f"address; practices per letter median "
            f"{statistics.median(d.nb_pratiques for d in report.sent):.0f}, events per letter "
            f"median {statistics.median(d.nb_evenements for d in report.sent):.0f}"
        )
        rows = [("dry run", dry)]
        rows.append(("first run (sends)", [measure(lambda: digest_send(now=now))]))
        sent = len(mail.outbox)
        rows.append(
            ("second run (all sent)", [measure(lambda: digest_send(now=now)) for _ in range(args.runs)])
        )
        assert len(mail.outbox) == sent == len(report.sent), (len(mail.outbox), sent)
        print(f"{'run':<24} {'wall ms':>9} {'CPU ms':>9} {'queries':>8}  (medians)")
        for name, runs in rows:
            print(
                f"{name:<24} {statistics.median(r[0] for r in runs):>9.0f} "
                f"{statistics.median(r[1] for r in runs):>9.0f} "
                f"{statistics.median(r[2] for r in runs):>8.0f}"
            )
        print(f"{sent} e-mails sent once; load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

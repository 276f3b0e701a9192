#!/usr/bin/env python
"""Benchmark the network's events pages (issue 15): 500 generated events (2 years around today,
every region, the three formats; 85 % published, 10 % cancelled, 5 % drafts) with about 10,000
registrations of 400 members, then the listing (default, by region, by format, past events,
anonymous and as national staff), an event page with its attendance list, the iCalendar feed of
the upcoming events and the API listing, through Django's full request stack (middleware,
templates) with the test client.

Target (issue 15): p95 < 150 ms. Runs on a fresh SQLite database in a temporary data dir (the
referential is loaded first with `pvd data load --referentiel`, not timed). Deterministic data
(seeded). ``--repeat N`` (default 3) measures every page N times in a row on the same data and
prints each figure's median over the N runs, with the load average before each run. Prints its
figures; record them in bench/RESULTS.md.
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
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BIN = Path(sys.executable).parent
EVENTS, MEMBERS, RUNS, WARMUP = 500, 400, 40, 3
REPEAT = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3


def generate(seed: int = 15) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from pvd.network.models import Evenement, Inscription
    from pvd.programme.services import scope_group_ensure
    from pvd.territories.models import Departement

    rng = random.Random(seed)
    User = get_user_model()
    deps = list(Departement.objects.exclude(code__startswith="97").values_list("code", "region_id"))
    now = datetime.now(ZoneInfo("Europe/Paris")).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        members = User.objects.bulk_create(
            [User(username=f"membre{i}", email=f"membre{i}@x.fr") for i in range(MEMBERS)]
        )
        staff = User.objects.create_user("national", password="motdepasse-42")
        staff.groups.add(scope_group_ensure(niveau="national").group)
        events = []
        for i in range(EVENTS):
            dep, reg = rng.choice(deps)
            scale = rng.choices(["national", "regional", "departemental"], [1, 6, 3])[0]
            start = now + timedelta(days=rng.randint(-365, 365), hours=rng.randint(-3, 3))
            fmt = rng.choice(["presentiel", "en_ligne", "hybride"])
            events.append(
                Evenement(
                    titre=f"Rencontre {i} du club", echelle=scale,
                    region_id=None if scale == "national" else reg,
                    departement_id=dep if scale == "departemental" else None,
                    debut=start, fin=start + timedelta(hours=rng.choice([2, 3, 7])), format=fmt,
                    lieu="" if fmt == "en_ligne" else f"Salle {i}",
                    lien="" if fmt == "presentiel" else f"https://visio.example.fr/{i}",
                    programme_texte="Accueil\nAteliers\nSynthèse", public=rng.choice(["tous", "chefs", "region"]) if scale != "national" else "tous",  # noqa: E501
                    capacite=rng.choice([None, 20, 30, 50, 80]),
                    statut=rng.choices(["publie", "annule", "brouillon"], [85, 10, 5])[0],
                    cree_par=staff,
                )
            )  # fmt: skip
        events = Evenement.objects.bulk_create(events)
        regs = []
        for ev in events:
            n = rng.randint(0, 40)
            for seat, user in enumerate(rng.sample(members, n), start=1):
                seated = ev.capacite is None or seat <= ev.capacite
                regs.append(
                    Inscription(
                        evenement=ev, user=user, etat="inscrit" if seated else "attente",
                        place=seat if seated else None, demande_le=ev.debut - timedelta(days=30),
                    )
                )  # fmt: skip
        Inscription.objects.bulk_create(regs, batch_size=2000)
    busiest = max(events, key=lambda e: sum(1 for r in regs if r.evenement_id == e.pk))
    member = next(r.user for r in regs if r.evenement_id == busiest.pk)
    return {"events": len(events), "registrations": len(regs), "busiest": busiest.pk,
            "member": member.pk}  # fmt: skip


def timings(client, url: str) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request (CPU time of this single-threaded
    process: what the request costs, whatever the other processes of a loaded machine take;
    SQLite runs in the process, so its queries are counted)."""
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    wall, cpu = [], []
    for _ in range(RUNS):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200, url
    return wall, cpu


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ["PVD_CACHE"] = "memory"
        subprocess.run([str(BIN / "pvd"), "data", "load", "--referentiel"], check=True, capture_output=True)  # noqa: E501
        subprocess.run([str(BIN / "pvd"), "manage", "migrate", "--noinput"], check=True, capture_output=True)  # noqa: E501
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.test import Client

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        t = time.perf_counter()
        data = generate()
        print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, sqlite")
        print(f"generated {data['events']} events, {data['registrations']} registrations in {time.perf_counter() - t:.1f} s")  # noqa: E501
        anonymous, staff, member = Client(), Client(), Client()
        from django.contrib.auth import get_user_model

        staff.force_login(get_user_model().objects.get(username="national"))
        member.force_login(get_user_model().objects.get(pk=data["member"]))
        busiest = f"/reseau/evenements/{data['busiest']}/"
        cases = [
            ("listing, upcoming (anonymous)", anonymous, "/reseau/evenements/"),
            ("listing, region 75", anonymous, "/reseau/evenements/?region=75"),
            ("listing, online only", anonymous, "/reseau/evenements/?format=en_ligne"),
            ("listing, past, page 3", anonymous, "/reseau/evenements/?periode=passes&page=3"),
            ("listing, national staff (drafts too)", staff, "/reseau/evenements/"),
            ("event page + attendance list (staff)", staff, busiest),
            ("event page (a registered member)", member, busiest),
            ("event page (anonymous)", anonymous, busiest),
            ("iCalendar feed, all upcoming", anonymous, "/reseau/evenements/agenda.ics"),
            ("API listing, upcoming", anonymous, "/api/v1/reseau/evenements"),
        ]
        figures: dict[str, list[tuple[float, float, float, float]]] = {n: [] for n, _, _ in cases}
        loads = []
        for _ in range(REPEAT):
            loads.append(os.getloadavg()[0])
            for name, client, url in cases:
                wall, cpu = timings(client, url)
                figures[name].append((statistics.median(wall), p95(wall), statistics.median(cpu), p95(cpu)))  # noqa: E501
        print(f"load average (1 min) before each run: {', '.join(f'{x:.1f}' for x in loads)}; after: {os.getloadavg()[0]:.1f}")  # noqa: E501
        print(f"{'request':<42} {'p50 ms':>7} {'p95 ms':>7} {'CPU p50':>8} {'CPU p95':>8}  (median of {REPEAT} runs of {RUNS} requests after {WARMUP} warm-up)")  # noqa: E501
        worst = worst_cpu = 0.0
        for name, _, _ in cases:
            med = [statistics.median(f[i] for f in figures[name]) for i in range(4)]
            worst, worst_cpu = max(worst, med[1]), max(worst_cpu, med[3])
            spread = ", ".join(f"{f[1]:.0f}" for f in figures[name])
            print(f"{name:<42} {med[0]:>7.1f} {med[1]:>7.1f} {med[2]:>8.1f} {med[3]:>8.1f}  (p95 of each run: {spread})")  # noqa: E501
        print(f"worst p95 (median of runs): {worst:.1f} ms wall, {worst_cpu:.1f} ms CPU (target < 150 ms)")  # noqa: E501
    return 0


if __name__ == "__main__":
    sys.exit(main())

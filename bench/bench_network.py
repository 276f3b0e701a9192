#!/usr/bin/env python
"""Benchmark the network pages (issue 15): the directory and « qui fait pareil ? » with 1,645
laureate towns, and the practices' search with 2,000 published practices (generated).

Target: p95 < 150 ms per page (whole Django response through the test client: view, queries,
template). Runs on a fresh SQLite database in a temporary data dir (the referential is loaded
first with `pvd data load --referentiel`, not timed), or on DATABASE_URL with
``--database-url`` (a scratch database). Deterministic data (seeded): 1,645 towns in about 1,000
groups, each with a project of 12 actions (random axes, 0-2 co-financing lines), one manager per
group, the stored similar towns of every town (10 random laureates and non-laureates of
comparable population), 2,000 published practices. Prints its figures; they are recorded in
bench/RESULTS.md.

    python bench/bench_network.py [--runs 200]
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
from pathlib import Path

BIN = Path(sys.executable).parent
TOWNS = 1645
PRACTICES = 2000
ACTIONS = 12


def generate(seed: int = 15) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from pvd.diagnostics.models import TerritoryValues
    from pvd.network.models import Pratique
    from pvd.programme.models import Groupe, Laureat
    from pvd.programme.services import programme_get
    from pvd.projects.models import Action, Axe, Financement, Financeur, Membre, Phase, Projet
    from pvd.territories.models import Commune

    rng = random.Random(seed)
    pvd = programme_get(slug="pvd")
    pool = list(
        Commune.objects.filter(type="COM", population__gt=1000, population__lt=20000)
        .exclude(departement__code__startswith="97")
        .order_by("code")
        .values_list("pk", "code", "departement_id", "region_id", "population")
    )
    towns = rng.sample(pool, TOWNS)
    users = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        groups, members = [], []
        i = 0
        while i < len(towns):
            size = rng.choice((1, 1, 1, 2, 2, 3))
            groups.append(towns[i : i + size])
            i += size
        rows = Groupe.objects.bulk_create(
            Groupe(programme=pvd, code=f"bench-{n:04d}", departement_id=g[0][2], region_id=g[0][3])
            for n, g in enumerate(groups)
        )
        Laureat.objects.bulk_create(
            Laureat(programme=pvd, commune_id=t[0], groupe=row)
            for row, g in zip(rows, groups, strict=True)
            for t in g
        )
        people = users.objects.bulk_create(
            users(username=f"chef-{n:04d}", first_name="Chef", last_name=f"{n:04d}")
            for n in range(len(rows))
        )
        members = [Membre(groupe=g, user=u) for g, u in zip(rows, people, strict=True)]
        Membre.objects.bulk_create(members)
        projets = Projet.objects.bulk_create(Projet(groupe=g, nom=f"Projet {g.code}") for g in rows)
        actions = Action.objects.bulk_create(
            (
                Action(
                    projet=p,
                    titre=f"Action {j} de {p.nom}",
                    axe=rng.choice(Axe.values),
                    phase=rng.choice(Phase.values),
                )
                for p in projets
                for j in range(ACTIONS)
            ),
            batch_size=5000,
        )
        Financement.objects.bulk_create(
            (
                Financement(
                    action=a,
                    financeur=rng.choice(Financeur.values),
                    montant_demande=rng.randint(5, 300) * 1000,
                    montant_accorde=rng.choice([None, rng.randint(5, 300) * 1000]),
                )
                for a in actions
                for _ in range(rng.randint(0, 2))
            ),
            batch_size=5000,
        )
        by_group = {p.pk: p.groupe for p in projets}
        first_town = {row.pk: g[0] for row, g in zip(rows, groups, strict=True)}
        picked = rng.sample(actions, PRACTICES)
        Pratique.objects.bulk_create(
            (
                Pratique(
                    action=a,
                    groupe=by_group[a.projet_id],
                    commune_id=first_town[by_group[a.projet_id].pk][0],
                    departement_id=first_town[by_group[a.projet_id].pk][2],
                    region_id=first_town[by_group[a.projet_id].pk][3],
                    titre=f"Fiche {n} : {a.titre}",
                    axe=a.axe,
                    realisation="Ce qui a été fait, raconté pour les autres villes.",
                    cout=rng.randint(10, 900) * 1000,
                    financeurs="," + ",".join(sorted(rng.sample(Financeur.values, 2))) + ",",
                    statut="publiee",
                    publiee_le=now,
                )
                for n, a in enumerate(picked)
            ),
            batch_size=2000,
        )
        codes = [t[1] for t in pool]
        TerritoryValues.objects.filter(level="COM").delete()
        TerritoryValues.objects.bulk_create(
            (
                TerritoryValues(
                    level="COM",
                    code=t[1],
                    values={},
                    peers={"c": rng.sample(codes, 10), "d": [1.0] * 10, "r": [""] * 10},
                )
                for t in towns
            ),
            batch_size=2000,
        )
    return {
        "towns": len(towns),
        "groups": len(rows),
        "actions": len(actions),
        "codes": [t[1] for t in towns],
    }


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


CPU: list[float] = []


def timed(client, urls: list[str]) -> tuple[list[float], int]:
    """Wall times (ms) of the requests; their CPU times (ms, this process: the test client runs
    the request in it) are left in ``CPU``, steadier when other work shares the machine."""
    times, size = [], 0
    CPU.clear()
    for url in urls:
        start, cpu = time.perf_counter(), time.process_time()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        CPU.append((time.process_time() - cpu) * 1000)
        assert r.status_code == 200, (url, r.status_code)
        size = len(r.content)
    return times, size


def line(label: str, times: list[float], size: int = 0) -> str:
    return (
        f"{label}: wall median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms; "
        f"CPU median {statistics.median(CPU):.1f} ms, p95 {p95(CPU):.1f} ms"
        + (f" ({size} bytes)" if size else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database instead of a SQLite file")
    parser.add_argument("--runs", type=int, default=200, help="requests per page kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        if args.database_url:
            os.environ["DATABASE_URL"] = args.database_url
        else:
            os.environ.pop("DATABASE_URL", None)
        subprocess.run(
            [str(BIN / "pvd"), "data", "load", "--referentiel"], check=True, capture_output=True
        )
        subprocess.run(
            [str(BIN / "pvd"), "manage", "migrate", "--noinput"], check=True, capture_output=True
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client

        from pvd.caching import bump_data_version
        from pvd.projects.models import Axe

        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor}"
        )
        start = time.perf_counter()
        sizes = generate()
        bump_data_version()
        print(
            f"generated {sizes['towns']} towns in {sizes['groups']} groups, {sizes['actions']} actions, "
            f"{PRACTICES} published practices in {time.perf_counter() - start:.1f} s"
        )
        rng = random.Random(17)
        client = Client()
        # Cold: the first directory request after a data change computes the towns' rows.
        start = time.perf_counter()
        client.get("/reseau/")
        print(
            f"directory, first request after a data change (rows computed): {(time.perf_counter() - start) * 1000:.0f} ms"
        )
        if os.environ.get("PVD_BENCH_PROFILE"):
            import cProfile
            import pstats

            client.get("/reseau/?page=3")
            cProfile.runctx(
                "client.get('/reseau/?page=2')", globals(), locals(), "/tmp/n1_dir.prof"
            )
            pstats.Stats("/tmp/n1_dir.prof").sort_stats("cumulative").print_stats(35)
        member = get_user_model().objects.get(username="chef-0000")
        axes = Axe.values
        regions = ["75", "84", "76", "44", "28", "53"]
        kinds = {
            "directory (public, page 1..33)": [
                f"/reseau/?page={rng.randint(1, 33)}" for _ in range(args.runs)
            ],
            "directory search (name)": [
                f"/reseau/?q={rng.choice(['saint', 'ville', 'mont', 'sur'])}"
                for _ in range(args.runs)
            ],
            "directory filters (region+theme+band)": [
                f"/reseau/?region={rng.choice(regions)}&axe={rng.choice(axes)}&tranche=2500-5000"
                for _ in range(args.runs)
            ],
            "practices search (theme+region+funder)": [
                f"/reseau/pratiques/?axe={rng.choice(axes)}&region={rng.choice(regions)}&financeur=bdt"
                for _ in range(args.runs)
            ],
            "practices search (words, accents/case ignored)": [
                f"/reseau/pratiques/?q={rng.choice(['ville', 'SAINT', 'fiche 1', 'été fait'])}"
                for _ in range(args.runs)
            ],
            "API directory (100 towns)": [
                "/api/v1/reseau/annuaire?limit=100" for _ in range(args.runs)
            ],
        }
        for label, urls in kinds.items():
            times, size = timed(client, urls)
            print(line(label, times, size))
        client.force_login(member)
        peers = [
            f"/reseau/pareil/{rng.choice(sizes['codes'])}/?axe={rng.choice(axes)}"
            for _ in range(args.runs)
        ]
        times, size = timed(client, peers)
        print(line("peers « qui fait pareil ? » (member)", times, size))
        times, size = timed(
            client, [f"/reseau/?page={rng.randint(1, 33)}" for _ in range(args.runs)]
        )
        print(line("directory (member: names of 50 managers)", times, size))
    return 0


if __name__ == "__main__":
    sys.exit(main())

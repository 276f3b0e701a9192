#!/usr/bin/env python
"""Benchmark the projets de territoire aggregations: 1,000 groups x 30 actions of generated data
(with budget lines, co-financing lines and milestones), then the national, region and
department syntheses (``pvd.projects.selectors.scope_aggregate``: queries + pure aggregation).

Target (issue #6): national aggregation < 1 s. Runs on a fresh SQLite database in a temporary
data dir (the referential is loaded first with `pvd data load`, not timed), or on the database
of DATABASE_URL with ``--database-url`` (its projects tables are emptied first: use a scratch
database). Deterministic data (seeded). Prints its figures; record them in bench/RESULTS.md.
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
from datetime import date, timedelta
from pathlib import Path

BIN = Path(sys.executable).parent
GROUPS = 1000
ACTIONS = 30
RUNS = 7


def generate(seed: int = 6) -> dict:
    from django.db import transaction

    from pvd.domain import steering
    from pvd.programme.models import Groupe
    from pvd.programme.services import programme_get
    from pvd.projects.models import (
        Action,
        Axe,
        Financement,
        Financeur,
        Jalon,
        LigneBudget,
        Projet,
    )
    from pvd.territories.models import Commune

    rng = random.Random(seed)
    pvd = programme_get(slug="pvd")
    communes = list(
        Commune.objects.filter(type="COM", population__gt=2500, population__lt=20000)
        .exclude(departement__code__startswith="97")
        .values_list("departement_id", "region_id")[: GROUPS * 3]
    )
    rng.shuffle(communes)
    axes = Axe.values
    statuses = steering.STORED_STATUSES
    funders = Financeur.values
    today = date.today()
    with transaction.atomic():
        Projet.objects.filter(groupe__code__startswith="bench-").delete()
        Groupe.objects.filter(code__startswith="bench-").delete()
        groups = Groupe.objects.bulk_create(
            Groupe(
                programme=pvd,
                code=f"bench-{i:04d}",
                departement_id=communes[i % len(communes)][0],
                region_id=communes[i % len(communes)][1],
            )
            for i in range(GROUPS)
        )
        projets = Projet.objects.bulk_create(
            Projet(groupe=g, nom=f"Projet {g.code}", axes=rng.sample(axes, 4)) for g in groups
        )
        actions = []
        for p in projets:
            for j in range(ACTIONS):
                start = today + timedelta(days=rng.randint(-1500, 400))
                actions.append(
                    Action(
                        projet=p,
                        titre=f"Action {j}",
                        axe=rng.choice(axes),
                        statut=rng.choices(statuses, weights=[20, 40, 20, 5, 10, 5])[0],
                        date_debut=start,
                        date_fin_prevue=start + timedelta(days=rng.randint(90, 1500)),
                    )
                )
        actions = Action.objects.bulk_create(actions, batch_size=2000)
        budget, funding, milestones = [], [], []
        for a in actions:
            for year in (2024, 2025, 2026):
                budget.append(
                    LigneBudget(
                        action=a,
                        annee=year,
                        nature=LigneBudget.Nature.INVESTISSEMENT,
                        prevu=rng.randint(10, 500) * 1000,
                        realise=rng.randint(0, 400) * 1000 if year < 2026 else None,
                    )
                )
            for _ in range(rng.randint(0, 3)):
                requested = rng.randint(5, 300) * 1000
                granted = rng.choice([None, requested, requested // 2])
                funding.append(
                    Financement(
                        action=a,
                        financeur=rng.choice(funders),
                        montant_demande=requested,
                        montant_accorde=granted,
                        montant_verse=(granted // 2) if granted else None,
                        date_demande=date(rng.choice((2023, 2024, 2025, 2026)), 3, 1),
                    )
                )
            for k in range(2):
                d = a.date_debut + timedelta(days=rng.randint(30, 900))
                milestones.append(
                    Jalon(
                        action=a,
                        libelle=f"Jalon {k}",
                        date_prevue=d,
                        date_reelle=d if rng.random() < 0.5 else None,
                    )
                )
        LigneBudget.objects.bulk_create(budget, batch_size=5000)
        Financement.objects.bulk_create(funding, batch_size=5000)
        Jalon.objects.bulk_create(milestones, batch_size=5000)
    return {
        "groups": len(groups),
        "actions": len(actions),
        "budget": len(budget),
        "funding": len(funding),
        "milestones": len(milestones),
        "region": groups[0].region_id,
        "departement": groups[0].departement_id,
    }


def measure(fn) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="use this database instead of a SQLite file")
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
        from django.db import connection

        from pvd.projects import selectors

        engine = connection.vendor
        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {engine}"
        )
        start = time.perf_counter()
        sizes = generate()
        print(
            f"generated {sizes['groups']} groups, {sizes['actions']} actions, "
            f"{sizes['budget']} budget lines, {sizes['funding']} co-financing lines, "
            f"{sizes['milestones']} milestones in {time.perf_counter() - start:.1f} s"
        )
        for label, kwargs in (
            ("national", {}),
            (f"region {sizes['region']}", {"region": sizes["region"]}),
            (f"department {sizes['departement']}", {"departement": sizes["departement"]}),
        ):
            med, worst, data = measure(lambda kw=kwargs: selectors.scope_aggregate(**kw))
            t = data["total"]
            print(
                f"{label} aggregation: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms "
                f"({t.actions} actions, {len(data['parts'])} parts, delivery rate "
                f"{t.delivery_rate:.1%}, {t.alerts} alerts)"
            )
        if os.environ.get("PVD_BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("selectors.scope_aggregate()", globals(), locals(), "/tmp/agg.prof")
            pstats.Stats("/tmp/agg.prof").sort_stats("tottime").print_stats(12)
        facts_med, _, _ = measure(lambda: selectors.facts())
        print(
            f"of which queries and status computation (national): median {facts_med * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

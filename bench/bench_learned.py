#!/usr/bin/env python
"""Benchmark and evaluate the learned selection model and the default rules (issue 11).

On a fresh SQLite database in a temporary data dir (setup not timed, done with the CLI as a
user would): `pvd data load`, the shared 2024 laureate list (registry) and the ACV list, then
in stages:

1. referential alone (populations, EPCI, chef-lieu, postal codes -> proxy centrality; ACV);
2. + BPE 2013 centrality and the official classification, density / rurality / mountain
   typologies, commune centres (distance to a larger centre), housing and Filosofi indicators
   (`pvd indicators build`).

At each stage: the learned model by leave-one-region-out (and leave-one-department-out at
stage 2), the default rules; every figure with k, the communes scored and the training set.
Then timings: fit (on all covered regions), scoring every commune with explanations (warm, 10
runs), the fit command, and the peak memory of this process. Record in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RUNS = 10


def pvd(*args: str) -> None:
    subprocess.run([str(BIN / "pvd"), *args], check=True, capture_output=True)


def summary(label: str, res) -> None:
    ev = res.evaluation
    print(f"[{label}] {res.method}")
    if ev is None:
        print("  pas d'évaluation :", "; ".join(res.notes))
        return
    mainland = [g for g in ev.regions if g.code > "10" and g.auc is not None]
    worst = min(mainland, key=lambda g: g.auc)
    print(
        f"  AUC {ev.auc:.3f}, précision à k {ev.precision_k:.1%} (k = {ev.laureats}, "
        f"{ev.communes} communes notées) ; plus faible AUC métropolitaine {worst.auc:.3f} "
        f"(région {worst.code})"
    )
    print(
        "  par région (AUC / précision à k) : "
        + ", ".join(
            f"{g.code} {g.auc:.3f}/{g.precision_k:.0%}" for g in ev.regions if g.auc is not None
        )
    )


def rules_summary(label: str, laureats, regions) -> None:
    from pvd.domain.eligibility import Rules
    from pvd.selection import selectors

    ev = selectors.evaluate(rules=Rules(), laureats=laureats, regions=regions)
    mainland = [g for g in ev.regions if g.code > "10" and g.auc is not None]
    worst = min(mainland, key=lambda g: g.auc)
    print(
        f"[{label}] règles par défaut (sans apprentissage) : AUC {ev.auc:.3f}, précision à k "
        f"{ev.precision_k:.1%} (k = {ev.laureats}, {ev.communes} communes notées) ; plus faible "
        f"AUC métropolitaine {worst.auc:.3f} (région {worst.code})"
    )


def main() -> int:
    shared = Path(
        os.environ.get("PVD_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not (shared / "pvd" / "pvd-2024-hors-aura.csv").exists():
        print(f"shared data not found in {shared} (set PVD_SHARED_DATA)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        pvd("data", "load", "--referentiel")
        pvd("programme", "import-laureates", str(shared / "pvd" / "pvd-2024-hors-aura.csv"))
        pvd(
            "programme",
            "import-laureates",
            "--programme",
            "acv",
            str(shared / "programmes" / "acv.csv"),
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        from pvd.selection import learned, selectors, services

        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, SQLite"
        )
        laureats = selectors.laureate_codes()
        regions, _ = selectors.registry_coverage()

        # 1. Referential alone.
        summary("référentiel seul", learned.evaluate_learned(laureats=laureats, regions=regions))
        rules_summary("référentiel seul", laureats, regions)

        # 2. Everything the shared folder has.
        t = shared / "territoires"
        pvd("selection", "calibrate", str(shared / "bpe" / "bpe13_ensemble.csv"))
        pvd("selection", "import-centralite", str(t / "centralite.csv"))
        pvd(
            "selection",
            "import-territoires",
            *(str(t / f) for f in ("densite.csv", "ruralite.csv", "montagne.csv")),
        )
        pvd("data", "import-geo", str(shared / "geo" / "communes-centroides.csv"))
        pvd(
            "indicators", "import", "logement", str(shared / "insee" / "logement-2021-communes.csv")
        )
        pvd(
            "indicators",
            "import",
            "filosofi",
            str(shared / "insee" / "filosofi-2021-communes-med.csv"),
        )
        pvd("indicators", "build")
        start = time.perf_counter()
        inputs = learned.learned_inputs()
        print(f"learned inputs, first load of a process: {time.perf_counter() - start:.2f} s")
        print("variables absentes :", inputs.notes or "aucune")
        start = time.perf_counter()
        res = learned.evaluate_learned(laureats=laureats, regions=regions)
        seconds = time.perf_counter() - start
        summary("toutes données", res)
        print(f"  ({len(res.folds)} ajustements en {seconds:.1f} s)")
        summary(
            "toutes données", learned.evaluate_learned(laureats=laureats, regions=regions, by="dep")
        )
        rules_summary("toutes données", laureats, regions)

        # 3. Timings.
        start = time.perf_counter()
        model, _ = services.learned_fit()
        print(
            f"fit service (design, fit, leave-one-region-out evaluation, store): "
            f"{time.perf_counter() - start:.2f} s, of which fit {model.secondes:.2f} s "
            f"({model.entrainement['communes']} communes, {len(model.modele['columns'])} columns)"
        )
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            out = learned.score(model=model)
            times.append(time.perf_counter() - start)
        print(
            f"score all {out.height} communes with explanations (warm): median "
            f"{statistics.median(times):.3f} s, max {max(times):.3f} s (target < 2 s)"
        )
        print(
            "example:",
            out.filter(out["code"] == "48095").select("nom", "probabilite", "explication").row(0),
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory of this process: {peak:.0f} MB (target < 1 GB)")
        start = time.perf_counter()
        pvd("selection", "fit")
        print(f"`pvd selection fit` whole command: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

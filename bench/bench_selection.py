#!/usr/bin/env python
"""Benchmark and evaluate the selection model (issue #4).

- centrality from the shared BPE 2013 (re-based, calibrated) and agreement with the official
  classification (shared ``territoires/centralite.csv``);
- scoring every commune of France for one scenario (target < 2 s) and comparing two scenarios
  (target < 3 s), warm (inputs cached in the process, as in the web server), plus the cold
  load of the inputs;
- evaluation against the shared 2024 laureate list (which leaves out region 84): AUC and
  precision at k for a few rule variants, with the proxy and with the BPE centrality, and a
  logistic model cross-validated across regions.

Fragility inputs: no `pvd indicators build` here; median income (Filosofi 2021) and vacancy
(census 2021) are read from the shared files and the population evolution 2019 -> latest comes
from the referential — the other components (poverty, unemployment, ageing, loss of facilities)
are missing, so weights are renormalised over these three.

Runs on a fresh SQLite database in a temporary data dir (`pvd data load` first, not timed).
Prints its figures; record them in bench/RESULTS.md.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
RUNS = 10


def shared_indicators(shared: Path):
    import polars as pl

    med = pl.read_csv(
        shared / "insee" / "filosofi-2021-communes-med.csv", separator=";", infer_schema=False
    ).select(
        pl.col("CODGEO").alias("code"),
        pl.col("MED21").str.replace(",", ".").cast(pl.Float64, strict=False).alias("revenu_median"),
    )
    log = pl.read_csv(
        shared / "insee" / "logement-2021-communes.csv", separator=";", infer_schema=False
    ).select(
        pl.col("CODGEO").alias("code"),
        (
            pl.col("P21_LOGVAC").cast(pl.Float64, strict=False)
            / pl.col("P21_LOG").cast(pl.Float64, strict=False)
            * 100
        ).alias("taux_vacance"),
    )
    return med.join(log, on="code", how="full", coalesce=True)


def main() -> int:
    shared = Path(
        os.environ.get("PVD_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not (shared / "bpe" / "bpe13_ensemble.csv").exists():
        print(f"shared data not found in {shared} (set PVD_SHARED_DATA)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PVD_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        subprocess.run(
            [str(BIN / "pvd"), "data", "load", "--referentiel"], check=True, capture_output=True
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
        import django

        django.setup()
        import polars as pl

        from pvd.domain.eligibility import Rules
        from pvd.domain.evaluation import evaluate, logistic_cv
        from pvd.selection import selectors, services
        from pvd.sources.pvd_list import read_programme_list

        print(
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            "SQLite"
        )
        laureats = {
            r.code for r in read_programme_list(shared / "pvd" / "pvd-2024-hors-aura.csv").rows
        }
        extra = shared_indicators(shared)

        def with_shared(data):
            frame = data.frame.drop(
                [
                    c
                    for c in ("revenu_median", "taux_vacance", "population_evolution")
                    if c in data.frame.columns
                ]
            ).join(extra, on="code", how="left")
            data.frame = frame.with_columns(
                selectors.population_evolution(data.population_millesimes)
            )
            data.fragility_indicators = ["revenu_median", "taux_vacance", "population_evolution"]
            return data

        variants = {
            "défaut (interm.+struct., fragilité ≥ 50)": Rules(),
            "local+interm.+struct., fragilité ≥ 50": Rules(
                niveaux=("local", "intermediaire", "structurant")
            ),
            "local+interm.+struct., sans seuil de fragilité": Rules(
                niveaux=("local", "intermediaire", "structurant"), fragilite_min=0
            ),
            "interm.+struct., sans seuil de fragilité": Rules(
                niveaux=("intermediaire", "structurant"), fragilite_min=0
            ),
        }

        def evaluate_all(label: str, data, source: str = "auto") -> None:
            for name, rules in variants.items():
                rules = dataclasses.replace(rules, centralite_source=source)
                result = selectors.run(rules=rules, data=data)
                ev = evaluate(result.select("code", "reg", "dep", "score", "criteres_ok"), laureats)
                print(
                    f"  [{label}] {name}: {ev.communes} communes, {ev.laureats} lauréats, "
                    f"AUC {ev.auc:.3f}, précision à k {ev.precision_k:.1%}, "
                    f"éligibles {int(result.get_column('eligible').sum())}"
                )

        # 1. Proxy centrality.
        start = time.perf_counter()
        data = with_shared(selectors._load_inputs())
        print(f"inputs (cold load, proxy): {time.perf_counter() - start:.2f} s")
        evaluate_all("proxy", data)

        # 2. Centrality from BPE 2013 + official classification.
        start = time.perf_counter()
        report = services.centrality_compute(path=shared / "bpe" / "bpe13_ensemble.csv")
        print(
            f"centrality from BPE 2013 (read, re-base, calibrate, store): "
            f"{time.perf_counter() - start:.2f} s"
        )
        print("\n".join(report.lines()))
        official = services.centrality_import_official(
            path=shared / "territoires" / "centralite.csv"
        )
        print("\n".join(official.lines()))
        start = time.perf_counter()
        data = with_shared(selectors._load_inputs())
        print(f"inputs (cold load, BPE): {time.perf_counter() - start:.2f} s")
        evaluate_all("BPE", data, "calculee")
        # The default ("auto") now uses the official classification, imported above.
        evaluate_all("officielle (auto)", data)

        default = Rules(centralite_source="calculee")
        detailed = selectors.run(rules=default, data=data)
        ev = evaluate(detailed.select("code", "reg", "dep", "score", "criteres_ok"), laureats)
        print("\n".join(ev.lines()))

        covered = detailed.with_columns(
            pl.col("population").cast(pl.Float64).log1p().alias("log_pop")
        ).filter(pl.col("reg") != "84")
        features = ["log_pop", "n_p", "n_i", "n_s", "fragilite", "rang_epci", "part_epci"]
        start = time.perf_counter()
        learned = evaluate(logistic_cv(covered, features, laureats), laureats)
        print(
            f"learned (logistic, leave-one-region-out): AUC {learned.auc:.3f}, "
            f"précision à k {learned.precision_k:.1%} ({time.perf_counter() - start:.1f} s)"
        )

        # 3. Timings, warm.
        enveloppe = Rules(enveloppe_nationale=1600)
        other = Rules(niveaux=("intermediaire",), fragilite_min=60, enveloppe_nationale=1600)
        one, two = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            selectors.run(rules=enveloppe, data=data)
            one.append(time.perf_counter() - start)
            start = time.perf_counter()
            ra = selectors.run(rules=enveloppe, data=data)
            rb = selectors.run(rules=other, data=data)
            from pvd.domain.eligibility import compare

            compare(ra, rb, on="retenue")
            two.append(time.perf_counter() - start)
        n = data.frame.height
        print(
            f"score all {n} communes, one scenario with a national envelope of 1,600: "
            f"median {statistics.median(one):.3f} s, max {max(one):.3f} s (target < 2 s)"
        )
        print(
            f"compare two scenarios (two runs + diff): median {statistics.median(two):.3f} s, "
            f"max {max(two):.3f} s (target < 3 s)"
        )
        start = time.perf_counter()
        selectors.inputs()
        print(
            f"first call of selectors.inputs() in a process (DB read): "
            f"{time.perf_counter() - start:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

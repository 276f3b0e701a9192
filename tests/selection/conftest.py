"""Fixtures of the selection tests: the model inputs with fragility indicators computed from the
shared open data (median income, vacancy) and the referential's population series, so the
evaluation does not need a full `pvd indicators build`."""

from __future__ import annotations

import polars as pl
import pytest


def shared_indicators(shared_data) -> pl.DataFrame:
    med = pl.read_csv(
        shared_data / "insee" / "filosofi-2021-communes-med.csv",
        separator=";",
        schema_overrides={"CODGEO": pl.String, "MED21": pl.String},
    ).select(
        pl.col("CODGEO").alias("code"),
        pl.col("MED21").str.replace(",", ".").cast(pl.Float64, strict=False).alias("revenu_median"),
    )
    log = pl.read_csv(
        shared_data / "insee" / "logement-2021-communes.csv",
        separator=";",
        infer_schema=False,
    ).select(
        pl.col("CODGEO").alias("code"),
        (
            pl.col("P21_LOGVAC").cast(pl.Float64, strict=False)
            / pl.col("P21_LOG").cast(pl.Float64, strict=False)
            * 100
        ).alias("taux_vacance"),
    )
    return med.join(log, on="code", how="full", coalesce=True)


@pytest.fixture
def shared_inputs(db, shared_data):
    """Inputs as the selectors build them, plus the shared indicators and the population
    evolution 2019 -> latest of the referential."""
    from pvd.selection import selectors

    data = selectors._load_inputs()
    frame = data.frame.drop(
        [
            c
            for c in ("revenu_median", "taux_vacance", "population_evolution")
            if c in data.frame.columns
        ]
    ).join(shared_indicators(shared_data), on="code", how="left")
    frame = frame.with_columns(selectors.population_evolution(data.population_millesimes))
    data.frame = frame
    data.fragility_indicators = ["revenu_median", "taux_vacance", "population_evolution"]
    return data

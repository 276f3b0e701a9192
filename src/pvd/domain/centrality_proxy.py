"""A proxy of the centrality level without the BPE (:mod:`pvd.domain.centrality` reproduces the
study from a BPE file): from the referential only (population, rank and share within the EPCI,
seat of a department or an arrondissement, postal hub). It must be labelled as such wherever it
is shown."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

PROXY_DOC = (
    "Indicateur approché (sans Base permanente des équipements) : niveau estimé à partir de la "
    "population légale, du rang et du poids de la commune dans son EPCI, du statut de "
    "chef-lieu de département ou d'arrondissement et du rôle de pôle postal (code postal "
    "partagé avec d'autres communes dont elle est la plus peuplée). Ce n'est pas la "
    "classification officielle."
)


@dataclass(frozen=True)
class ProxyRules:
    """Thresholds of the proxy (documented on the methodology page)."""

    major_population: int = 50_000
    structuring_population: int = 10_000
    intermediate_population: int = 2_500
    local_population: int = 800
    intermediate_share_epci: float = 0.15  # share of the EPCI population
    local_share_epci: float = 0.08


def proxy_levels(frame: pl.DataFrame, rules: ProxyRules | None = None) -> pl.DataFrame:
    """``frame``: code, population, epci (may be null), chef_lieu_dep (bool),
    chef_lieu_arr (bool), pole_postal (bool). Adds rang_epci, part_epci and ``niveau``.

    - majeur: population >= 50,000, or a department seat of >= 20,000;
    - structurant: population >= 10,000, or a department/arrondissement seat of >= 5,000;
    - intermédiaire: population >= 2,500 and (first of its EPCI, or >= 15 % of its population,
      or an arrondissement seat, or a postal hub), or population >= 5,000;
    - local: population >= 800 and (among the 3 largest of its EPCI, or >= 8 % of it, or a
      postal hub), or population >= 1,500;
    - otherwise non centre. Missing population: non centre is not asserted, niveau is null.
    """
    r = rules or ProxyRules()
    pop = pl.col("population")
    f = frame.with_columns(
        pop.rank("ordinal", descending=True).over("epci").alias("rang_epci"),
        (pop / pop.sum().over("epci")).alias("part_epci"),
    ).with_columns(
        pl.when(pl.col("epci").is_null())
        .then(None)
        .otherwise(pl.col("rang_epci"))
        .alias("rang_epci"),
        pl.when(pl.col("epci").is_null())
        .then(None)
        .otherwise(pl.col("part_epci"))
        .alias("part_epci"),
    )
    seat = pl.col("chef_lieu_dep") | pl.col("chef_lieu_arr")
    first = pl.col("rang_epci").fill_null(99) == 1
    top3 = pl.col("rang_epci").fill_null(99) <= 3
    share = pl.col("part_epci").fill_null(0.0)
    hub = pl.col("pole_postal")
    level = (
        pl.when(pop.is_null())
        .then(None)
        .when((pop >= r.major_population) | (pl.col("chef_lieu_dep") & (pop >= 20_000)))
        .then(pl.lit("majeur"))
        .when((pop >= r.structuring_population) | (seat & (pop >= 5_000)))
        .then(pl.lit("structurant"))
        .when(
            (
                (pop >= r.intermediate_population)
                & (first | (share >= r.intermediate_share_epci) | pl.col("chef_lieu_arr") | hub)
            )
            | (pop >= 5_000)
        )
        .then(pl.lit("intermediaire"))
        .when(
            ((pop >= r.local_population) & (top3 | (share >= r.local_share_epci) | hub))
            | (pop >= 1_500)
        )
        .then(pl.lit("local"))
        .otherwise(pl.lit("non_centre"))
    )
    return f.with_columns(level.alias("niveau"))

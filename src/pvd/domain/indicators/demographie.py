"""Démographie: population level and evolution, rank in the EPCI, density, natural balance."""

from __future__ import annotations

import polars as pl

from pvd.domain.indicators.base import (
    HIGHER_BETTER,
    NEUTRAL,
    Indicator,
    level,
    ratio,
    register,
)

REFERENTIAL = "referentiel-territorial"
REFERENTIAL_VINTAGE = "populations légales 2019, 2020, 2022, 2023 (Mayotte : 2017)"
LO = "Licence Ouverte 2.0 (Etalab)"
HISTORY = "insee-series-historiques-2022"
HISTORY_VINTAGE = "recensements 1968 à 2022"
# The historical series' own census populations (pvd.sources.insee_census.SERIES_POPULATION).
SERIES_POP = "pop_rp_serie"


def evolution(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Change in % of the population since the first millésime, at each later millésime."""
    pop = obs.filter(pl.col("variable") == "population").select("code", "millesime", "value")
    first = (
        pop.sort("millesime")
        .group_by("code")
        .first()
        .rename({"millesime": "first_year", "value": "first_value"})
    )
    return (
        pop.join(first, on="code")
        .filter((pl.col("millesime") > pl.col("first_year")) & (pl.col("first_value") > 0))
        .select(
            "code",
            "millesime",
            ((pl.col("value") / pl.col("first_value") - 1) * 100).alias("value"),
        )
    )


def annual_growth(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Annualised growth rate in % per year between the first and the latest millésime:
    ((P_last / P_first) ^ (1 / (last - first)) - 1) × 100."""
    pop = obs.filter(pl.col("variable") == "population").sort("millesime")
    ends = pop.group_by("code").agg(
        pl.col("millesime").first().alias("y0"),
        pl.col("value").first().alias("p0"),
        pl.col("millesime").last().alias("y1"),
        pl.col("value").last().alias("p1"),
    )
    return ends.filter((pl.col("y1") > pl.col("y0")) & (pl.col("p0") > 0)).select(
        "code",
        pl.col("y1").alias("millesime"),
        (((pl.col("p1") / pl.col("p0")) ** (1 / (pl.col("y1") - pl.col("y0"))) - 1) * 100).alias(
            "value"
        ),
    )


def _latest_population(obs: pl.DataFrame, geo: pl.DataFrame) -> pl.DataFrame:
    pop = obs.filter(pl.col("variable") == "population").sort("millesime")
    latest = pop.group_by("code").agg(pl.col("millesime").last(), pl.col("value").last())
    return latest.join(geo.select("code", "epci"), on="code").filter(pl.col("epci").is_not_null())


def rank_in_epci(obs: pl.DataFrame, geo: pl.DataFrame | None) -> pl.DataFrame:
    """Rank by latest population within the EPCI (1 = most populated; ties share a rank)."""
    if geo is None:
        return pl.DataFrame(schema={"code": pl.String, "millesime": pl.Int32, "value": pl.Float64})
    latest = _latest_population(obs, geo)
    return latest.select(
        "code",
        "millesime",
        pl.col("value").rank("min", descending=True).over("epci").cast(pl.Float64).alias("value"),
    )


def share_of_epci(obs: pl.DataFrame, geo: pl.DataFrame | None) -> pl.DataFrame:
    """Latest population of the commune / latest population of its EPCI × 100."""
    if geo is None:
        return pl.DataFrame(schema={"code": pl.String, "millesime": pl.Int32, "value": pl.Float64})
    latest = _latest_population(obs, geo)
    return latest.select(
        "code",
        "millesime",
        (pl.col("value") / pl.col("value").sum().over("epci") * 100).alias("value"),
    )


def natural_balance(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Annual rate of change due to the natural balance, in % per year, for each intercensal
    period, shown at the census that closes it: (births − deaths) / years / mean population
    × 100 (INSEE's *taux de variation annuel dû au solde naturel*). Births and deaths are
    stored under the census that opens the period (``NAIS1621`` under 2016, see
    :mod:`pvd.sources.insee_census`); the period ends at the next census of the *historical
    series* (2016 → 2022; 1990 → 1999): its populations only (``pop_rp_serie``), never a
    census population of another file (``ages`` adds P21_POP, which is no period end)."""
    pop = obs.filter(pl.col("variable") == SERIES_POP).select("code", "millesime", "value")
    flows = (
        obs.filter(pl.col("variable").is_in(["naissances", "deces"]))
        .pivot(
            on="variable", index=["code", "millesime"], values="value", aggregate_function="first"
        )
        .drop_nulls()
    )
    if flows.is_empty() or "naissances" not in flows.columns or "deces" not in flows.columns:
        return pl.DataFrame(schema={"code": pl.String, "millesime": pl.Int32, "value": pl.Float64})
    years = sorted(pop.get_column("millesime").unique().to_list())
    end_of = {y: min((e for e in years if e > y), default=None) for y in years}
    flows = (
        flows.rename({"millesime": "start"})
        .with_columns(
            pl.col("start")
            .replace_strict(end_of, default=None, return_dtype=pl.Int32)
            .alias("millesime")
        )
        .drop_nulls("millesime")
    )
    p0 = pop.rename({"millesime": "start", "value": "p0"})
    p1 = pop.rename({"value": "p1"})
    joined = flows.join(p0, on=["code", "start"]).join(p1, on=["code", "millesime"])
    return joined.filter(pl.col("p0") + pl.col("p1") > 0).select(
        "code",
        "millesime",
        (
            (pl.col("naissances") - pl.col("deces"))
            / (pl.col("millesime") - pl.col("start"))
            / ((pl.col("p0") + pl.col("p1")) / 2)
            * 100
        ).alias("value"),
    )


register(
    Indicator(
        id="population",
        label="Population municipale",
        theme="demographie",
        unit="habitants",
        direction=NEUTRAL,
        source=REFERENTIAL,
        vintage=REFERENTIAL_VINTAGE,
        licence=LO,
        formula="Population municipale légale de chaque millésime, ramenée à la géographie "
        "communale en vigueur (une commune nouvelle reçoit la somme de ses anciennes communes). "
        "Agrégats : somme des communes.",
        inputs=("population",),
        compute=level("population"),
        decimals=0,
        key_figure=True,
        series=True,
    )
)
register(
    Indicator(
        id="population_evolution",
        label="Évolution de la population depuis le premier millésime",
        theme="demographie",
        unit="%",
        direction=HIGHER_BETTER,
        source=REFERENTIAL,
        vintage=REFERENTIAL_VINTAGE,
        licence=LO,
        formula="(P(millésime) / P(premier millésime) − 1) × 100, pour chaque millésime "
        "postérieur au premier (2019). Agrégats : même calcul sur les populations sommées.",
        inputs=("population",),
        compute=evolution,
        decimals=1,
        key_figure=True,
        series=True,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="population_tcam",
        label="Taux de croissance annuel moyen de la population",
        theme="demographie",
        unit="% par an",
        direction=HIGHER_BETTER,
        source=REFERENTIAL,
        vintage=REFERENTIAL_VINTAGE,
        licence=LO,
        formula="((P(dernier) / P(premier)) ^ (1 / nombre d'années) − 1) × 100, entre le premier "
        "et le dernier millésime disponibles (2019 et 2023).",
        inputs=("population",),
        compute=annual_growth,
        decimals=2,
    )
)
register(
    Indicator(
        id="population_rang_epci",
        label="Rang de la commune dans son EPCI par la population",
        theme="demographie",
        unit="rang",
        direction=NEUTRAL,
        source=REFERENTIAL,
        vintage=REFERENTIAL_VINTAGE,
        licence=LO,
        formula="Rang de la population du dernier millésime parmi les communes membres de "
        "l'EPCI (1 = la plus peuplée). Sans objet pour les agrégats.",
        inputs=("population",),
        compute=rank_in_epci,
        aggregate="none",
        decimals=0,
    )
)
register(
    Indicator(
        id="population_part_epci",
        label="Part de la population de l'EPCI",
        theme="demographie",
        unit="%",
        direction=NEUTRAL,
        source=REFERENTIAL,
        vintage=REFERENTIAL_VINTAGE,
        licence=LO,
        formula="Population de la commune / population de l'EPCI × 100, au dernier millésime. "
        "Sans objet pour les agrégats.",
        inputs=("population",),
        compute=share_of_epci,
        aggregate="none",
        decimals=1,
        key_figure=True,
    )
)
register(
    Indicator(
        id="population_recensement",
        label="Population aux recensements depuis 1968",
        theme="demographie",
        unit="habitants",
        direction=NEUTRAL,
        source=HISTORY,
        vintage=HISTORY_VINTAGE,
        licence=LO,
        formula="Population municipale des séries historiques du recensement (P22_POP, "
        "P16_POP, P11_POP, D99_POP… D68_POP). Agrégats : somme des communes.",
        inputs=("pop_rp",),
        compute=level("pop_rp"),
        decimals=0,
        series=True,
    )
)
register(
    Indicator(
        id="densite",
        label="Densité de population",
        theme="demographie",
        unit="hab./km²",
        direction=NEUTRAL,
        source=HISTORY,
        vintage=HISTORY_VINTAGE,
        licence=LO,
        formula="Population municipale du recensement / superficie (SUPERF, km²). Agrégats : "
        "population totale / superficie totale.",
        inputs=("pop_rp", "superficie"),
        compute=ratio("pop_rp", "superficie"),
        decimals=1,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="solde_naturel",
        label="Variation annuelle de la population due au solde naturel",
        theme="demographie",
        unit="% par an",
        direction=HIGHER_BETTER,
        source=HISTORY,
        vintage=HISTORY_VINTAGE,
        licence=LO,
        formula="(naissances − décès de la période) / durée de la période (années) / population "
        "moyenne (début et fin de période) × 100 ; période = entre deux recensements "
        "(par exemple NAIS1621 et DECE1621, naissances et décès de 2016 à 2021, avec P16_POP et "
        "P22_POP ; NAIS1520 avec P15_POP et P21_POP dans la série 2021).",
        inputs=("naissances", "deces", SERIES_POP),
        compute=natural_balance,
        decimals=2,
        series=True,
    )
)

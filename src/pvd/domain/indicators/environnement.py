"""Environnement et transition: consumption of natural, agricultural and forest land (Cerema,
*fichiers fonciers*), measured against the reference decade of the *Climat et résilience* law.

The law of 22 August 2021 (ZAN trajectory) halves, for 2021-2031, the land consumed during the
ten years before it: the flows from 1 January 2011 to 1 January 2021. A flow ``nafNNartMM`` of
the Cerema file is stored under millésime 20NN (see :mod:`pvd.sources.cerema_naf`), so the
reference decade is millésimes 2011 to 2020. A decade figure is only computed where the ten
flows are all known (never a partial sum), and is shown under millésime 2021 (its end).

Consumption is a gross flow in m²; a zero means nothing was consumed. Lower is better for the
relative figures (share of the area, per inhabitant, pace since 2021); the amount in hectares
grows with the size of the commune and is not judged.
"""

from __future__ import annotations

import polars as pl

from pvd.domain.indicators.base import (
    LOWER_BETTER,
    NEUTRAL,
    Indicator,
    register,
)

SOURCE = "cerema-conso-naf-2009-2023"
VINTAGE = "flux annuels du 1er janvier 2009 au 1er janvier 2023 (fichiers fonciers)"
LO = "Licence Ouverte 2.0 (Etalab)"
REFERENCE = tuple(range(2011, 2021))  # flows 1 Jan 2011 -> 1 Jan 2021
REFERENCE_END = 2021
ZAN_START = 2021
M2_PER_HA = 10_000.0
EMPTY = {"code": pl.String, "millesime": pl.Int32, "value": pl.Float64}


def _sum_years(obs: pl.DataFrame, variable: str, years: tuple[int, ...]) -> pl.DataFrame:
    """(code, value): the sum of ``variable`` over ``years``, for codes that have every year."""
    return (
        obs.filter((pl.col("variable") == variable) & pl.col("millesime").is_in(years))
        .group_by("code")
        .agg(pl.col("value").sum(), pl.col("millesime").n_unique().alias("_n"))
        .filter(pl.col("_n") == len(years))
        .select("code", "value")
    )


def _timeless(obs: pl.DataFrame, variable: str) -> pl.DataFrame:
    return obs.filter((pl.col("variable") == variable) & (pl.col("millesime") == 0)).select(
        "code", pl.col("value").alias(variable)
    )


def _decade_over(obs: pl.DataFrame, denominator: str, scale: float) -> pl.DataFrame:
    decade = _sum_years(obs, "naf_conso", REFERENCE).join(_timeless(obs, denominator), on="code")
    return decade.filter(pl.col(denominator) > 0).select(
        "code",
        pl.lit(REFERENCE_END, pl.Int32).alias("millesime"),
        (pl.col("value") / pl.col(denominator) * scale).alias("value"),
    )


def decade_hectares(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Land consumed over the reference decade, in hectares."""
    return _sum_years(obs, "naf_conso", REFERENCE).select(
        "code",
        pl.lit(REFERENCE_END, pl.Int32).alias("millesime"),
        (pl.col("value") / M2_PER_HA).alias("value"),
    )


def decade_share_of_area(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Land consumed over the reference decade / area of the commune × 100 (both in m²)."""
    return _decade_over(obs, "surface_commune", 100.0)


def decade_per_inhabitant(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """m² consumed over the reference decade per inhabitant (latest legal population)."""
    return _decade_over(obs, "pop_ref", 1.0)


def decade_housing_share(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Part of the reference decade's consumption made for housing, in %."""
    housing = _sum_years(obs, "naf_conso_habitat", REFERENCE).rename({"value": "housing"})
    decade = _sum_years(obs, "naf_conso", REFERENCE)
    return (
        decade.join(housing, on="code")
        .filter(pl.col("value") > 0)
        .select(
            "code",
            pl.lit(REFERENCE_END, pl.Int32).alias("millesime"),
            (pl.col("housing") / pl.col("value") * 100).alias("value"),
        )
    )


def yearly_hectares(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Each yearly flow, in hectares (millésime N = from 1 January N to 1 January N+1)."""
    return obs.filter(pl.col("variable") == "naf_conso").select(
        "code", "millesime", (pl.col("value") / M2_PER_HA).alias("value")
    )


def pace_since_2021(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """Mean yearly consumption since 1 January 2021 / mean yearly consumption of the reference
    decade × 100 (100 = same pace; 50 = the halving the law asks for 2021-2031). Shown under the
    millésime of the latest flow; undefined where nothing was consumed in the decade."""
    since = (
        obs.filter((pl.col("variable") == "naf_conso") & (pl.col("millesime") >= ZAN_START))
        .group_by("code")
        .agg(
            pl.col("value").mean().alias("recent"),
            pl.col("millesime").max().alias("millesime"),
        )
    )
    if since.is_empty():
        return pl.DataFrame(schema=EMPTY)
    decade = _sum_years(obs, "naf_conso", REFERENCE).rename({"value": "decade"})
    return (
        since.join(decade, on="code")
        .filter(pl.col("decade") > 0)
        .select(
            "code",
            "millesime",
            (pl.col("recent") / (pl.col("decade") / len(REFERENCE)) * 100).alias("value"),
        )
    )


DECADE = (
    "consommation 2011-2021 = somme des dix flux annuels du 1er janvier 2011 au 1er janvier "
    "2021 (naf11art12 + naf12art13 + … + naf20art21, en m²), décennie de référence de la loi "
    "Climat et résilience ; calculée seulement si les dix flux sont connus ; millésime affiché : "
    "2021"
)

register(
    Indicator(
        id="naf_conso_2011_2021",
        label="Espaces naturels, agricoles et forestiers consommés de 2011 à 2021",
        theme="environnement",
        unit="ha",
        # An amount: it grows with the size of the commune; the relative figures are judged.
        direction=NEUTRAL,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula=f"Somme des flux annuels / 10 000 (m² → ha) ; {DECADE}. Agrégats : somme des "
        "communes.",
        inputs=("naf_conso",),
        compute=decade_hectares,
        decimals=1,
        key_figure=True,
    )
)
register(
    Indicator(
        id="naf_conso_part_surface",
        label="Part de la surface communale consommée de 2011 à 2021",
        theme="environnement",
        unit="%",
        direction=LOWER_BETTER,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula=f"Consommation 2011-2021 / surface de la commune × 100 (surfcom2023, m²) ; "
        f"{DECADE}. Agrégats : somme des consommations / somme des surfaces.",
        inputs=("naf_conso", "surface_commune"),
        compute=decade_share_of_area,
        decimals=2,
    )
)
register(
    Indicator(
        id="naf_conso_par_habitant",
        label="Espaces consommés de 2011 à 2021 par habitant",
        theme="environnement",
        unit="m² par habitant",
        # Per inhabitant rather than per new inhabitant: most small towns of the programme lose
        # population, where "per new inhabitant" is undefined or negative.
        direction=LOWER_BETTER,
        source=SOURCE,
        vintage=VINTAGE + " ; population municipale du dernier millésime",
        licence=LO,
        formula=f"Consommation 2011-2021 (m²) / population municipale du dernier millésime du "
        f"référentiel ; {DECADE}. Agrégats : somme des consommations / somme des populations.",
        inputs=("naf_conso", "pop_ref"),
        compute=decade_per_inhabitant,
        decimals=1,
    )
)
register(
    Indicator(
        id="naf_conso_part_habitat",
        label="Part de l'habitat dans les espaces consommés de 2011 à 2021",
        theme="environnement",
        unit="%",
        direction=NEUTRAL,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Consommation 2011-2021 à destination de l'habitat (art11hab12 + … + "
        f"art20hab21) / consommation 2011-2021 × 100 ; {DECADE}. La destination est parfois "
        "inconnue (artNNincMM) : cette part est un minimum. Agrégats : rapport des sommes.",
        inputs=("naf_conso", "naf_conso_habitat"),
        compute=decade_housing_share,
        decimals=1,
    )
)
register(
    Indicator(
        id="naf_conso_annuelle",
        label="Espaces naturels, agricoles et forestiers consommés dans l'année",
        theme="environnement",
        unit="ha",
        direction=NEUTRAL,  # an amount, like naf_conso_2011_2021
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Flux annuel nafNNartMM / 10 000 (m² → ha), du 1er janvier N au 1er janvier "
        "N+1, affiché sous le millésime N (naf22art23 → 2022). La dernière année est provisoire "
        "(sous-estimée, révisée au millésime suivant du fichier). Agrégats : somme des communes.",
        inputs=("naf_conso",),
        compute=yearly_hectares,
        decimals=2,
        series=True,
    )
)
register(
    Indicator(
        id="naf_rythme_depuis_2021",
        label="Rythme de consommation depuis 2021 rapporté à celui de 2011-2021",
        theme="environnement",
        unit="%",
        direction=LOWER_BETTER,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Moyenne des flux annuels depuis le 1er janvier 2021 (naf21art22, naf22art23…) / "
        f"(consommation 2011-2021 / 10) × 100 ; {DECADE}. 100 = même rythme ; 50 = la division "
        "par deux visée par la loi pour 2021-2031. Millésime affiché : celui du dernier flux "
        "(provisoire). Non calculé si rien n'a été consommé en 2011-2021. Agrégats : rapport des "
        "sommes.",
        inputs=("naf_conso",),
        compute=pace_since_2021,
        decimals=0,
    )
)

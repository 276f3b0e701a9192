"""Mobilités: how employed residents go to work (INSEE census, working population file,
complementary exploitation ``C21_ACTOCC15P_*``).

The shares divide by ``C21_ACTOCC15P``, the total of the same (complementary) exploitation as
the modes, not by ``P21_ACTOCC15P`` (main exploitation): numerator and denominator then count
the same people and the modes add up to 100 %.
"""

from __future__ import annotations

import polars as pl

from pvd.domain.indicators.base import (
    HIGHER_BETTER,
    NEUTRAL,
    Indicator,
    ratio,
    register,
    wide,
)

SOURCE = "insee-emploi-2021"
VINTAGE = "recensement 2021"
LO = "Licence Ouverte 2.0 (Etalab)"
TOTAL = "navetteurs_15p"
SUMS = " Agrégats : rapport des sommes."


def soft_modes_share(obs: pl.DataFrame, geo: pl.DataFrame | None = None) -> pl.DataFrame:
    """(on foot + by bicycle) / employed residents × 100."""
    w = wide(obs, ("navetteurs_mar", "navetteurs_velo", TOTAL))
    return w.select(
        "code",
        "millesime",
        pl.when(pl.col(TOTAL) > 0)
        .then((pl.col("navetteurs_mar") + pl.col("navetteurs_velo")) / pl.col(TOTAL) * 100)
        .alias("value"),
    )


register(
    Indicator(
        id="part_actifs_voiture",
        label="Part des actifs occupés allant travailler en voiture",
        theme="mobilites",
        unit="%",
        # Neutral rather than "lower is better": in the small towns of the programme and their
        # rural surroundings the car is mostly the only way to reach a job; a high share says
        # that alternatives are missing, it does not rank the commune's choices.
        direction=NEUTRAL,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Actifs occupés de 15 ans ou plus utilisant principalement une voiture, un "
        "camion ou une fourgonnette pour aller travailler / actifs occupés de 15 ans ou plus × "
        "100 (C21_ACTOCC15P_VOIT / C21_ACTOCC15P)." + SUMS,
        inputs=("navetteurs_voit", TOTAL),
        compute=ratio("navetteurs_voit", TOTAL, 100),
        decimals=1,
    )
)
register(
    Indicator(
        id="part_actifs_transports_commun",
        label="Part des actifs occupés allant travailler en transports en commun",
        theme="mobilites",
        unit="%",
        direction=HIGHER_BETTER,  # an alternative to the car exists and is used
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Actifs occupés de 15 ans ou plus utilisant principalement les transports en "
        "commun pour aller travailler / actifs occupés de 15 ans ou plus × 100 "
        "(C21_ACTOCC15P_TCOM / C21_ACTOCC15P)." + SUMS,
        inputs=("navetteurs_tcom", TOTAL),
        compute=ratio("navetteurs_tcom", TOTAL, 100),
        decimals=1,
    )
)
register(
    Indicator(
        id="part_actifs_marche_velo",
        label="Part des actifs occupés allant travailler à pied ou à vélo",
        theme="mobilites",
        unit="%",
        direction=HIGHER_BETTER,  # jobs within reach without a motor vehicle
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="(Actifs occupés allant travailler principalement à pied + à vélo) / actifs "
        "occupés de 15 ans ou plus × 100 ((C21_ACTOCC15P_MAR + C21_ACTOCC15P_VELO) / "
        "C21_ACTOCC15P)." + SUMS,
        inputs=("navetteurs_mar", "navetteurs_velo", TOTAL),
        compute=soft_modes_share,
        decimals=1,
    )
)

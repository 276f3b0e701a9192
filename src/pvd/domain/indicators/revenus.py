"""Revenus: median disposable income and poverty rate (INSEE Filosofi).

Filosofi medians do not add up: the aggregates below are population-weighted means of the
commune values, an approximation of INSEE's own EPCI, department and region figures (which are
computed on the individual incomes). Communes under statistical secrecy are missing, not zero,
and are left out of the mean.
"""

from __future__ import annotations

from pvd.domain.indicators.catalogue import (
    HIGHER_BETTER,
    LOWER_BETTER,
    Indicator,
    level,
    register,
)

FILOSOFI = "insee-filosofi-2021"
VINTAGE = "2021 (Filosofi)"
LO = "Licence Ouverte 2.0 (Etalab)"
APPROX = (
    " Agrégats : moyenne des valeurs communales pondérée par la population (approximation ; "
    "les communes sous secret statistique sont exclues)."
)

register(
    Indicator(
        id="revenu_median",
        label="Revenu disponible médian par unité de consommation",
        theme="revenus",
        unit="€ par an",
        direction=HIGHER_BETTER,
        source=FILOSOFI,
        vintage=VINTAGE,
        licence=LO,
        formula="Médiane du revenu disponible par unité de consommation (MED21)." + APPROX,
        inputs=("revenu_median",),
        compute=level("revenu_median"),
        aggregate="weighted_mean",
        decimals=0,
        key_figure=True,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="taux_pauvrete",
        label="Taux de pauvreté (seuil de 60 % du niveau de vie médian)",
        theme="revenus",
        unit="%",
        direction=LOWER_BETTER,
        source=FILOSOFI,
        vintage=VINTAGE,
        licence=LO,
        formula="Part des personnes dont le niveau de vie est inférieur à 60 % du niveau de vie "
        "médian national (TP6021)." + APPROX,
        inputs=("taux_pauvrete",),
        compute=level("taux_pauvrete"),
        aggregate="weighted_mean",
        decimals=1,
    )
)

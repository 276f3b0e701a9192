"""Revenus: median disposable income and poverty rate (INSEE Filosofi).

Filosofi medians and rates do not add up. An EPCI, department, region or France gets INSEE's
own figure when the imported file has it (the Melodi file does: ``GEO_OBJECT`` EPCI, DEP, REG,
FRANCE), computed by INSEE on the individual incomes; otherwise a population-weighted mean of the
commune values, made only where the communes with a value hold at least half of the territory's
population and labelled "estimation" wherever it is shown (see
:func:`pvd.domain.indicators.engine._median_aggregates`). Communes under statistical secrecy
are missing, not zero, and are left out of the mean.
"""

from __future__ import annotations

from pvd.domain.indicators.base import (
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
    " Agrégats (EPCI, département, région, France) : la valeur publiée par l'INSEE pour le "
    "territoire quand le fichier chargé la donne (fichier Melodi ; pour la France, la France "
    "métropolitaine, référence de l'INSEE) ; sinon une estimation, moyenne des valeurs "
    "communales pondérée par la population, calculée seulement si les communes ayant une valeur "
    "(hors secret statistique) regroupent au moins la moitié de la population du territoire, et "
    "signalée « estimation »."
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

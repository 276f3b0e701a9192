"""Habitat: dwellings, vacancy, second homes (INSEE census, housing file)."""

from __future__ import annotations

from pvd.domain.indicators.base import (
    LOWER_BETTER,
    NEUTRAL,
    Indicator,
    level,
    ratio,
    register,
)

HOUSING = "insee-logement-2021"
VINTAGE = "recensement 2021"
LO = "Licence Ouverte 2.0 (Etalab)"

register(
    Indicator(
        id="logements",
        label="Nombre de logements",
        theme="habitat",
        unit="logements",
        direction=NEUTRAL,
        source=HOUSING,
        vintage=VINTAGE,
        licence=LO,
        formula="Nombre de logements (P21_LOG ; séries historiques : P22_LOG… D68_LOG). "
        "Agrégats : somme des communes.",
        inputs=("logements",),
        compute=level("logements"),
        decimals=0,
        series=True,
    )
)
register(
    Indicator(
        id="taux_vacance",
        label="Taux de logements vacants",
        theme="habitat",
        unit="%",
        direction=LOWER_BETTER,
        source=HOUSING,
        vintage=VINTAGE,
        licence=LO,
        formula="Logements vacants / logements × 100 (P21_LOGVAC / P21_LOG). Agrégats : "
        "somme des logements vacants / somme des logements.",
        inputs=("logements_vacants", "logements"),
        compute=ratio("logements_vacants", "logements", 100),
        decimals=1,
        key_figure=True,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="part_residences_secondaires",
        label="Part des résidences secondaires et logements occasionnels",
        theme="habitat",
        unit="%",
        direction=NEUTRAL,
        source=HOUSING,
        vintage=VINTAGE,
        licence=LO,
        formula="Résidences secondaires et logements occasionnels / logements × 100 "
        "(P21_RSECOCC / P21_LOG).",
        inputs=("residences_secondaires", "logements"),
        compute=ratio("residences_secondaires", "logements", 100),
        decimals=1,
        peer_feature=True,
    )
)

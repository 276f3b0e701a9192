"""Économie et emploi: unemployment and job concentration (INSEE census, working population
file)."""

from __future__ import annotations

from pvd.domain.indicators.base import LOWER_BETTER, NEUTRAL, Indicator, ratio, register

register(
    Indicator(
        id="taux_chomage",
        label="Taux de chômage des 15-64 ans (au sens du recensement)",
        theme="economie",
        unit="%",
        direction=LOWER_BETTER,
        source="insee-emploi-2021",
        vintage="recensement 2021",
        licence="Licence Ouverte 2.0 (Etalab)",
        formula="Chômeurs de 15 à 64 ans / actifs de 15 à 64 ans × 100 "
        "(P21_CHOM1564 / P21_ACT1564). Agrégats : rapport des sommes.",
        inputs=("chomeurs_15_64", "actifs_15_64"),
        compute=ratio("chomeurs_15_64", "actifs_15_64", 100),
        decimals=1,
        key_figure=True,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="concentration_emploi",
        label="Indicateur de concentration d'emploi",
        theme="economie",
        unit="emplois pour 100 actifs occupés",
        # A centrality signal (above 100: the commune offers more jobs than it has employed
        # residents, it is an employment pole for its surroundings), not a good or a bad in
        # itself.
        direction=NEUTRAL,
        source="insee-emploi-2021",
        vintage="recensement 2021",
        licence="Licence Ouverte 2.0 (Etalab)",
        formula="Emplois au lieu de travail / actifs occupés de 15 ans ou plus résidant dans la "
        "commune × 100 (P21_EMPLT / P21_ACTOCC15P), définition de l'INSEE. Agrégats : rapport "
        "des sommes (les navettes internes au territoire s'y compensent).",
        inputs=("emplois_lieu_travail", "actifs_occupes_15p"),
        compute=ratio("emplois_lieu_travail", "actifs_occupes_15p", 100),
        decimals=1,
    )
)

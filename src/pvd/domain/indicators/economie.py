"""Économie et emploi: unemployment (INSEE census, working population file)."""

from __future__ import annotations

from pvd.domain.indicators.catalogue import LOWER_BETTER, Indicator, ratio, register

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

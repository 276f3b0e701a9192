"""Santé et vieillissement: share of people aged 75 and over, general practitioners."""

from __future__ import annotations

from pvd.domain.indicators.base import (
    HIGHER_BETTER,
    LOWER_BETTER,
    Indicator,
    ratio,
    register,
)

LO = "Licence Ouverte 2.0 (Etalab)"

register(
    Indicator(
        id="part_75_ans_plus",
        label="Part des personnes âgées de 75 ans ou plus",
        theme="sante",
        unit="%",
        # A signal of ageing, one of the fragilities the programme looks at (DOMAIN notes).
        direction=LOWER_BETTER,
        source="insee-population-ages-2021",
        vintage="recensement 2021",
        licence=LO,
        formula="Population de 75 ans ou plus / population × 100 (P21_POP75P / P21_POP). "
        "Agrégats : rapport des sommes.",
        inputs=("pop_75_plus", "pop_rp"),
        compute=ratio("pop_75_plus", "pop_rp", 100),
        decimals=1,
        key_figure=True,
        peer_feature=True,
    )
)
register(
    Indicator(
        id="medecins_generalistes_10000",
        label="Médecins généralistes pour 10 000 habitants",
        theme="sante",
        unit="pour 10 000 hab.",
        direction=HIGHER_BETTER,
        source="insee-bpe-2024",
        vintage="millésime de la BPE chargée",
        licence=LO,
        formula="Nombre de médecins généralistes (BPE, type D201) / population municipale du "
        "dernier millésime × 10 000. Agrégats : rapport des sommes.",
        inputs=("bpe_D201", "pop_ref"),
        compute=ratio("bpe_D201", "pop_ref", 10000),
        decimals=1,
    )
)

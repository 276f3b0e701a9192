"""Commerces et services, mobilités, patrimoine et culture: facilities of INSEE's *Base
permanente des équipements* (BPE).

The BPE importer (pvd.sources.insee_bpe) counts facilities per commune and type (TYPEQU), per
domain (first letter of TYPEQU: A services aux particuliers, B commerces, C enseignement,
D santé et action sociale, E transports et déplacements, F sports, loisirs et culture,
G tourisme), per sub-domain (two first characters, e.g. F3 culture) and, when the INSEE list of
types per *gamme* is given, per gamme (proximité, intermédiaire, supérieure).
"""

from __future__ import annotations

from pvd.domain.indicators.base import (
    HIGHER_BETTER,
    Indicator,
    level,
    ratio,
    register,
)

BPE = "insee-bpe-2024"
VINTAGE = "millésime de la BPE chargée"
LO = "Licence Ouverte 2.0 (Etalab)"


def _count(id_: str, label: str, variable: str, what: str, theme: str = "commerces", **kw):
    register(
        Indicator(
            id=id_,
            label=label,
            theme=theme,
            unit="équipements",
            direction=HIGHER_BETTER,
            source=BPE,
            vintage=VINTAGE,
            licence=LO,
            formula=f"Nombre d'équipements {what} (BPE). Agrégats : somme des communes.",
            inputs=(variable,),
            compute=level(variable),
            decimals=0,
            **kw,
        )
    )


_count(
    "equipements_total",
    "Équipements et services (tous types)",
    "bpe_total",
    "de tous types",
    key_figure=True,
)
register(
    Indicator(
        id="equipements_1000",
        label="Équipements et services pour 1 000 habitants",
        theme="commerces",
        unit="pour 1 000 hab.",
        direction=HIGHER_BETTER,
        source=BPE,
        vintage=VINTAGE,
        licence=LO,
        formula="Nombre d'équipements de tous types (BPE) / population municipale du dernier "
        "millésime × 1 000. Agrégats : rapport des sommes.",
        inputs=("bpe_total", "pop_ref"),
        compute=ratio("bpe_total", "pop_ref", 1000),
        decimals=1,
        peer_feature=True,
    )
)
_count("commerces", "Commerces (domaine B de la BPE)", "bpe_dom_B", "du domaine B (commerces)")
_count(
    "gamme_proximite",
    "Équipements de la gamme de proximité",
    "bpe_gamme_proximite",
    "de la gamme de proximité (liste INSEE des types par gamme)",
)
_count(
    "gamme_intermediaire",
    "Équipements de la gamme intermédiaire",
    "bpe_gamme_intermediaire",
    "de la gamme intermédiaire (types par gamme : lecture embarquée des listes INSEE 2013-2017, "
    "ou la liste passée à l'import avec --gammes)",
)
_count(
    "gamme_superieure",
    "Équipements de la gamme supérieure",
    "bpe_gamme_superieure",
    "de la gamme supérieure (types par gamme : lecture embarquée des listes INSEE 2013-2017, "
    "ou la liste passée à l'import avec --gammes)",
)
_count("boulangeries", "Boulangeries", "bpe_B203", "de type B203 (boulangerie)")
_count("bureaux_poste", "Bureaux de poste", "bpe_A206", "de type A206 (bureau de poste)")
_count(
    "pharmacies",
    "Pharmacies",
    "bpe_D301",
    "de type D301 (pharmacie, nomenclature BPE jusqu'à 2020)",
    theme="sante",
)
_count(
    "equipements_transport",
    "Équipements de transport et de déplacement",
    "bpe_dom_E",
    "du domaine E (taxis, gares, aéroports…)",
    theme="mobilites",
)
_count(
    "equipements_culture",
    "Équipements culturels",
    "bpe_sdom_F3",
    "du sous-domaine F3 (cinémas, théâtres, musées, conservatoires, bibliothèques selon "
    "le millésime)",
    theme="patrimoine",
)

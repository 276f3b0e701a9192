"""Finances locales: debt, self-financing and investment of the commune's main budget (DGFiP,
*comptes individuels des communes*), one millésime per financial year of the file.

Per-inhabitant figures divide by the population of the same file (``pop1``), so that an EPCI,
department or region gets the ratio of its sums (sum of amounts / sum of populations), never a
mean of ratios. Amounts are stored in euros (the file gives thousands of euros, see
:mod:`pvd.sources.dgfip_comptes`). Only the communes' own budgets: the EPCI's accounts are not
added to the aggregates, which are therefore "communes of the territory", not the territory's
whole public sector.
"""

from __future__ import annotations

from pvd.domain.indicators.base import (
    HIGHER_BETTER,
    LOWER_BETTER,
    NEUTRAL,
    Indicator,
    ratio,
    register,
)

SOURCE = "dgfip-comptes-communes"
VINTAGE = "exercices du fichier chargé (comptes de gestion, budget principal)"
LO = "Licence Ouverte 2.0 (Etalab)"
SUMS = " Agrégats : somme des montants / somme des populations (pop1) des communes."


def _per_inhabitant(ind_id, label, variable, column, direction, why=""):
    register(
        Indicator(
            id=ind_id,
            label=label,
            theme="finances",
            unit="€ par habitant",
            direction=direction,
            source=SOURCE,
            vintage=VINTAGE,
            licence=LO,
            formula=f"{why}{column} (milliers d'euros) × 1 000 / population DGFiP (pop1), pour "
            f"chaque exercice (an) ; le fichier donne aussi f{column}, identique à l'arrondi "
            "près." + SUMS,
            inputs=(variable, "dgfip_population"),
            compute=ratio(variable, "dgfip_population"),
            decimals=0,
            series=True,
        )
    )


_per_inhabitant(
    "dette_par_habitant",
    "Encours de la dette par habitant",
    "dgfip_dette",
    "dette",
    LOWER_BETTER,
    "Encours de la dette au 31 décembre : ",
)
_per_inhabitant(
    "caf_brute_par_habitant",
    "Capacité d'autofinancement brute par habitant",
    "dgfip_caf",
    "caf",
    HIGHER_BETTER,
    "Capacité d'autofinancement (CAF) brute, excédent des produits réels de fonctionnement sur "
    "les charges réelles : ",
)
_per_inhabitant(
    "depenses_equipement_par_habitant",
    "Dépenses d'équipement par habitant",
    "dgfip_equipement",
    "equip",
    # Investment is what a revitalisation programme asks for, but it comes in lumps (one
    # project can double a year) and is financed by debt as well: not judged in itself.
    NEUTRAL,
    "Dépenses d'équipement (investissement) : ",
)
register(
    Indicator(
        id="capacite_desendettement",
        label="Capacité de désendettement",
        theme="finances",
        unit="années",
        direction=LOWER_BETTER,
        source=SOURCE,
        vintage=VINTAGE,
        licence=LO,
        formula="Encours de la dette / CAF brute (dette / caf) : nombre d'années d'épargne brute "
        "nécessaires pour rembourser la dette (seuil d'alerte usuel : 12 ans pour une commune). "
        "Non calculée quand la CAF brute est nulle ou négative. Agrégats : somme des dettes / "
        "somme des CAF.",
        inputs=("dgfip_dette", "dgfip_caf"),
        compute=ratio("dgfip_dette", "dgfip_caf"),
        decimals=1,
        series=True,
    )
)

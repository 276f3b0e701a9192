"""Plain-French readings of the estimates, generated from the figures, and the caveats every
page, export and command states."""

from __future__ import annotations

from pvd.domain.numbers import NARROW_NBSP, grouped, signed_number
from pvd.domain.outcomes.effects import LEVEL, MIN_TOWNS, Estimate
from pvd.domain.wording import is_plural


def num(x: float | None, digits: int = 1, *, sign: bool = False) -> str:
    """French decimal: "−0,4", "+1,2" (``sign``), "n.d." when missing."""
    return signed_number(x, digits, sign=sign)


def interval_text(bas: float | None, haut: float | None) -> str:
    """"−1,5 à −0,7": one decimal, more when a bound that is not zero would round to "0,0"
    (an interval shown as "+0,0 à +1,2" next to "significatif" reads as a contradiction)."""
    if bas is None or haut is None:
        return "n.d."
    digits = 1
    while digits < 3 and any(b != 0 and round(b, digits) == 0 for b in (bas, haut)):
        digits += 1
    return f"{num(bas, digits, sign=True)} à {num(haut, digits, sign=True)}"


def points(x: float) -> str:
    v = round(abs(x), 1)
    return f"{num(v)} point{'s' if is_plural(v) else ''}"


def _evolution(x: float) -> str:
    return f"{num(x, sign=True)} %"


def reading(est: Estimate, *, before: int, after: int, subject: str = "les lauréats") -> str:
    """E.g. « Entre 2019 et 2023, la population des 1 402 lauréats a évolué de −1,2 % et celle
    de leurs villes comparables de −1,6 % : les lauréats ont perdu 0,4 point de population de
    moins que les villes comparables ; l'écart n'est pas significatif (intervalle à 95 % :
    −0,2 à +1,0 point). »"""
    if est.effet is None or est.variation_laureats is None or est.variation_comparables is None:
        return "Aucun lauréat apparié n'a de population aux deux millésimes : pas d'estimation."
    vt, vc, d = est.variation_laureats, est.variation_comparables, est.effet
    n = grouped(est.laureats, NARROW_NBSP)
    head = (
        f"Entre {before} et {after}, la population des {n} lauréat{'s' if est.laureats > 1 else ''} "
        f"appariés a évolué de {_evolution(vt)} et celle de leurs villes comparables de "
        f"{_evolution(vc)}"
    )
    if round(d, 1) == 0:
        gap = f"{subject} ont évolué comme les villes comparables"
    elif d > 0 and vt <= 0:
        gap = f"{subject} ont perdu {points(d)} de population de moins que les villes comparables"
    elif d > 0 and vc >= 0:
        gap = f"{subject} ont gagné {points(d)} de population de plus que les villes comparables"
    elif d > 0:
        gap = f"{subject} ont gagné des habitants quand les villes comparables en perdaient : un écart de {points(d)} en leur faveur"
    elif vc <= 0:
        gap = f"{subject} ont perdu {points(d)} de population de plus que les villes comparables"
    elif vt >= 0:
        gap = f"{subject} ont gagné {points(d)} de population de moins que les villes comparables"
    else:
        gap = f"{subject} ont perdu des habitants quand les villes comparables en gagnaient : un écart de {points(d)} en leur défaveur"
    pct = f"{round(LEVEL * 100)} %"
    if est.bas is None or est.haut is None:
        verdict = "un seul lauréat : pas d'intervalle de confiance"
    else:
        interval = f"intervalle à {pct} : {interval_text(est.bas, est.haut)} point{'s' if is_plural(max(abs(est.bas), abs(est.haut))) else ''}"
        if est.significatif:
            verdict = f"l'écart est significatif ({interval})"
        else:
            verdict = f"l'écart n'est pas significatif ({interval})"
    text = f"{head} : {gap} ; {verdict}."
    if est.fragile:
        text += f" Moins de {MIN_TOWNS} lauréats : trop peu de villes pour conclure."
    return text


def caveats(*, before: int, after: int, vintages: list, covered: str) -> list[str]:
    """What the design can and cannot say, in French (shown on every page and export)."""
    return [
        "Sélection sur les observables : les lauréats sont comparés à des villes non lauréates "
        "qui leur ressemblaient avant 2020 (population, rang dans l'EPCI, centralité, "
        "équipements). Ce qui a fait choisir une ville sans être mesuré (projet, dynamisme des "
        "élus, candidature) n'est pas neutralisé : l'écart mesuré n'est pas à lui seul un effet "
        "du programme.",
        f"Période courte : {before} → {after}. Les populations légales sont des moyennes de cinq "
        f"enquêtes annuelles (le millésime {after} recouvre les enquêtes {after - 2} à "
        f"{after + 2}) : une partie de la période est commune aux deux millésimes et un effet "
        "éventuel n'y apparaît qu'en partie.",
        f"Millésimes disponibles : {', '.join(map(str, vintages))}. Seule la population dispose "
        "aujourd'hui de millésimes avant et après le lancement (octobre 2020) ; la vacance des "
        "logements, les équipements, l'emploi, le chômage et la consommation d'espaces le seront "
        "quand leurs importeurs chargeront deux millésimes.",
        f"Couverture : {covered}. Les communes non couvertes par les listes de lauréats chargées "
        "ne servent ni de lauréats ni de villes comparables ; les villes Action cœur de ville "
        "sont exclues des villes comparables.",
    ]

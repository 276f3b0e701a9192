"""Eligibility of communes to a programme like *Petites villes de demain*: rules as data.

Four criteria, each pass/fail per commune, with a plain-French explanation:

- population: legal population of the chosen millésime strictly below ``population_max``
  (PVD: fewer than 20,000 inhabitants);
- centrality: the commune's level (``pvd.domain.centrality``) is among ``niveaux``; the level
  comes from ``centralite_source``: "officielle" (the published classification of the
  Observatoire des territoires, when imported), "calculee" (its reproduction from a BPE file),
  "estimation" (the proxy from the referential) or "auto" (the default: the first of these
  three that is loaded; communes it leaves without a level, such as the overseas ones the study
  does not cover, take the next loaded source). Every row says which source gave its level;
- fragility: national percentile of the fragility index (``pvd.domain.fragility``) at least
  ``fragilite_min``; a commune whose index cannot be computed is excluded or admitted
  according to ``fragilite_manquante`` — it is never given a zero;
- role in its EPCI: among the ``rang_epci_max`` most populous communes of its EPCI, or at least
  ``part_epci_min`` of its population (a commune outside any EPCI fails; not applied when
  ``rang_epci_max`` is None or the frame has no ``rang_epci`` column).

The ranking score (evaluation, ties) is: criteria met, then the centrality level among the
accepted ones, then the rank in the EPCI, then fragility. Measured on the 2024 list, this order
lifts the rules' AUC from 0.86 to 0.97 (bench/RESULTS.md): the committees chose centres first.

Where each commune's level comes from is :mod:`pvd.domain.centrality_source`. An optional
envelope (:mod:`pvd.domain.envelope`) turns the eligible communes into a selection:
``enveloppe_nationale`` towns are shared between regions, or ``enveloppe_region`` towns given to
each region; a region's envelope is shared between its departments in proportion to the
population of their eligible communes (largest remainders; as the 2020 regional envelopes were
weighted by population), and in each department the eligible communes are ranked by fragility.
"""

from __future__ import annotations

import polars as pl

from pvd.domain.centrality import LEVEL_RANK, LEVEL_SHORT, LEVELS
from pvd.domain.centrality_source import CENTRALITE_LABELS
from pvd.domain.eligibility_rules import Rules
from pvd.domain.numbers import grouped


def centrality_summary(frame: pl.DataFrame, main: str) -> str:
    """One French sentence: which source gave the levels of a result (with the count of
    communes completed from another source)."""
    counts = dict(frame.get_column("centralite_source").value_counts().iter_rows())
    text = f"Centralité : {CENTRALITE_LABELS[main]}"
    others = [(s, n) for s, n in counts.items() if s != main and n]
    if others:
        text += " ; complétée pour " + ", ".join(
            f"{fmt_int(n)} commune{'s' if n > 1 else ''} hors de son champ par : "
            f"{CENTRALITE_LABELS[s]}"
            for s, n in sorted(others)
        )
    return text + "."


def fmt_int(value: float | int) -> str:
    return grouped(int(value))


def ordinal(value: float) -> str:
    n = int(value)
    return f"{n}{'er' if n == 1 else 'e'}"


def _explain_epci(rang, part, ok: bool, rules: Rules) -> str:
    if rang is None:
        return "hors EPCI" + ("" if ok else " (critère non rempli)")
    text = ("1re" if rang == 1 else f"{int(rang)}e") + " commune de son EPCI"
    if part is not None:
        text += f" ({round(part * 100)} % de sa population)"
    if not ok:
        text += f" (seuil : parmi les {rules.rang_epci_max} premières ou {rules.part_epci_min:.0%})"
    return text.replace("%)", " %)")


def _explain(pop, niveau, source, pct, ok_pop, ok_centre, ok_frag, eligible, rules: Rules) -> str:
    parts = []
    if pop is None:
        parts.append("population inconnue")
    else:
        p = f"{fmt_int(pop)} habitant{'s' if pop >= 2 else ''}"
        if not ok_pop:
            p += f" (seuil : moins de {fmt_int(rules.population_max)})"
        parts.append(p)
    if niveau is None:
        parts.append(
            "centralité inconnue"
            + (" (absente de la classification officielle)" if source == "officielle" else "")
        )
    else:
        notes = (["estimation"] if source == "estimation" else []) + (
            [] if ok_centre else ["niveau non retenu"]
        )
        parts.append(LEVEL_SHORT[niveau] + (f" ({', '.join(notes)})" if notes else ""))
    if pct is None:
        parts.append(
            "fragilité non calculable"
            + (" (données manquantes, exclue)" if not ok_frag else " (données manquantes)")
        )
    else:
        f = f"fragilité {ordinal(max(pct, 1))} percentile"
        if not ok_frag:
            f += f" (seuil : {ordinal(max(rules.fragilite_min, 1))})"
        parts.append(f)
    return ("éligible : " if eligible else "non éligible : ") + ", ".join(parts)


def evaluate(frame: pl.DataFrame, rules: Rules, *, explain: bool = True) -> pl.DataFrame:
    """``frame``: code, dep, reg, population, niveau, centralite_source,
    fragilite_percentile. Adds crit_population, crit_centralite, crit_fragilite (booleans;
    a missing input fails the criterion, except fragility with "admettre"), eligible,
    crit_epci (the EPCI role; true when not applied), criteres_ok (0-4), score (ranking key, higher first) and explication."""
    pop_ok = pl.col("population").is_not_null() & (pl.col("population") < rules.population_max)
    centre_ok = pl.col("niveau").is_not_null() & pl.col("niveau").is_in(list(rules.niveaux))
    pct = pl.col("fragilite_percentile")
    frag_ok = (
        pl.when(pct.is_null())
        .then(pl.lit(rules.fragilite_manquante == "admettre"))
        .otherwise(pct >= rules.fragilite_min)
    )
    epci = rules.rang_epci_max is not None and "rang_epci" in frame.columns
    rang = pl.col("rang_epci").cast(pl.Float64) if epci else pl.lit(None, pl.Float64)
    epci_ok = (
        (
            rang.is_not_null()
            & ((rang <= rules.rang_epci_max) | (pl.col("part_epci") >= rules.part_epci_min))
        )
        if epci
        else pl.lit(True)
    )
    out = frame.with_columns(
        pop_ok.alias("crit_population"),
        centre_ok.alias("crit_centralite"),
        frag_ok.alias("crit_fragilite"),
        epci_ok.fill_null(False).alias("crit_epci"),
    ).with_columns(
        (
            pl.col("crit_population")
            & pl.col("crit_centralite")
            & pl.col("crit_fragilite")
            & pl.col("crit_epci")
        ).alias("eligible"),
        pl.sum_horizontal(
            [
                pl.col(c).cast(pl.Int8)
                for c in ("crit_population", "crit_centralite", "crit_fragilite")
            ]
            + ([pl.col("crit_epci").cast(pl.Int8)] if epci else [])
        ).alias("criteres_ok"),
    )
    # Score: criteria met first, then the accepted centrality level, then the rank in the EPCI
    # (first 20 only), then fragility (missing fragility ranks last in its group).
    level = pl.col("niveau").replace_strict(
        {n: LEVEL_RANK[n] for n in rules.niveaux}, default=0, return_dtype=pl.Float64
    )
    out = out.with_columns(
        (
            pl.col("criteres_ok").cast(pl.Float64) * 1000.0
            + level.fill_null(0.0) * 100.0
            + (21.0 - rang.fill_null(21.0)).clip(0.0, 20.0) * 3.0
            + pct.fill_null(-1.0) / 2.0
        ).alias("score")
    )
    if not explain:  # the column stays in place, filled by ``explained`` on the rows kept
        return out.with_columns(pl.lit(None, pl.String).alias("explication"))
    return explained(out, rules)


def explained(out: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """The ``explication`` of each row of an evaluated frame (each row's own columns only: a
    run restricted to a department explains its rows alone)."""
    epci = rules.rang_epci_max is not None and "rang_epci" in out.columns
    cols = [
        "population",
        "niveau",
        "centralite_source",
        "fragilite_percentile",
        "crit_population",
        "crit_centralite",
        "crit_fragilite",
        "eligible",
    ]
    if epci:
        cols += ["rang_epci", "part_epci", "crit_epci"]
    explanations = []
    for row in out.select(cols).iter_rows():
        text = _explain(*row[:7], row[7], rules)
        if epci:
            text += ", " + _explain_epci(row[8], row[9], row[10], rules)
        explanations.append(text)
    return out.with_columns(pl.Series("explication", explanations, dtype=pl.String))


def compare(a: pl.DataFrame, b: pl.DataFrame, *, on: str = "eligible") -> dict[str, list[str]]:
    """Codes that enter (in b, not in a) and leave (in a, not in b) on a boolean column
    (``eligible`` or ``retenue``)."""
    ja = a.select("code", pl.col(on).fill_null(False).alias("a"))
    jb = b.select("code", pl.col(on).fill_null(False).alias("b"))
    j = ja.join(jb, on="code", how="full", coalesce=True).fill_null(False)
    return {
        "entrent": sorted(j.filter(~pl.col("a") & pl.col("b")).get_column("code").to_list()),
        "sortent": sorted(j.filter(pl.col("a") & ~pl.col("b")).get_column("code").to_list()),
    }


__all__ = [
    "LEVELS",
    "Rules",
    "centrality_summary",
    "compare",
    "evaluate",
    "explained",
]

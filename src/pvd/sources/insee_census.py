"""INSEE census files at commune level (*base communale*, CODGEO key, semicolon-separated,
column names carrying the year). Contract of each kind below; all are read by
:func:`pvd.sources.insee_codgeo.read_observations` (header check, secret markers kept missing,
errors naming file, line and column). Licence Ouverte 2.0.

- ``historique``: *Séries historiques du recensement* ``base-cc-serie-historique-2022.CSV``
  (https://www.insee.fr/fr/statistiques/8582555): ``CODGEO;P22_POP;P16_POP;P11_POP;D99_POP;
  D90_POP;D82_POP;D75_POP;D68_POP;SUPERF;NAIS1621;NAIS1115;...;DECE1621;...;P22_LOG;...;
  P22_RP;...;P22_RSECOCC;...;P22_LOGVAC;...``. Needs CODGEO and population columns
  (``P22_POP``/``D68_POP``); area, births, deaths and dwellings are read when present.
- ``logement``: *Logement en 2021* ``base-cc-logement-2021.CSV``: needs ``P21_LOG`` and
  ``P21_LOGVAC`` (``P21_RP``, ``P21_RSECOCC`` read when present).
- ``ages``: *Évolution et structure de la population en 2021* ``base-cc-evol-struct-pop-2021``:
  needs ``P21_POP`` and ``P21_POP75P``.
- ``emploi``: *Emploi – population active en 2021* ``base-cc-emploi-pop-active-2021``: needs
  ``P21_ACT1564`` and ``P21_CHOM1564``. Read when present (files without them import as
  before): jobs at the place of work ``P21_EMPLT`` and employed residents aged 15 or over
  ``P21_ACTOCC15P`` (together: the *indicateur de concentration d'emploi*), and the main
  commuting mode of employed residents from the complementary exploitation, ``C21_ACTOCC15P``
  (total) with ``C21_ACTOCC15P_PAS`` (no transport), ``_MAR`` (on foot), ``_VELO``,
  ``_2ROUESMOT``, ``_VOIT`` (car or lorry) and ``_TCOM`` (public transport). These names are
  those of INSEE's 2020 and 2021 dictionaries (the IRIS *activité des résidents* base lists the
  same ``C20_ACTOCC15P_*`` variables; ``P21_EMPLT`` is read from this commune file by public
  reuses).

Any other year is understood (``P19_LOG``...): the millésime comes from the column name.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pvd.sources.insee_codgeo import Family, ObservationFile, read_observations

YY = r"([0-9][0-9])"

KINDS: dict[str, dict] = {
    "historique": dict(
        families=(
            Family("pop_rp", rf"[PD]{YY}_POP", example="P22_POP"),
            Family("superficie", r"SUPERF", year_group=None, example="SUPERF"),
            # NAISaabb / DECEaabb: births / deaths from the census of year aa to the next one
            # (bb = last calendar year counted: NAIS1520 = 2015-2020, between P15 and P21 of
            # the 2021 series; NAIS9099 = between D90 and D99). Stored under aa, the census
            # that opens the period; the natural balance finds the census that closes it.
            Family("naissances", rf"NAIS{YY}{YY}", year_group=1, example="NAIS1621"),
            Family("deces", rf"DECE{YY}{YY}", year_group=1, example="DECE1621"),
            Family("logements", rf"[PD]{YY}_LOG", example="P22_LOG"),
            Family("residences_principales", rf"[PD]{YY}_RP", example="P22_RP"),
            Family("residences_secondaires", rf"[PD]{YY}_RSECOCC", example="P22_RSECOCC"),
            Family("logements_vacants", rf"[PD]{YY}_LOGVAC", example="P22_LOGVAC"),
        ),
        required=(("pop_rp",),),
        layout="séries historiques du recensement, CODGEO;P22_POP;P16_POP;…;SUPERF;NAIS1621;…",
        members=("base-cc-serie-historique-2022.CSV",),
    ),
    "logement": dict(
        families=(
            Family("logements", rf"P{YY}_LOG", example="P21_LOG"),
            Family("logements_vacants", rf"P{YY}_LOGVAC", example="P21_LOGVAC"),
            Family("residences_principales", rf"P{YY}_RP", example="P21_RP"),
            Family("residences_secondaires", rf"P{YY}_RSECOCC", example="P21_RSECOCC"),
        ),
        required=(("logements", "logements_vacants"),),
        layout="base communale logement, CODGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;…",
        members=("base-cc-logement-2021.CSV",),
    ),
    "ages": dict(
        families=(
            Family("pop_rp", rf"P{YY}_POP", example="P21_POP"),
            Family("pop_75_plus", rf"P{YY}_POP75P", example="P21_POP75P"),
        ),
        required=(("pop_rp", "pop_75_plus"),),
        layout="base communale évolution et structure de la population, "
        "CODGEO;P21_POP;…;P21_POP75P;…",
        members=("base-cc-evol-struct-pop-2021.CSV",),
    ),
    "emploi": dict(
        families=(
            Family("actifs_15_64", rf"P{YY}_ACT1564", example="P21_ACT1564"),
            Family("chomeurs_15_64", rf"P{YY}_CHOM1564", example="P21_CHOM1564"),
            # Optional: jobs at the place of work and commuting modes (not in ``required``).
            Family("emplois_lieu_travail", rf"P{YY}_EMPLT", example="P21_EMPLT"),
            Family("actifs_occupes_15p", rf"P{YY}_ACTOCC15P", example="P21_ACTOCC15P"),
            Family("navetteurs_15p", rf"C{YY}_ACTOCC15P", example="C21_ACTOCC15P"),
            *(
                Family(
                    f"navetteurs_{mode.lower()}",
                    rf"C{YY}_ACTOCC15P_{mode}",
                    example=f"C21_ACTOCC15P_{mode}",
                )
                for mode in ("PAS", "MAR", "VELO", "2ROUESMOT", "VOIT", "TCOM")
            ),
        ),
        required=(("actifs_15_64", "chomeurs_15_64"),),
        layout="base communale emploi et population active, CODGEO;…;P21_ACT1564;…;P21_CHOM1564;…",
        members=("base-cc-emploi-pop-active-2021.CSV",),
    ),
}

# Variables whose values add up when communes merge (all census counts here).
ADDITIVE = frozenset(f.variable for spec in KINDS.values() for f in spec["families"])


# The census populations of the historical series, also stored under their own name: the
# natural balance's periods run from one census of *this* series to the next (P16 -> P22,
# D90 -> D99), and a population of another file (``ages`` gives P21_POP) must neither close a
# period nor replace its values.
SERIES_POPULATION = "pop_rp_serie"


def series_population(observations: pl.DataFrame) -> pl.DataFrame:
    """The ``historique`` observations plus their census populations under
    :data:`SERIES_POPULATION` (derived when the build reads the stored table, so that a file
    imported before this variable existed gets it too)."""
    own = observations.filter(
        (pl.col("variable") == "pop_rp") & (pl.col("millesime") != 0)
    ).with_columns(pl.lit(SERIES_POPULATION).alias("variable"))
    rest = observations.filter(pl.col("variable") != SERIES_POPULATION)
    return pl.concat([rest, own.select(rest.columns)])


def read_census(path: Path, *, kind: str) -> ObservationFile:
    """Parse a census file of ``kind`` (a key of KINDS) into observations."""
    spec = KINDS[kind]
    return read_observations(
        path,
        kind=kind,
        families=spec["families"],
        required=spec["required"],
        layout=spec["layout"],
        prefer_members=spec["members"],
    )

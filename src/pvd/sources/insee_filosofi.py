"""INSEE Filosofi at commune level: median disposable income per consumption unit and poverty
rate.

Contract
- File: ``base-cc-filosofi-2021-geo2025.csv`` in ``base-cc-filosofi-2021-geo2025_csv.zip``
  (https://www.insee.fr/fr/statistiques/7756729), semicolon-separated, CODGEO key, columns
  suffixed by the year: ``CODGEO;NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;TP6021;...``.
  Also accepted: any CODGEO file with ``MED<AA>`` (``TP60<AA>`` read when present), such as the
  reduced ``CODGEO;MED21`` extract of the shared data.
- Small communes are under statistical secrecy: empty cells or ``s``/``nd`` markers, kept as
  missing (never zero); absent communes are simply missing.
- Values do not add up: merged communes get no value (see the import service).
- Licence Ouverte 2.0.
"""

from __future__ import annotations

from pathlib import Path

from pvd.sources.insee_codgeo import Family, ObservationFile, read_observations

FAMILIES = (
    Family("revenu_median", r"MED(\d\d)", example="MED21"),
    Family("taux_pauvrete", r"TP60(\d\d)", example="TP6021"),
)
ADDITIVE: frozenset[str] = frozenset()


def read_filosofi(path: Path) -> ObservationFile:
    return read_observations(
        path,
        kind="filosofi",
        families=FAMILIES,
        required=(("revenu_median",),),
        layout="Filosofi base communale, CODGEO;NBMENFISC21;…;MED21;…;TP6021;…",
        prefer_members=("base-cc-filosofi-2021-geo2025.csv", "cc_filosofi_2021_COM.csv"),
    )

"""INSEE Filosofi at commune level: median disposable income per consumption unit and poverty
rate.

Contract: two layouts, told apart by their header.
- Long ("Melodi", INSEE's dissemination format since 2024): ``base-cc-filosofi-2021-geo2025_csv.zip``
  (https://www.insee.fr/fr/statistiques/7756729) holds a ``..._data.csv`` (and a
  ``..._metadata.csv``), semicolon-separated, one row per territory, measure and year:
  ``GEO;GEO_OBJECT;FILOSOFI_MEASURE;UNIT_MEASURE;UNIT_MULT;CONF_STATUS;OBS_STATUS;TIME_PERIOD;
  OBS_VALUE``. Read: the ``GEO_OBJECT = COM`` rows of the measures ``MED_SL`` (median disposable
  income per consumption unit) and ``PR_MD60`` (poverty rate at 60 % of the median). INSEE's
  own figures of larger territories are read too, since medians do not add up: ``EPCI``
  (SIREN), ``DEP``, ``REG`` and ``FRANCE`` (``GEO = FM``, metropolitan France, INSEE's national
  reference; shown for France and said so). Arrondissements (``ARM``), other measures, other
  ``GEO`` of ``FRANCE`` and malformed territory codes are counted and left out; a
  ``GEO_OBJECT`` value not listed here is counted and named in the report, never guessed.
  Layout and the ``COM``/``EPCI``/``DEP``/``ARM``/``FRANCE``+``FM`` codes confirmed from public
  reuses of the file (no offline access to insee.fr); ``REG`` is assumed by analogy with the
  other Melodi datasets.
- Wide (files up to the 2021 vintage in the older layout, e.g. ``cc_filosofi_2021_COM.csv``):
  CODGEO key, columns suffixed by the year: ``CODGEO;NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;
  TP6021;...``. Also any CODGEO file with ``MED<AA>`` (``TP60<AA>`` read when present), such as
  the reduced ``CODGEO;MED21`` extract of the shared data.
- Small communes are under statistical secrecy: empty cells or ``s``/``nd`` markers, kept as
  missing (never zero); absent communes are simply missing.
- Values do not add up: merged communes get no value (see the import service).
- Licence Ouverte 2.0.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pvd.domain import codes
from pvd.domain.indicators.frames import INSEE, INSEE_METROPOLE, PUBLISHED_SCHEMA
from pvd.sources.contracts import FILOSOFI_LONG
from pvd.sources.insee_codgeo import (
    OBS_SCHEMA,
    Family,
    ObservationFile,
    parse_numbers,
    read_frame,
    read_observations,
    read_text,
)
from pvd.sources.tabular import DUPLICATE_KEY, ErrorCollector

FAMILIES = (
    Family("revenu_median", r"MED([0-9][0-9])", example="MED21"),
    Family("taux_pauvrete", r"TP60([0-9][0-9])", example="TP6021"),
)
ADDITIVE: frozenset[str] = frozenset()


PREFERRED = (
    "DS_FILOSOFI_CC_2021_data.csv",
    "base-cc-filosofi-2021-geo2025.csv",
    "cc_filosofi_2021_COM.csv",
)
LONG_COLUMNS = tuple(c.name for c in FILOSOFI_LONG.columns)
LONG_LAYOUT = FILOSOFI_LONG.layout
MEASURES = {"MED_SL": "revenu_median", "PR_MD60": "taux_pauvrete"}
# GEO_OBJECT of the territories whose own figures are read -> (engine level, code pattern)
AGGREGATES = {
    "EPCI": ("EPCI", codes.EPCI_CODE_PATTERN),
    "DEP": ("DEP", codes.DEPARTEMENT_OR_97_CODE_PATTERN),
    "REG": ("REG", codes.REGION_CODE_PATTERN),
    "FRANCE": ("FR", r"^FM$"),
}
# GEO_OBJECT values known and deliberately not read.
NOT_READ = {"ARM"}


def read_filosofi(path: Path) -> ObservationFile:
    text, encoding, display, sha = read_text(path, prefer_members=PREFERRED)
    header = text.split("\n", 1)[0].upper()
    if "FILOSOFI_MEASURE" in header:
        return _read_long(text, encoding, display, sha)
    return read_observations(
        path,
        kind="filosofi",
        families=FAMILIES,
        required=(("revenu_median",),),
        layout="Filosofi base communale, CODGEO;NBMENFISC21;…;MED21;…;TP6021;…",
        prefer_members=PREFERRED,
    )


def _read_long(text: str, encoding: str, display: str, sha: str) -> ObservationFile:
    frame, separator = read_frame(text, display)
    found = FILOSOFI_LONG.resolve(frame.columns, path=display, separator=separator)
    frame = frame.with_row_index("_i").with_columns(
        pl.col(c).str.strip_chars() for c in LONG_COLUMNS
    )
    rows = frame.height
    mine = frame.filter(
        (pl.col("GEO_OBJECT") == "COM") & pl.col("FILOSOFI_MEASURE").is_in(list(MEASURES))
    )
    errors = ErrorCollector(display)
    FILOSOFI_LONG.check(mine, found, errors, only=("GEO", "TIME_PERIOD"))
    key = ["GEO", "FILOSOFI_MEASURE", "TIME_PERIOD"]
    dup = mine.filter(pl.struct(key).is_duplicated())
    seen: set[tuple] = set()
    for i, *k in dup.select("_i", *key).rows():
        if tuple(k) in seen:
            errors.add(
                DUPLICATE_KEY,
                f"observation en double « {' ; '.join(k)} »",
                line=i + 2,
                column="GEO",
            )
        seen.add(tuple(k))
    mine, n_missing = parse_numbers(mine, ["OBS_VALUE"], display, errors)
    published, skipped = _aggregates(frame, display, errors)
    errors.raise_if_any()
    obs = mine.drop_nulls("OBS_VALUE").select(
        pl.col("GEO").alias("code"),
        pl.col("FILOSOFI_MEASURE").replace_strict(MEASURES).alias("variable"),
        pl.col("TIME_PERIOD").cast(pl.Int32).alias("millesime"),
        pl.col("OBS_VALUE").alias("value"),
    )
    return ObservationFile(
        path=display,
        kind="filosofi",
        sha256=sha,
        encoding=encoding,
        separator=separator,
        rows=rows,
        observations=obs.cast(OBS_SCHEMA),
        columns={
            v: [f"FILOSOFI_MEASURE={m}"]
            for m, v in MEASURES.items()
            if m in set(mine["FILOSOFI_MEASURE"])
        },
        missing_values=n_missing,
        ignored_rows=rows - mine.height - published.height - sum(skipped.values()),
        published=published.drop_nulls("value"),
        skipped=skipped,
    )


def _aggregates(
    frame: pl.DataFrame, display: str, errors: ErrorCollector
) -> tuple[pl.DataFrame, dict[str, int]]:
    """INSEE's own rows of EPCI, departments, regions and France for the measures read, and
    the counts of the other rows worth a line in the report."""
    skipped: dict[str, int] = {}
    objects = frame.get_column("GEO_OBJECT")
    unknown = (
        frame.filter(~objects.is_in(["COM", *AGGREGATES, *NOT_READ]))
        .group_by("GEO_OBJECT")
        .len()
        .sort("GEO_OBJECT")
    )
    for obj, n in unknown.rows():
        skipped[f"lignes de GEO_OBJECT « {obj} » inconnu, non lues"] = n
    parts = []
    measures = pl.col("FILOSOFI_MEASURE").is_in(list(MEASURES))
    for obj, (level, pattern) in AGGREGATES.items():
        rows = frame.filter((pl.col("GEO_OBJECT") == obj) & measures)
        bad = rows.filter(~pl.col("GEO").str.contains(pattern))
        if bad.height:
            skipped[f"lignes {obj} de code non reconnu ({bad.item(0, 'GEO')}…), non lues"] = (
                bad.height
            )
        rows = rows.filter(pl.col("GEO").str.contains(pattern))
        if rows.is_empty():
            continue
        rows, _ = parse_numbers(rows, ["OBS_VALUE"], display, errors)
        parts.append(
            rows.filter(pl.col("TIME_PERIOD").str.contains(r"^[0-9]{4}$")).select(
                pl.lit(level).alias("level"),
                pl.lit("FR").alias("code") if level == "FR" else pl.col("GEO").alias("code"),
                pl.col("FILOSOFI_MEASURE").replace_strict(MEASURES).alias("variable"),
                pl.col("TIME_PERIOD").cast(pl.Int32).alias("millesime"),
                pl.col("OBS_VALUE").alias("value"),
                pl.lit(INSEE_METROPOLE if level == "FR" else INSEE).alias("status"),
            )
        )
    published = pl.concat(parts) if parts else pl.DataFrame(schema=PUBLISHED_SCHEMA)
    return published.cast(PUBLISHED_SCHEMA), skipped

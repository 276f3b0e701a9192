"""Cerema: consumption of natural, agricultural and forest land (*consommation d'espaces NAF*)
per commune, from the *fichiers fonciers* (Observatoire de l'artificialisation).

Contract
- File: the commune file of a vintage of the *Portail de l'artificialisation*, published on
  data.gouv.fr, e.g. ``obs-artif-conso-com-2009-2023.zip`` (dataset « Consommation d'espaces
  naturels, agricoles et forestiers du 1er janvier 2009 au 1er janvier 2023 »,
  https://www.data.gouv.fr/fr/datasets/consommation-despaces-naturels-agricoles-et-forestiers-du-1er-janvier-2009-au-1er-janvier-2023/),
  also circulated as ``conso2009_2023_resultats_com.csv``. Licence Ouverte 2.0.
- Layout (as read by public reuses of the 2009-2023 vintage): lower-case header,
  ``idcom;idcomtxt;idreg;idregtxt;iddep;iddeptxt;epci23;epci23txt;scot;aav2020;aav2020txt;
  aav2020_typo;naf09art10;art09act10;art09hab10;art09mix10;art09rou10;art09fer10;art09inc10;
  naf10art11;…;naf22art23;…;naf09art23;art09act23;…;artcom0923;pop14;pop20;…;surfcom2023``.
  The separator differs between copies (comma on data.gouv.fr, semicolon in other extracts):
  it is detected on the header. Later vintages shift the window (2011-2025: ``naf11art12`` …
  ``naf24art25``, total ``naf11art25``, ``surfcom2025``); any window is understood.
- Read: ``idcom`` (commune code, COG of the vintage: re-based by the import service), every
  **annual** flow ``nafNNartMM`` with MM = NN + 1 (m² consumed from 1 January 20NN to 1 January
  20MM, stored under millésime 20NN), the housing part ``artNNhabMM`` when present, and the
  commune area ``surfcomAAAA`` (m²). Multi-year totals (``naf09art23``, older ``nafart0920``)
  are not stored but checked: the annual flows of a row must add up to the total covering the
  same years (1 m² + 0.1 % tolerance), which catches shifted or recomposed columns.
- Checks, on the whole file before anything is returned: the columns above are there (all
  missing ones named), ``idcom`` is a commune code and appears once, values are numbers (an
  empty cell stays missing, never zero; a zero is a real "nothing consumed"), no flow is
  negative (consumption is a gross flow), areas are in m² (a median below 10 ha means another
  unit: refused).
- Flows and areas add up when communes merge (additive).
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pvd.sources.contracts import check_codes
from pvd.sources.insee_codgeo import (
    OBS_SCHEMA,
    Family,
    ObservationFile,
    full_year,
    header_as_written,
    parse_numbers,
    read_frame,
    read_text,
)
from pvd.sources.tabular import (
    INCONSISTENT,
    INVALID_VALUE,
    ErrorCollector,
    RowError,
    SourceRowErrors,
    missing_columns,
)

KEY = "IDCOM"
LAYOUT = (
    "fichier communal Cerema de consommation d'espaces NAF, idcom;…;naf09art10;art09act10;"
    "art09hab10;…;naf22art23;…;naf09art23;…;surfcom2023"
)
MEMBERS = ("obs_artif_conso_com_2009_2023.csv", "conso2009_2023_resultats_com.csv")
# A commune of mainland France measures 10.7 km² at the median; the smallest ones a few ha.
MIN_MEDIAN_AREA_M2 = 100_000.0
TOTAL_TOLERANCE_M2 = 1.0
TOTAL_TOLERANCE_SHARE = 0.001


class AnnualFlow(Family):
    """``<prefix>NN<infix>MM`` columns where MM = NN + 1 (one year); the millésime is 20NN.
    Multi-year columns with the same spelling (``naf09art23``) are not annual flows."""

    def year_of(self, column: str) -> int | None:
        m = re.fullmatch(self.pattern, column, flags=re.IGNORECASE)
        if m is None or int(m.group(2)) != (int(m.group(1)) + 1) % 100:
            return None
        return full_year(m.group(1))


FLOWS = AnnualFlow("naf_conso", r"NAF([0-9][0-9])ART([0-9][0-9])", example="naf09art10")
HOUSING = AnnualFlow("naf_conso_habitat", r"ART([0-9][0-9])HAB([0-9][0-9])", example="art09hab10")
AREA = Family(
    "surface_commune", r"SURFCOM([0-9][0-9]|[0-9]{4})", year_group=None, example="surfcom2023"
)
# Totals over several years: naf09art23 (2009-2023 vintage), nafart0920 (older vintages).
TOTALS = (r"NAF([0-9][0-9])ART([0-9][0-9])", r"NAFART([0-9][0-9])([0-9][0-9])")
ADDITIVE = frozenset({FLOWS.variable, HOUSING.variable, AREA.variable})


def _total_columns(header: list[str]) -> dict[str, tuple[int, int]]:
    """Multi-year total columns -> (first year, end year), e.g. NAF09ART23 -> (2009, 2023)."""
    out = {}
    for column in header:
        for pattern in TOTALS:
            m = re.fullmatch(pattern, column, flags=re.IGNORECASE)
            if m and (int(m.group(2)) - int(m.group(1))) % 100 > 1:
                out[column] = (full_year(m.group(1)), full_year(m.group(2)))
    return out


def read_naf(path: Path) -> ObservationFile:
    """Parse a Cerema NAF consumption commune file into observations (whole file checked)."""
    text, encoding, display, sha = read_text(path, prefer_members=MEMBERS)
    frame, separator = read_frame(text, display, separators=(";", ",", "\t"))
    frame = header_as_written(frame, text, separator)
    header = frame.columns
    key = next((c for c in header if c.upper() == KEY), KEY.lower())
    flows = {c: y for c in header if (y := FLOWS.year_of(c)) is not None}
    housing = {c: y for c in header if (y := HOUSING.year_of(c)) is not None}
    areas = [c for c in header if AREA.year_of(c) is not None]
    missing = [name for name, ok in (("idcom", key in header), ("naf09art10", flows)) if not ok]
    if not areas:
        missing.append("surfcom2023")
    if missing:
        raise missing_columns(display, missing, layout=LAYOUT, header=header, separator=separator)
    if len(areas) > 1:
        raise SourceRowErrors(
            display,
            [
                RowError(
                    INCONSISTENT,
                    f"plusieurs colonnes de surface communale ({', '.join(areas)}) : une seule "
                    "attendue (surfcomAAAA)",
                    line=1,
                    column=areas[1],
                )
            ],
        )
    area = areas[0]
    totals = {
        c: span
        for c, span in _total_columns(header).items()
        if span == (min(flows.values()), max(flows.values()) + 1)
    }
    frame = frame.with_columns(pl.col(key).str.strip_chars())
    check_codes(frame, key, display)
    errors = ErrorCollector(display)
    numeric = [*flows, *housing, area, *totals]
    # Text in a number cell becomes null here and is reported with the checks below.
    frame, n_missing = parse_numbers(frame, numeric, display, errors)

    rows = frame.with_row_index("_i")
    for column in [*flows, *housing]:
        for i, value in rows.filter(pl.col(column) < 0).select("_i", column).iter_rows():
            errors.add(
                INVALID_VALUE,
                f"surface consommée négative ({value:g} m²) : la consommation d'espaces est un "
                "flux brut, jamais négatif",
                line=i + 2,
                column=column,
            )
    summed = pl.sum_horizontal([pl.col(c) for c in flows])
    complete = pl.all_horizontal([pl.col(c).is_not_null() for c in flows])
    for total in totals:
        gap = (summed - pl.col(total)).abs()
        allowed = TOTAL_TOLERANCE_M2 + TOTAL_TOLERANCE_SHARE * pl.col(total).abs()
        bad = rows.filter(complete & pl.col(total).is_not_null() & (gap > allowed))
        for i, value, expected in bad.select("_i", total, summed.alias("_s")).iter_rows():
            errors.add(
                INCONSISTENT,
                f"le total {value:g} m² ne vaut pas la somme des flux annuels "
                f"{', '.join(flows)} ({expected:g} m²) : colonnes décalées ou recomposées ?",
                line=i + 2,
                column=total,
            )
    median_area = frame.get_column(area).median()
    if median_area is not None and median_area < MIN_MEDIAN_AREA_M2:
        errors.add(
            INVALID_VALUE,
            f"surface communale médiane de {median_area:g} : les surfaces doivent être en m² "
            f"(médiane attendue au-delà de {MIN_MEDIAN_AREA_M2:g} m²)",
            line=1,
            column=area,
        )
    errors.raise_if_any()

    parts = [
        frame.select(
            pl.col(key).alias("code"),
            pl.lit(variable).alias("variable"),
            pl.lit(year, pl.Int32).alias("millesime"),
            pl.col(column).alias("value"),
        )
        for variable, columns in ((FLOWS.variable, flows), (HOUSING.variable, housing))
        for column, year in columns.items()
    ]
    parts.append(
        frame.select(
            pl.col(key).alias("code"),
            pl.lit(AREA.variable).alias("variable"),
            pl.lit(0, pl.Int32).alias("millesime"),
            pl.col(area).alias("value"),
        )
    )
    obs = pl.concat(parts).drop_nulls("value").cast(OBS_SCHEMA)
    columns = {FLOWS.variable: list(flows), AREA.variable: [area]}
    if housing:
        columns[HOUSING.variable] = list(housing)
    return ObservationFile(
        path=display,
        kind="naf",
        sha256=sha,
        encoding=encoding,
        separator=separator,
        rows=frame.height,
        observations=obs,
        columns=columns,
        missing_values=n_missing,
    )

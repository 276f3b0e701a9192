"""Lists of a programme's beneficiary communes (Petites villes de demain first), parsed into
typed rows. Pure Python, no Django.

Contract
- File: "Programme Petites villes de demain — liste des communes bénéficiaires", ANCT, on
  data.gouv.fr (https://www.data.gouv.fr/fr/datasets/programme-petites-villes-de-demain/),
  Licence Ouverte 2.0. One row per laureate commune.
- Layouts, told apart by the header (only ``insee_com`` is required; every other column is read
  when present, whatever the order):
    data.gouv.fr: insee_com,lib_com,insee_dep,lib_dep,insee_reg,lib_reg,siren_epci,lib_epci,
                  date_signature                                        (id_pvd optional)
    ANCT cartography (2024): insee_com,lib_com,id_pvd,date_signature
    early (January 2021): id_pvd,insee_com,lib_com,lib_reg,insee_dep,lib_dep,pop,
                  date_signature,siren_epci,lib_epci
  ``id_pvd`` = ``pvd-<region>-<department(s)>-<rank>`` identifies a PVD group (a commune alone
  or several carried with their EPCI; a group across two departments concatenates their codes,
  ``pvd-44-5455-1``). ``date_signature`` is the convention d'adhésion. Action Cœur de Ville
  lists (``insee_com,lib_com,date_signature``) read the same way.
- Tolerated: a UTF-8 BOM, UTF-8 or Latin-1 (Windows-1252), comma or semicolon separators,
  missing-value markers (empty, ``NA``, ``N/A``, ``-``), commune codes that lost their leading
  zero in a spreadsheet (``1004`` → ``01004``, reported), dates as ``YYYY-MM-DD``,
  ``DD/MM/YYYY`` or ``DD-MM-YYYY``.
- Not fatal, reported as row issues with stable codes: an invalid commune code (the 2021 list
  has a placeholder ``999999``), an unreadable date (``01/2021``). Fatal (:class:`SourceError`,
  nothing imported): no file, empty file, no ``insee_com`` column, rows with a wrong number of
  fields, or no usable row at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pvd.domain.codes import COMMUNE_CODE, DEPARTEMENT_CODE, EPCI_CODE
from pvd.sources import columns
from pvd.sources.contracts import PVD_LIST
from pvd.sources.report import SourceError
from pvd.sources.tabular import INVALID_CODE, INVALID_VALUE, read_table

DATE_YEARS = "{} à {}".format(*columns.year_range())
MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "nc", "nd"}
ID_PVD = re.compile(r"^pvd-([0-9]{2})-([0-9AB]{2,6})-([0-9]+)$", re.IGNORECASE)
FIXED_ZERO = "fixed-leading-zero"

TITLE = "Liste des communes bénéficiaires du programme Petites villes de demain"
PUBLISHER = "Agence nationale de la cohésion des territoires (ANCT)"
LICENCE = "Licence Ouverte 2.0 (Etalab)"
URL = "https://www.data.gouv.fr/fr/datasets/programme-petites-villes-de-demain/"


def missing(value: str | None) -> bool:
    return value is None or value.strip().lower() in MISSING


def parse_date(raw: str | None) -> tuple[date | None, bool]:
    """(date, ok): ``ok`` is False when a value is present but unreadable."""
    if missing(raw):
        return None, True
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            value = datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
        # The column rules: a year from 1900 to next year (0001 or 9999 is a typing error).
        return (None, False) if columns.check_date(value) else (value, True)
    return None, False


def name_issue(value: str | None, line: int, code: str, column: str) -> tuple[str, Issue | None]:
    """(name to keep, issue): a name with control characters or too long is not kept."""
    name = columns.parse_name(value or "")
    if isinstance(name, columns.ColumnError):
        return "", Issue(INVALID_VALUE, f"{name.message} ({column}), ignoré", line, code)
    return name, None


@dataclass(frozen=True)
class Issue:
    """A row the importer reports: ``code`` is stable (tests and callers match on it)."""

    code: str
    message: str
    line: int | None = None
    commune: str = ""


@dataclass(frozen=True)
class ListRow:
    line: int
    code: str
    nom: str = ""
    id_pvd: str | None = None
    departement: str | None = None
    region: str | None = None
    siren_epci: str | None = None
    lib_epci: str = ""
    date_signature: date | None = None
    date_selection: date | None = None


@dataclass
class ProgrammeList:
    path: str
    encoding: str
    separator: str
    layout: str
    columns: list[str]
    sha256: str
    rows: list[ListRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _layout(columns: set[str]) -> str:
    if "POP" in columns and "ID_PVD" in columns:
        return "liste de janvier 2021 (avec id_pvd)"
    if "INSEE_REG" in columns or "SIREN_EPCI" in columns:
        return "data.gouv.fr"
    if "ID_PVD" in columns:
        return "cartographie ANCT (insee_com, lib_com, id_pvd, date_signature)"
    return "liste de communes (insee_com, lib_com, date_signature)"


def normalise_code(raw: str) -> tuple[str, bool]:
    """(code, fixed): a 4-digit code lost its leading zero in a spreadsheet."""
    code = raw.strip().upper()
    if re.fullmatch(r"[0-9]{4}", code):
        return "0" + code, True
    return code, False


def commune_code(
    raw_code: str | None, line: int, issues: list[Issue], *, hint: str = ""
) -> tuple[str, bool] | None:
    """(code, fixed) of a list's row (:func:`normalise_code`); None, with its issue added, when
    the code is absent or is not a commune code (``hint`` ends the message)."""
    if missing(raw_code):
        issues.append(Issue(INVALID_CODE, "code commune absent", line))
        return None
    code, fixed = normalise_code(raw_code)
    if not COMMUNE_CODE.fullmatch(code):
        issues.append(
            Issue(INVALID_CODE, f"code commune invalide « {raw_code} »{hint}", line, raw_code)
        )
        return None
    return code, fixed


def read_programme_list(path: Path) -> ProgrammeList:
    table = read_table(Path(path), separators=(",", ";"))
    PVD_LIST.resolve(table.header, path=table.path, separator=table.separator)
    cols = table.columns
    result = ProgrammeList(
        path=table.path,
        encoding=table.encoding_label,
        separator=table.separator,
        layout=_layout(cols),
        columns=table.header,
        sha256=table.sha256,
    )

    def get(row: dict[str, str], name: str) -> str | None:
        value = row.get(name)
        return None if missing(value) else value.strip()

    for line, row in table.rows:
        raw_code = row.get("INSEE_COM", "")
        read = commune_code(raw_code, line, result.issues, hint=" (5 caractères attendus)")
        if read is None:
            continue
        code, fixed = read
        if fixed:
            result.issues.append(
                Issue(
                    FIXED_ZERO,
                    f"code « {raw_code} » lu comme {code} (zéro initial perdu)",
                    line,
                    code,
                )
            )
        dates = {}
        for column, key in (
            ("DATE_SIGNATURE", "date_signature"),
            ("DATE_SELECTION", "date_selection"),
        ):
            value, ok = parse_date(row.get(column))
            if not ok:
                result.issues.append(
                    Issue(
                        INVALID_VALUE,
                        f"date illisible ou hors des années {DATE_YEARS} « {row[column]} » "
                        f"({column.lower()}), ignorée",
                        line,
                        code,
                    )
                )
            dates[key] = value
        departement = get(row, "INSEE_DEP")
        if departement and re.fullmatch(r"[0-9]", departement):
            departement = departement.zfill(2)
        if departement and not DEPARTEMENT_CODE.fullmatch(departement.upper()):
            result.issues.append(
                Issue(
                    INVALID_VALUE,
                    f"code département invalide « {departement} », ignoré",
                    line,
                    code,
                )
            )
            departement = None
        id_pvd = get(row, "ID_PVD")
        if id_pvd and not ID_PVD.match(id_pvd):
            result.issues.append(
                Issue(
                    INVALID_VALUE,
                    f"identifiant de groupe « {id_pvd} » hors du format "
                    "pvd-<région>-<département>-<rang> (gardé tel quel)",
                    line,
                    code,
                )
            )
        siren = get(row, "SIREN_EPCI")
        if siren and not EPCI_CODE.fullmatch(siren):
            result.issues.append(
                Issue(
                    INVALID_VALUE,
                    f"SIREN d'EPCI invalide « {siren} », ignoré",
                    line,
                    code,
                )
            )
            siren = None
        nom, issue = name_issue(get(row, "LIB_COM"), line, code, "lib_com")
        lib_epci, epci_issue = name_issue(get(row, "LIB_EPCI"), line, code, "lib_epci")
        result.issues.extend(i for i in (issue, epci_issue) if i)
        result.rows.append(
            ListRow(
                line=line,
                code=code,
                nom=nom,
                id_pvd=id_pvd,
                departement=departement.upper() if departement else None,
                region=get(row, "INSEE_REG"),
                siren_epci=siren,
                lib_epci=lib_epci,
                **dates,
            )
        )
    if not result.rows:
        raise SourceError(table.path, "aucune ligne exploitable (aucun code commune valide)")
    return result


def id_pvd_parts(id_pvd: str) -> tuple[str, list[str]] | None:
    """(region code, department codes) of ``pvd-84-63-1`` or ``pvd-44-5455-1``."""
    m = ID_PVD.match(id_pvd)
    if not m:
        return None
    deps = m.group(2).upper()
    if len(deps) == 3 and deps.startswith("97"):
        return m.group(1), [deps]
    if len(deps) % 2:
        return m.group(1), [deps]
    return m.group(1), [deps[i : i + 2] for i in range(0, len(deps), 2)]

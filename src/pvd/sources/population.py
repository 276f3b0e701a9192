"""INSEE legal populations of communes (populations légales, called *populations de référence*
since the 2023 vintage), parsed into typed rows. Pure Python, no Django.

Contract
- File: ``donnees_communes.csv``, in the ``ensemble.zip`` archive of "Recensement de la population
  – Populations de référence YYYY" (2023 vintage, in force on 1 January 2026, geography of
  1 January 2025: https://www.insee.fr/fr/statistiques/8680726, archive
  https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip). The archive itself is
  accepted (``donnees_communes.csv`` is read from it). Licence Ouverte 2.0.
  Also accepted: any CODGEO-keyed commune file carrying the population (for example INSEE's
  ``base-cc-serie-historique``, column ``P22_POP``).
- Layouts, semicolon-separated (commas and tabs are also recognised), told apart by the header:
    2023:  REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT   (COM = code)
    older: REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT           (COM = name)
           CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT
    CODGEO-keyed: CODGEO;...;<population column>
- Commune code: the COM column when it holds a code; otherwise DEP (or CODDEP) + CODCOM, where
  CODCOM has 3 digits in mainland France; for the overseas departments (971-976, 3-digit
  department codes) CODCOM has 2 digits (971 + 05 = 97105) or, in some vintages, 3 digits whose
  first one repeats the department's last digit (971 + 105 = 97105): both are understood.
  Municipal arrondissements (Paris, Lyon, Marseille) are rows of their own; the three communes
  themselves may be absent (the importer then adds up their arrondissements).
- Value: the population municipale: column PMUN, else PMUN<YYYY>, P<YY>_POP or P<YYYY>_POP for the
  millésime asked (or the column named by the caller). Markers of statistical secrecy or of a
  missing value (empty, "s", "nd", "nc", "NA", "-") are kept as missing, never read as zero.
- Encoding: UTF-8 (with or without BOM), else Latin-1; the one read is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pvd.domain.codes import COMMUNE_CODE, DEPARTEMENT_CODE
from pvd.sources import columns
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INCONSISTENT,
    INVALID_CODE,
    INVALID_VALUE,
    ErrorCollector,
    SourceRowErrors,
    header_error,
    read_table,
)

MISSING_MARKERS = {"", "s", "nd", "n.d.", "nc", "n.c.", "na", "-", ".", "..."}
ZIP_MEMBERS = ("donnees_communes.csv",)


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    population: int | None  # None: secret or missing in the file
    raw: str  # the value as written (kept to report markers)


@dataclass
class PopulationFile:
    path: str
    encoding: str
    separator: str
    sha256: str
    layout: str  # "donnees_communes" or "codgeo"
    column: str  # the population column read
    millesime: int
    rows: list[PopulationRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def population_columns(millesime: int) -> tuple[str, ...]:
    yy = f"{millesime % 100:02d}"
    return ("PMUN", f"PMUN{millesime}", f"P{yy}_POP", f"P{millesime}_POP")


def compose_code(dep: str, codcom: str) -> str | None:
    """Commune code from a department code and the commune's number within it, or None."""
    if not DEPARTEMENT_CODE.fullmatch(dep) or not codcom.isdigit():
        return None
    if len(dep) == 2:
        return dep + codcom.zfill(3) if len(codcom) <= 3 else None
    # Overseas departments: 971..976 followed by 2 digits.
    if len(codcom) <= 2:
        return dep + codcom.zfill(2)
    if len(codcom) == 3 and codcom[0] == dep[2]:
        return dep[:2] + codcom
    return None


def parse_count(raw: str) -> tuple[int | None, bool]:
    """(value, was_rounded); None for a secrecy/missing marker; ValueError when not a number."""
    if raw.strip().lower() in MISSING_MARKERS:
        return None, False
    number = columns.parse_count(raw)  # the column rules: no inf, 1e309, NaN, 1_000, -5...
    if isinstance(number, columns.ColumnError):
        raise ValueError(raw)
    rounded = round(number)
    return int(rounded), rounded != number


def read_populations(
    path: str | Path, *, millesime: int, column: str | None = None
) -> PopulationFile:
    """Parse a commune population file for ``millesime``. Raises SourceError."""
    table = read_table(Path(path), separators=(";", ",", "\t"), prefer_members=ZIP_MEMBERS)
    cols = table.columns

    def fail(message: str, col: str) -> SourceRowErrors:
        return header_error(
            table.path, message, column=col, header=table.header, separator=table.separator
        )

    if column:
        if column.upper() not in cols:
            raise fail(f"colonne de population « {column} » absente", column)
        value_col = column.upper()
    else:
        value_col = next((c for c in population_columns(millesime) if c in cols), "")
        if not value_col:
            names = ", ".join(population_columns(millesime))
            raise fail(f"colonne de population manquante : une de {names}", "PMUN")
    dep_col = next((c for c in ("DEP", "CODDEP") if c in cols), "")
    if "CODGEO" in cols:
        layout = "codgeo"
    elif dep_col and "CODCOM" in cols:
        layout = "donnees_communes"
    elif "COM" in cols:
        layout = "donnees_communes"
    else:
        raise fail("colonnes du code commune manquantes : CODGEO, ou DEP et CODCOM", "CODGEO")

    result = PopulationFile(
        path=table.path,
        encoding=table.encoding,
        separator=table.separator,
        sha256=table.sha256,
        layout=layout,
        column=value_col,
        millesime=millesime,
    )
    errors = ErrorCollector(table.path)
    seen: dict[str, int] = {}
    rounded = 0
    for line, r in table.rows:
        code = _code(r, layout, dep_col, line, errors)
        if code is None:
            continue
        raw = r[value_col]
        try:
            value, was_rounded = parse_count(raw)
        except ValueError:
            errors.add(
                INVALID_VALUE,
                f"population « {raw} » illisible (attendu : un nombre entier "
                "positif, ou un marqueur de secret comme « s » ou « nd »)",
                line=line,
                column=value_col,
            )
            continue
        rounded += was_rounded
        if code in seen:
            errors.add(
                DUPLICATE_KEY,
                f"commune {code} déjà présente ligne {seen[code]}",
                line=line,
                column="CODGEO" if layout == "codgeo" else "COM",
            )
            continue
        seen[code] = line
        result.rows.append(PopulationRow(line=line, code=code, population=value, raw=raw))
    errors.raise_if_any()
    if rounded:
        result.warnings.append(f"{rounded} valeurs non entières arrondies à l'unité")
    return result


def _code(
    r: dict[str, str], layout: str, dep_col: str, line: int, errors: ErrorCollector
) -> str | None:
    if layout == "codgeo":
        code = r["CODGEO"]
        if COMMUNE_CODE.fullmatch(code):
            return code
        errors.add(
            INVALID_CODE,
            f"code commune « {code} » invalide (attendu : 5 caractères, "
            "comme 01001, 2A004 ou 97105)",
            line=line,
            column="CODGEO",
        )
        return None
    com = r.get("COM", "")
    dep = r.get(dep_col, "") if dep_col else ""
    # Since 2023 the name is in "Commune" and COM holds the code; before, COM held the name.
    if "COMMUNE" in r or not ("CODCOM" in r and dep_col):
        if not COMMUNE_CODE.fullmatch(com):
            errors.add(
                INVALID_CODE,
                f"code commune « {com} » invalide (attendu : 5 caractères, "
                "comme 01001, 2A004 ou 97105)",
                line=line,
                column="COM",
            )
            return None
        if dep and not com.startswith(dep):
            errors.add(
                INCONSISTENT,
                f"le code commune {com} n'est pas du département {dep}",
                line=line,
                column=dep_col,
            )
            return None
        return com
    if not DEPARTEMENT_CODE.fullmatch(dep):
        errors.add(
            INVALID_CODE,
            f"code département « {dep} » invalide (attendu : 2 chiffres, 2A, 2B ou 971 à 976)",
            line=line,
            column=dep_col,
        )
        return None
    code = compose_code(dep, r["CODCOM"])
    if code is None or not COMMUNE_CODE.fullmatch(code):
        expected = "2 chiffres" if len(dep) == 3 else "3 chiffres"
        errors.add(
            INVALID_CODE,
            f"numéro de commune « {r['CODCOM']} » invalide pour le "
            f"département {dep} (attendu : {expected})",
            line=line,
            column="CODCOM",
        )
        return None
    return code

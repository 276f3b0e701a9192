"""INSEE Code officiel géographique (COG): the communes, departments, regions (and arrondissements)
files of one vintage, parsed into typed rows. Pure Python, no Django.

Contract
- Files: ``v_commune_YYYY.csv``, ``v_departement_YYYY.csv``, ``v_region_YYYY.csv`` (and
  ``v_arrondissement_YYYY.csv``), published every year by INSEE; COG 2026:
  https://www.insee.fr/fr/information/8740222 (files under
  https://www.insee.fr/fr/statistiques/fichier/8740222/). Licence Ouverte 2.0.
- Layout: comma-separated, UTF-8, one header line (upper case since 2021, lower case in 2019-2020:
  both accepted); the kind of file is told by its header, then by its name.
    communes:        TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT
    départements:    DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE
    régions:         REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE
    arrondissements: ARR,DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE
  Only the columns this platform uses are required (CTCD, TNCC, NCC, NCCENR, CAN are not).
- Communes file: one row per commune (COM), commune associée (COMA), commune déléguée (COMD) and
  municipal arrondissement (ARM); COMA/COMD/ARM rows name their parent commune in COMPARENT and may
  leave REG/DEP/ARR empty (they then take their parent's).
- Vintage: the 4-digit year in the file name (``v_commune_2026.csv`` -> 2026), unless given.

Checks here are those the file alone can answer (code shapes, known types, parents present in the
file, duplicates); whether a department or region exists is checked by the importer against the
referential. Every problem is a RowError with file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pvd.domain.codes import ARRONDISSEMENT_CODE, COMMUNE_CODE, DEPARTEMENT_CODE, REGION_CODE
from pvd.sources.columns import ColumnError, parse_name
from pvd.sources.contracts import COG
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INCONSISTENT,
    INVALID_CODE,
    INVALID_VALUE,
    UNKNOWN_LAYOUT,
    UNKNOWN_VALUE,
    ErrorCollector,
    RowError,
    SourceRowErrors,
    Table,
    read_table,
)

COMMUNE_TYPES = ("COM", "COMA", "COMD", "ARM")

# The four COG files' columns, and the ones required, from their contracts (pvd.sources.contracts).
LAYOUTS = {kind: tuple(c.name for c in contract.columns) for kind, contract in COG.items()}
REQUIRED = {
    kind: tuple(c.name for c in contract.columns if c.required) for kind, contract in COG.items()
}
FILE_NAMES = {
    "communes": "v_commune_",
    "departements": "v_departement_",
    "regions": "v_region_",
    "arrondissements": "v_arrondissement_",
}
KIND_LABELS = {
    "communes": "communes",
    "departements": "départements",
    "regions": "régions",
    "arrondissements": "arrondissements",
}


@dataclass(frozen=True)
class CogCommune:
    line: int
    type: str
    code: str
    region: str  # may be "" on COMA/COMD/ARM rows
    departement: str  # idem
    arrondissement: str  # idem, and "" for communes without one (Mayotte)
    nom: str
    parent: str  # "" for COM


@dataclass(frozen=True)
class CogDepartement:
    line: int
    code: str
    region: str
    chef_lieu: str
    nom: str


@dataclass(frozen=True)
class CogRegion:
    line: int
    code: str
    chef_lieu: str
    nom: str


@dataclass(frozen=True)
class CogArrondissement:
    line: int
    code: str
    departement: str
    region: str
    chef_lieu: str
    nom: str


@dataclass
class CogFile:
    path: str
    kind: str  # a key of LAYOUTS
    vintage: int | None
    encoding: str
    sha256: str
    rows: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def vintage_from_name(path: str | Path) -> int | None:
    match = re.search(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", Path(path).name)
    return int(match.group(1)) if match else None


def detect_kind(table: Table, path: Path) -> str:
    cols = table.columns
    if "TYPECOM" in cols or "COMPARENT" in cols:
        return "communes"
    if "CHEFLIEU" in cols:
        if "ARR" in cols:
            return "arrondissements"
        if "DEP" in cols:
            return "departements"
        if "REG" in cols:
            return "regions"
    name = path.name.lower()
    for kind, prefix in FILE_NAMES.items():
        if name.startswith(prefix):
            return kind
    expected = " ; ".join(f"{KIND_LABELS[k]} : {','.join(v)}" for k, v in LAYOUTS.items())
    raise SourceRowErrors(
        table.path,
        [
            RowError(
                UNKNOWN_LAYOUT,
                f"fichier COG non reconnu (en-tête lu : {table.separator.join(table.header)}) ; "
                f"en-têtes attendus : {expected}",
                line=1,
            )
        ],
    )


def read_cog(path: str | Path) -> CogFile:
    """Parse one COG file, telling its kind from its header (or name). Raises SourceError."""
    path = Path(path)
    table = read_table(path, separators=(",", ";"))
    kind = detect_kind(table, path)
    COG[kind].resolve(table.header, path=table.path, separator=table.separator)
    cog = CogFile(
        path=table.path,
        kind=kind,
        vintage=vintage_from_name(path),
        encoding=table.encoding,
        sha256=table.sha256,
    )
    errors = ErrorCollector(table.path)
    parse = {
        "communes": _communes,
        "departements": _departements,
        "regions": _regions,
        "arrondissements": _arrondissements,
    }[kind]
    cog.rows = parse(table, errors)
    errors.raise_if_any()
    return cog


# Column -> (pattern, what it is, what is expected): one place for every code check.
_CODES = {
    "COM": (COMMUNE_CODE, "code commune", "5 caractères, comme 01001, 2A004 ou 97105"),
    "COMPARENT": (COMMUNE_CODE, "code de la commune parente", "5 caractères, comme 01001"),
    "CHEFLIEU": (COMMUNE_CODE, "code du chef-lieu", "5 caractères, comme 01053"),
    "DEP": (DEPARTEMENT_CODE, "code département", "2 chiffres, 2A, 2B ou 971 à 976"),
    "REG": (REGION_CODE, "code région", "2 chiffres, comme 84"),
    "ARR": (
        ARRONDISSEMENT_CODE,
        "code arrondissement",
        "code du département suivi d'un chiffre, comme 011 ou 9711",
    ),
}


def _check(errors: ErrorCollector, row: dict[str, str], column: str, *, line: int) -> bool:
    """Whether ``row[column]`` has the shape of its code; records the error when not."""
    pattern, what, expected = _CODES[column]
    value = row[column]
    if pattern.match(value):
        return True
    errors.add(
        INVALID_CODE,
        f"{what} « {value} » invalide (attendu : {expected})",
        line=line,
        column=column,
    )
    return False


def _check_all(
    errors: ErrorCollector, row: dict[str, str], columns: tuple[str, ...], line: int
) -> bool:
    # Check every column (no short-circuit) so that one pass reports all the errors of a row.
    return all([_check(errors, row, column, line=line) for column in columns])


def _name(errors: ErrorCollector, row: dict[str, str], line: int) -> str:
    if not row["LIBELLE"]:
        errors.add(
            INVALID_VALUE, "LIBELLE vide (attendu : le nom officiel)", line=line, column="LIBELLE"
        )
    name = parse_name(row["LIBELLE"])
    if isinstance(name, ColumnError):
        errors.add(INVALID_VALUE, name.message, line=line, column="LIBELLE")
        return row["LIBELLE"]
    return name


def _communes(table: Table, errors: ErrorCollector) -> list[CogCommune]:
    rows: list[CogCommune] = []
    seen: dict[tuple[str, str], int] = {}
    for line, r in table.rows:
        kind, code = r["TYPECOM"], r["COM"]
        if kind not in COMMUNE_TYPES:
            errors.add(
                UNKNOWN_VALUE,
                f"TYPECOM « {kind} » inconnu (attendu : COM, COMA, COMD ou ARM)",
                line=line,
                column="TYPECOM",
            )
            continue
        if not _check(errors, r, "COM", line=line):
            continue
        dep, reg, arr, parent = r["DEP"], r["REG"], r["ARR"], r["COMPARENT"]
        ok = True
        if kind == "COM" or dep:
            ok &= _check(errors, r, "DEP", line=line)
            if ok and kind == "COM" and not code.startswith(dep):
                errors.add(
                    INCONSISTENT,
                    f"le code commune {code} n'est pas du département {dep}",
                    line=line,
                    column="DEP",
                )
                ok = False
        if kind == "COM" or reg:
            ok &= _check(errors, r, "REG", line=line)
        if arr:
            ok &= _check(errors, r, "ARR", line=line)
            if ok and dep and not arr.startswith(dep):
                errors.add(
                    INCONSISTENT,
                    f"l'arrondissement {arr} n'est pas du département {dep}",
                    line=line,
                    column="ARR",
                )
                ok = False
        if kind == "COM" and parent:
            errors.add(
                INCONSISTENT,
                f"une commune (COM) n'a pas de commune parente (COMPARENT : « {parent} »)",
                line=line,
                column="COMPARENT",
            )
            ok = False
        elif kind != "COM":
            if not parent:
                errors.add(
                    INVALID_VALUE,
                    f"COMPARENT vide : une ligne {kind} doit nommer sa commune parente",
                    line=line,
                    column="COMPARENT",
                )
                ok = False
            else:
                ok &= _check(errors, r, "COMPARENT", line=line)
        nom = _name(errors, r, line)
        if (code, kind) in seen:
            errors.add(
                DUPLICATE_KEY,
                f"{kind} {code} déjà présente ligne {seen[(code, kind)]}",
                line=line,
                column="COM",
            )
            continue
        seen[(code, kind)] = line
        if ok and nom:
            rows.append(
                CogCommune(
                    line=line,
                    type=kind,
                    code=code,
                    region=reg,
                    departement=dep,
                    arrondissement=arr,
                    nom=nom,
                    parent=parent,
                )
            )
    communes = {code for code, kind in seen if kind == "COM"}
    for c in rows:
        if c.parent and c.parent not in communes:
            errors.add(
                UNKNOWN_VALUE,
                f"commune parente {c.parent} absente du fichier (aucune ligne COM avec ce code)",
                line=c.line,
                column="COMPARENT",
            )
    return rows


def _reference_rows(
    table: Table, errors: ErrorCollector, key: str, codes: tuple[str, ...], make
) -> list:
    """Rows of a departments, regions or arrondissements file, keyed by ``key``."""
    rows, seen = [], set()
    for line, r in table.rows:
        ok = _check_all(errors, r, codes, line)
        nom = _name(errors, r, line)
        if r[key] in seen:
            errors.add(DUPLICATE_KEY, f"{_CODES[key][1]} {r[key]} en double", line=line, column=key)
            continue
        seen.add(r[key])
        if ok and nom:
            rows.append(make(line, r, nom))
    return rows


def _departements(table: Table, errors: ErrorCollector) -> list[CogDepartement]:
    return _reference_rows(
        table,
        errors,
        "DEP",
        ("DEP", "REG", "CHEFLIEU"),
        lambda line, r, nom: CogDepartement(
            line=line, code=r["DEP"], region=r["REG"], chef_lieu=r["CHEFLIEU"], nom=nom
        ),
    )


def _regions(table: Table, errors: ErrorCollector) -> list[CogRegion]:
    return _reference_rows(
        table,
        errors,
        "REG",
        ("REG", "CHEFLIEU"),
        lambda line, r, nom: CogRegion(line=line, code=r["REG"], chef_lieu=r["CHEFLIEU"], nom=nom),
    )


def _arrondissements(table: Table, errors: ErrorCollector) -> list[CogArrondissement]:
    return _reference_rows(
        table,
        errors,
        "ARR",
        ("ARR", "DEP", "REG", "CHEFLIEU"),
        lambda line, r, nom: CogArrondissement(
            line=line,
            code=r["ARR"],
            departement=r["DEP"],
            region=r["REG"],
            chef_lieu=r["CHEFLIEU"],
            nom=nom,
        ),
    )

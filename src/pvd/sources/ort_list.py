"""The national tracking sheet of ORT (*opérations de revitalisation de territoire*), parsed into
typed rows. Pure Python, no Django.

Contract
- File: "Suivi des ORT", ANCT / DGALN (Ministère de la Transition écologique, de la Cohésion
  des territoires), national tracking sheet exported as CSV with its original French headers;
  the September 2024 state was republished by MTES-MCT/zero-logement-vacant. Licence Ouverte 2.0.
  One row per commune covered by an ORT (PVD, ACV or other).
- Columns (matched without regard to case; order free): required ``Code commune``,
  ``Signée ?``, ``Si signée, date de signature``; read when present ``Commune``
  (``"29 - Brest"``: department code, then name), ``EPCI``, ``Département``, ``Région``,
  ``Statut de la commune``, ``Si non signée, date de signature envisagée`` (free text such as
  "4e trimestre 2023"), ``Durée (en années)``, ``Date de fin estimée`` (``DD-MM-YYYY``),
  ``Avancement``, ``ACV``, ``PVD`` (``true``/``false``).
- ``Signée ?``: "Signée", "En cours", "Non signée"; empty = not reported. The column decides:
  an ORT is signed only when it says "Signée" (the 2024 sheet has 4 "Non signée" and 4
  "En cours" rows with a date, 2 dated rows with no status and 6 "Signée" rows without a
  date). Each row whose status and date disagree carries a ``status_date_mismatch`` message;
  its date is kept as written but does not make it signed.
- Same tolerance as :mod:`pvd.sources.pvd_list` (BOM, separators, encodings, ``NA``); invalid
  codes and unreadable values are row issues, a missing required column is fatal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pvd.domain.search import fold
from pvd.sources import columns
from pvd.sources.contracts import ORT_LIST
from pvd.sources.pvd_list import (
    DATE_YEARS,
    Issue,
    commune_code,
    missing,
    name_issue,
    parse_date,
)
from pvd.sources.report import SourceError
from pvd.sources.tabular import INVALID_VALUE, read_table

TITLE = "Suivi national des opérations de revitalisation de territoire (ORT)"
PUBLISHER = "ANCT / DGALN"
LICENCE = "Licence Ouverte 2.0 (Etalab)"
URL = "https://www.data.gouv.fr/fr/datasets/operations-de-revitalisation-du-territoire-ort/"

CODE, SIGNED, SIGNED_ON = (c.name for c in ORT_LIST.columns)
REQUIRED = (CODE, SIGNED, SIGNED_ON)

SIGNATURE_VALUES = {
    "signee": "signee",
    "oui": "signee",
    "en cours": "en_cours",
    "non signee": "non_signee",
    "non": "non_signee",
}
TRUE = {"true", "vrai", "oui", "1", "yes", "x"}
FALSE = {"false", "faux", "non", "0", "no"}


@dataclass(frozen=True)
class OrtRow:
    line: int
    code: str
    nom: str = ""
    departement_prefix: str | None = None  # from "29 - Brest"
    departement_nom: str = ""
    signature: str = "inconnu"
    date_signature: date | None = None
    date_envisagee: str = ""
    duree_annees: int | None = None
    date_fin: date | None = None
    avancement: str = ""
    statut_commune: str = ""
    acv: bool | None = None
    pvd: bool | None = None
    longitude: float | None = None
    latitude: float | None = None
    status_date_mismatch: str = ""  # why status and date disagree ("" when they agree)


def status_date_mismatch(signature: str, raw_status: str, signed_on: date | None) -> str:
    """French explanation when the "Signée ?" status and the signature date disagree."""
    if signature == "signee" and signed_on is None:
        return "« Signée » sans date de signature (comptée signée, date inconnue)"
    if signature != "signee" and signed_on is not None:
        said = f"« {raw_status} »" if raw_status else "état non renseigné"
        return f"{said} mais date de signature {signed_on:%d/%m/%Y} (non comptée signée)"
    return ""


@dataclass
class OrtList:
    path: str
    encoding: str
    separator: str
    sha256: str
    rows: list[OrtRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _bool(raw: str | None) -> bool | None:
    if missing(raw):
        return None
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    return None


def _coordinate(raw: str | None, low: float, high: float) -> float | None:
    if missing(raw):
        return None
    value = columns.parse_number(raw)
    if isinstance(value, columns.ColumnError):
        return None
    return value if low <= value <= high else None


def read_ort_list(path: Path) -> OrtList:
    table = read_table(Path(path), separators=(",", ";"))
    ORT_LIST.resolve(table.header, path=table.path, separator=table.separator)
    result = OrtList(table.path, table.encoding_label, table.separator, table.sha256)

    def get(row: dict[str, str], name: str) -> str:
        value = row.get(name.upper())
        return "" if missing(value) else value.strip()

    for line, row in table.rows:
        read = commune_code(row.get(CODE.upper(), ""), line, result.issues)
        if read is None:
            continue
        code, _ = read
        raw_signed = get(row, SIGNED)
        signature = SIGNATURE_VALUES.get(fold(raw_signed), "inconnu") if raw_signed else "inconnu"
        if raw_signed and fold(raw_signed) not in SIGNATURE_VALUES:
            result.issues.append(
                Issue(
                    INVALID_VALUE,
                    f"état de signature inconnu « {raw_signed} » (lu : non renseigné)",
                    line,
                    code,
                )
            )
        signed_on, ok = parse_date(row.get(SIGNED_ON.upper()))
        if not ok:
            result.issues.append(
                Issue(
                    INVALID_VALUE,
                    f"date de signature illisible ou hors des années {DATE_YEARS} "
                    f"« {row[SIGNED_ON.upper()]} », ignorée",
                    line,
                    code,
                )
            )
        end, _ = parse_date(row.get("DATE DE FIN ESTIMÉE"))
        raw_years = get(row, "Durée (en années)")
        years = columns.parse_integer(raw_years, minimum=1) if raw_years else None
        if isinstance(years, columns.ColumnError):
            if raw_years != "0":  # 0: no duration yet, as the sheet writes it
                result.issues.append(
                    Issue(INVALID_VALUE, f"durée {years.message}, ignorée", line, code)
                )
            years = None
        label, issue = name_issue(get(row, "Commune"), line, code, "Commune")
        if issue:
            result.issues.append(issue)
        longitude = _coordinate(row.get("LONGITUDE"), -180, 180)
        latitude = _coordinate(row.get("LATITUDE"), -90, 90)
        raw_lon, raw_lat = get(row, "longitude"), get(row, "latitude")
        problem = None
        if (raw_lon or raw_lat) and (longitude is None or latitude is None):
            problem = f"« {raw_lon} », « {raw_lat} » : nombres attendus"
        elif longitude is not None and latitude is not None:
            bad = columns.check_coordinates(code, longitude, latitude)
            problem = bad.message if bad else None
        if problem:
            result.issues.append(
                Issue(INVALID_VALUE, f"coordonnées refusées {problem}, ignorées", line, code)
            )
            longitude = latitude = None
        m = re.match(r"^\s*([0-9AB]{2,3})\s+-\s+(.*)$", label)
        result.rows.append(
            OrtRow(
                line=line,
                code=code,
                nom=m.group(2) if m else label,
                departement_prefix=m.group(1) if m else None,
                departement_nom=get(row, "Département"),
                signature=signature,
                date_signature=signed_on,
                date_envisagee=get(row, "Si non signée, date de signature envisagée")[:100],
                duree_annees=years,
                date_fin=end,
                avancement=get(row, "Avancement")[:100],
                statut_commune=get(row, "Statut de la commune")[:50],
                acv=_bool(row.get("ACV")),
                pvd=_bool(row.get("PVD")),
                longitude=longitude,
                latitude=latitude,
                status_date_mismatch=status_date_mismatch(signature, raw_signed, signed_on),
            )
        )
    if not result.rows:
        raise SourceError(table.path, "aucune ligne exploitable (aucun code commune valide)")
    return result

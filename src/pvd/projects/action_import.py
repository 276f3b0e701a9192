"""Import an existing action plan from a spreadsheet (XLSX, or CSV with ";" or ","), with the
documented template the page offers for download.

The file is validated whole before anything is written: every refused cell is reported with
its line and column, and one error means nothing is imported. Actions already in the project
(same title, case and spaces ignored) are skipped and counted, so importing the same plan
twice creates nothing the second time. A dry run reports what would be created.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from pvd.projects import services, validation
from pvd.projects.models import Action, Axe, Phase, Priorite, Projet, Statut

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the template's header (French)
    required: bool = False
    help: str = ""


COLUMNS = (
    Column("titre", "Intitulé", True, "texte, 200 caractères au plus"),
    Column("axe", "Axe", True, "; ".join(label for _, label in Axe.choices)),
    Column("statut", "Statut", False, "; ".join(label for _, label in Statut.choices)),
    Column("phase", "Phase", False, "; ".join(label for _, label in Phase.choices)),
    Column("priorite", "Priorité", False, "; ".join(label for _, label in Priorite.choices)),
    Column("date_debut", "Date de début", False, "JJ/MM/AAAA"),
    Column("date_fin_prevue", "Date de fin prévue", False, "JJ/MM/AAAA"),
    Column("porteur", "Porteur", False, "organisation qui porte l'action"),
    Column("description", "Description", False, "texte libre"),
)
CHOICES = {
    "axe": Axe.choices,
    "statut": Statut.choices,
    "phase": Phase.choices,
    "priorite": [(str(v), label) for v, label in Priorite.choices],
}
EXAMPLE = {
    "titre": "Réhabilitation de la halle",
    "axe": Axe.choices[0][1],
    "statut": Statut.choices[0][1],
    "phase": Phase.choices[0][1],
    "priorite": Priorite.choices[0][1],
    "date_debut": "15/01/2027",
    "date_fin_prevue": "30/06/2028",
    "porteur": "Commune",
    "description": "",
}


@dataclass
class CellError:
    line: int
    column: str
    message: str


@dataclass
class Plan:
    actions: list[tuple[int, dict]] = field(default_factory=list)  # (line, values)
    errors: list[CellError] = field(default_factory=list)
    existing: list[tuple[int, str]] = field(default_factory=list)  # already in the project
    blank_lines: int = 0
    created: int = 0


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def read_rows(name: str, content: bytes) -> list[list]:
    """The rows of the file's first sheet (XLSX) or of the CSV, header first; ValueError with
    a French message when the file cannot be read."""
    if len(content) > MAX_BYTES:
        raise ValueError(f"fichier trop volumineux ({len(content) // 1024} Ko, 2 Mo au plus)")
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError(f"{name} n'est pas un classeur XLSX lisible ({exc})") from exc
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    if not name.lower().endswith(".csv"):
        raise ValueError(f"{name} : format attendu XLSX ou CSV")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{name} n'est pas encodé en UTF-8 (octet {exc.start + 1}) : enregistrez-le en "
            "« CSV UTF-8 »"
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, errors, line, header):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value)
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(CellError(line, header, f"date attendue JJ/MM/AAAA, lu « {text[:40]} »"))
    return None


def _choice(field_name, value, errors, line, header):
    text = _cell_text(value)
    if not text:
        return None
    for code, label in CHOICES[field_name]:
        if _key(text) in (_key(code), _key(label)):
            return int(code) if field_name == "priorite" else code
    expected = " ; ".join(label for _, label in CHOICES[field_name])
    errors.append(
        CellError(line, header, f"valeur inconnue « {text[:40]} » (attendu : {expected})")
    )
    return None


def plan_of(projet: Projet, rows: list[list]) -> Plan:
    """Validate every row; the plan lists the actions to create and every refused cell."""
    plan = Plan()
    if not rows:
        plan.errors.append(CellError(1, "", "fichier vide : la première ligne porte les en-têtes"))
        return plan
    known = {}
    for c in COLUMNS:
        known[_key(c.header)] = c
        known[_key(c.field)] = c
    index: dict[str, int] = {}
    for i, header in enumerate(rows[0]):
        column = known.get(_key(_cell_text(header)))
        if column is None:
            if _cell_text(header):
                plan.errors.append(
                    CellError(1, _cell_text(header)[:40], "colonne inconnue (voir le modèle)")
                )
            continue
        if column.field in index:
            plan.errors.append(CellError(1, column.header, "colonne en double"))
        index[column.field] = i
    for c in COLUMNS:
        if c.required and c.field not in index:
            plan.errors.append(CellError(1, c.header, "colonne obligatoire absente"))
    if plan.errors:
        return plan
    if len(rows) - 1 > MAX_ROWS:
        plan.errors.append(CellError(MAX_ROWS + 2, "", f"{MAX_ROWS} actions au plus par import"))
        return plan
    existing = {
        _key(t) for t in Action.objects.filter(projet=projet).values_list("titre", flat=True)
    }
    seen: dict[str, int] = {}
    headers = {c.field: c.header for c in COLUMNS}
    for line, row in enumerate(rows[1:], start=2):
        cells = {f: (row[i] if i < len(row) else None) for f, i in index.items()}
        if all(_cell_text(v) == "" for v in cells.values()):
            plan.blank_lines += 1
            continue
        values: dict = {}
        found: list[CellError] = []
        for f, raw in cells.items():
            header = headers[f]
            if f in CHOICES:
                value = _choice(f, raw, found, line, header)
            elif f.startswith("date_"):
                value = _date(raw, found, line, header)
            else:
                value = _cell_text(raw)
            if value not in (None, ""):
                values[f] = value
        for c in COLUMNS:
            if (
                c.required
                and c.field not in values
                and not any(e.column == c.header for e in found)
            ):
                found.append(CellError(line, c.header, "valeur obligatoire"))
        for f, message in validation.errors("action", values).items():
            found.append(CellError(line, headers.get(f, f), message))
        start, end = values.get("date_debut"), values.get("date_fin_prevue")
        if start and end and end < start:
            found.append(
                CellError(line, headers["date_fin_prevue"], "antérieure à la date de début")
            )
        title = _key(values.get("titre", ""))
        if title and title in seen:
            found.append(
                CellError(line, headers["titre"], f"même intitulé qu'à la ligne {seen[title]}")
            )
        if found:
            plan.errors.extend(found)
            continue
        seen[title] = line
        if title in existing:
            plan.existing.append((line, values["titre"]))
        else:
            plan.actions.append((line, values))
    return plan


def apply(projet: Projet, plan: Plan, *, user) -> Plan:
    """Create the plan's actions in one transaction (nothing when the plan has an error)."""
    if plan.errors:
        return plan
    with transaction.atomic():
        for line, values in plan.actions:
            try:
                services.action_create(projet=projet, user=user, values=values, origine="import")
            except ValueError as exc:  # a rule of the service the plan did not know
                raise ValueError(f"ligne {line} : {exc}") from exc
            plan.created += 1
    return plan


def template_rows() -> list[list[str]]:
    """The template: header, one example row, then what each column expects."""
    return [
        [c.header for c in COLUMNS],
        [EXAMPLE[c.field] for c in COLUMNS],
    ]


def template_help() -> list[list[str]]:
    return [["Colonne", "Obligatoire", "Valeurs attendues"]] + [
        [c.header, "oui" if c.required else "non", c.help] for c in COLUMNS
    ]

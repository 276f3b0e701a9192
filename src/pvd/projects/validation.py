"""One set of input rules for the projets de territoire, used by the forms, the API schemas and
the services alike (issue 18: the API accepted what the forms refused: empty or 100 KB titles,
control characters that then broke the XLSX export, years 0001 to 9999, amounts beyond what
the database holds).

``errors(kind, values)`` checks the fields present in ``values`` and returns ``{field: French
message}``; ``check(kind, values)`` raises :class:`InvalidInput` (a ``ValueError``, which views
and API already turn into a form error or a 422) with all of them. The limits are constants so
that the forms and the OpenAPI schema state the same bounds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date

from django.core.exceptions import BadRequest

from pvd.domain import steering
from pvd.projects.models import Axe, Financeur, Phase, Priorite

TITLE_MAX = 200  # CharField(max_length=200) of titles, names, labels, organisations
UNIT_MAX = 30
TEXT_MAX = 10_000  # descriptions, orientations
COMMENT_MAX = 5_000
# Dates and years of a project's steering: the programme runs from 2020; older baselines of
# indicators (a 1999 census) and long-term targets stay possible, typing slips (0001, 9999) not.
YEAR_MIN, YEAR_MAX = 1950, 2100
DATE_MIN, DATE_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
# Euros: 10 billion is far above any action of a small town, far below the database's bigint.
AMOUNT_MAX = 10_000_000_000
VALUE_MAX = 1e12  # indicator values (any unit)

# C0 and C1 control characters (and DEL): they cannot be stored in an XLSX cell and make no
# sense in a title. Multi-line fields keep tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The same rules stated in the OpenAPI schema: a one-line text with at least one visible
# character, a date within the period.
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
ONE_LINE_OR_EMPTY_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
DATE_SCHEMA = {"pattern": r"^(19[5-9][0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$"}


class InvalidInput(ValueError, BadRequest):
    """Input refused by the rules: ``errors`` maps each field to its French message. A
    ``ValueError`` (forms and API show it on the field or as a 422) and, when a view lets it
    through, a ``BadRequest``: a 400 page with the message, never a 500."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k} : {v}" for k, v in errors.items()))


Rule = Callable[[object], str | None]


def text(*, max_length: int, required: bool = False, multiline: bool = False) -> Rule:
    def rule(value) -> str | None:
        if value is None:
            return "ce champ est obligatoire" if required else None
        if not isinstance(value, str):
            return "texte attendu"
        if required and not value.strip():
            return "ce champ est obligatoire"
        if len(value) > max_length:
            return f"{max_length} caractères au plus (ici {len(value)})"
        if (_CONTROL if multiline else _CONTROL_ONE_LINE).search(value):
            return "caractères de contrôle interdits"
        return None

    return rule


def text_list(*, max_length: int, max_items: int = 50) -> Rule:
    one = text(max_length=max_length)

    def rule(value) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):  # the form's textarea: one item per line
            value = [v for v in value.splitlines() if v.strip()]
        if len(value) > max_items:
            return f"{max_items} éléments au plus"
        return next((e for e in (one(v) for v in value) if e), None)

    return rule


def a_date(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return "date invalide (format attendu AAAA-MM-JJ)"
    if not isinstance(value, date):
        return "date attendue"
    if not DATE_MIN <= value <= DATE_MAX:
        return f"date hors de la période {YEAR_MIN}-{YEAR_MAX}"
    return None


def a_year(value) -> str | None:
    if value is None:
        return "ce champ est obligatoire"
    if isinstance(value, bool) or not isinstance(value, int):
        return "année attendue"
    if not YEAR_MIN <= value <= YEAR_MAX:
        return f"année hors de la période {YEAR_MIN}-{YEAR_MAX}"
    return None


def amount(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "montant en euros entier attendu"
    if not 0 <= value <= AMOUNT_MAX:
        return f"montant entre 0 et {AMOUNT_MAX:_} €".replace("_", " ")
    return None


def number(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "nombre attendu"
    if not math.isfinite(value) or abs(value) > VALUE_MAX:
        return "nombre hors des bornes admises"
    return None


def required(rule: Rule) -> Rule:
    def wrapped(value) -> str | None:
        return "ce champ est obligatoire" if value is None else rule(value)

    return wrapped


RULES: dict[str, dict[str, Rule]] = {
    "projet": {
        "nom": text(max_length=TITLE_MAX, required=True),
        "orientations": text(max_length=TEXT_MAX, multiline=True),
    },
    "action": {
        "titre": text(max_length=TITLE_MAX, required=True),
        "description": text(max_length=TEXT_MAX, multiline=True),
        "date_debut": a_date,
        "date_fin_prevue": a_date,
        "date_fin_reelle": a_date,
        "porteur": text(max_length=TITLE_MAX),
        "partenaires": text_list(max_length=TITLE_MAX),
    },
    "budget": {"annee": a_year, "prevu": required(amount), "realise": amount},
    "financement": {
        "dispositif": text(max_length=TITLE_MAX),
        "montant_demande": required(amount),
        "montant_accorde": amount,
        "montant_verse": amount,
        "date_demande": a_date,
        "date_decision": a_date,
        "date_versement": a_date,
    },
    "jalon": {
        "libelle": text(max_length=TITLE_MAX, required=True),
        "date_prevue": required(a_date),
        "date_reelle": a_date,
    },
    "indicateur": {
        "libelle": text(max_length=TITLE_MAX, required=True),
        "unite": text(max_length=UNIT_MAX),
        "valeur_initiale": number,
        "date_initiale": a_date,
        "cible": number,
        "date_cible": a_date,
    },
    "mesure": {"date": required(a_date), "valeur": required(number)},
    "commentaire": {"texte": text(max_length=COMMENT_MAX, required=True, multiline=True)},
}


def errors(kind: str, values: dict) -> dict[str, str]:
    """French message per refused field among those present in ``values``."""
    rules = RULES[kind]
    found = {}
    for field, value in values.items():
        rule = rules.get(field)
        message = rule(value) if rule else None
        if message:
            found[field] = message
    return found


def check(kind: str, values: dict) -> None:
    """Raise :class:`InvalidInput` when any field present in ``values`` breaks its rule."""
    found = errors(kind, values)
    if found:
        raise InvalidInput(found)


def as_id(value, field: str) -> int:
    """A database id read from a query or a form (``supprimer``, ``atteint``...)."""
    text_value = str(value).strip()
    if not text_value.isascii() or not text_value.isdigit() or len(text_value) > 12:
        raise InvalidInput({field: f"identifiant invalide « {text_value[:50]} »"})
    return int(text_value)


# Filters of the action table (pages, exports, API): choices or free text.
FILTER_CHOICES = {
    "axe": lambda: {a.value for a in Axe},
    "phase": lambda: {p.value for p in Phase},
    "priorite": lambda: {str(p.value) for p in Priorite},
    "statut": lambda: set(steering.EFFECTIVE_STATUSES),
    "financeur": lambda: {f.value for f in Financeur},
}
FILTER_TEXT_MAX = 200


def check_filters(filters: dict) -> dict:
    """The filters, free text ones cut to a searchable length without NUL (which PostgreSQL
    refuses); raise :class:`InvalidInput` for a value outside its choices (``?priorite=abc``)."""
    found, clean = {}, {}
    for key, value in filters.items():
        choices = FILTER_CHOICES.get(key)
        if not value or choices is None:
            clean[key] = str(value or "").replace("\x00", "")[:FILTER_TEXT_MAX]
        elif str(value) not in choices():
            found[key] = f"valeur inconnue « {str(value)[:50]} »"
        else:
            clean[key] = value
    if found:
        raise InvalidInput(found)
    return clean


class FormRules:
    """Mixin of the Django forms: the same rules, each message on its field."""

    rules_kind = ""

    def clean(self):
        data = super().clean()
        present = {k: v for k, v in data.items() if k in RULES[self.rules_kind]}
        for field, message in errors(self.rules_kind, present).items():
            if field in self.fields and field in self.cleaned_data:
                self.add_error(field, message[0].upper() + message[1:] + ".")
        return data

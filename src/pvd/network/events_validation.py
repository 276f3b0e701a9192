"""The values of an event, checked once for the pages, the API and the CLI
(:func:`clean_values`): French messages naming each refused field."""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import timezone

from pvd.network.models import Evenement
from pvd.territories.models import Departement, Region

E = Evenement
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class EventError(ValueError):
    """A refused write; ``errors`` maps a field to its French message ("" for the whole)."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        super().__init__(" ; ".join(self.errors.values()))


def clean_text(value, name: str, label: str, errors: dict, *, limit: int, required=False) -> str:
    """A trimmed text of at most ``limit`` characters without control characters; a refusal
    is added to ``errors`` under ``name``."""
    text = (value or "").strip()
    if required and not text:
        errors[name] = f"{label} : à renseigner"
    elif len(text) > limit:
        errors[name] = f"{label} : {limit} caractères au plus"
    elif CONTROL.search(text):
        errors[name] = f"{label} : caractères de contrôle refusés"
    return text


def clean_values(values: dict, *, confirmed: int = 0) -> dict:
    """The event's values checked (the forms, the API and the CLI all come here); raise
    :class:`EventError` naming each refused field. ``confirmed``: seats already taken."""
    errors: dict[str, str] = {}
    out = {
        "titre": clean_text(
            values.get("titre"), "titre", "Intitulé", errors, limit=200, required=True
        ),
        "lieu": clean_text(values.get("lieu"), "lieu", "Lieu", errors, limit=300),
        "lien": clean_text(values.get("lien"), "lien", "Lien", errors, limit=500),
        "programme_texte": clean_text(
            values.get("programme_texte"), "programme_texte", "Programme", errors, limit=10_000
        ),
    }
    echelle = values.get("echelle")
    if echelle not in E.Echelle.values:
        errors["echelle"] = "Échelle : national, régional ou départemental"
    region = (values.get("region") or "").strip() or None
    dep = (values.get("departement") or "").strip() or None
    if echelle == E.Echelle.DEPARTEMENTAL:
        d = Departement.objects.filter(code=dep).first() if dep else None
        if d is None:
            errors["departement"] = "Département : un code de département connu est attendu"
        region, dep = (d.region_id if d else None), dep
    elif echelle == E.Echelle.REGIONAL:
        if not region or not Region.objects.filter(code=region).exists():
            errors["region"] = "Région : un code de région connu est attendu"
        dep = None
    else:
        region = dep = None
    out.update(echelle=echelle, region_id=region, departement_id=dep)
    debut, fin, limite = values.get("debut"), values.get("fin"), values.get("date_limite")
    for name, value in (("debut", debut), ("fin", fin), ("date_limite", limite)):
        if value is not None and (not isinstance(value, datetime) or timezone.is_naive(value)):
            errors[name] = "date et heure attendues"
    if debut is None:
        errors["debut"] = "Début : à renseigner"
    if fin is None:
        errors["fin"] = "Fin : à renseigner"
    if not errors.keys() & {"debut", "fin"} and fin <= debut:
        errors["fin"] = "Fin : après le début"
    if limite is not None and debut is not None and "date_limite" not in errors and limite > debut:
        errors["date_limite"] = "Date limite d'inscription : au plus tard au début de l'événement"
    out.update(debut=debut, fin=fin, date_limite=limite)
    fmt = values.get("format")
    if fmt not in E.Format.values:
        errors["format"] = "Format : en présentiel, en ligne ou hybride"
    if fmt in (E.Format.PRESENTIEL, E.Format.HYBRIDE) and not out["lieu"]:
        errors["lieu"] = "Lieu : à renseigner pour un événement sur place"
    if fmt in (E.Format.EN_LIGNE, E.Format.HYBRIDE) and not out["lien"]:
        errors["lien"] = "Lien : à renseigner pour un événement en ligne"
    if out["lien"] and not re.fullmatch(r"https?://[^\s<>\"]+", out["lien"]):
        errors["lien"] = "Lien : une adresse http(s):// est attendue"
    out["format"] = fmt
    public = values.get("public") or E.Public.TOUS
    if public not in E.Public.values:
        errors["public"] = "Public : inconnu"
    elif public == E.Public.REGION and echelle == E.Echelle.NATIONAL:
        errors["public"] = (
            "Public « membres de la région » : pour un événement régional ou départemental"
        )
    out["public"] = public
    cap = values.get("capacite")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        errors["capacite"] = "Capacité : un nombre de places (1 ou plus), ou vide pour illimitée"
    elif cap is not None and cap < confirmed:
        errors["capacite"] = f"Capacité : pas moins que les {confirmed} inscrits"
    elif cap is not None and cap > 100_000:
        errors["capacite"] = "Capacité : 100 000 places au plus"
    out["capacite"] = cap
    if errors:
        raise EventError(errors)
    return out

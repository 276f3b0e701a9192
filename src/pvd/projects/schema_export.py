"""Export of actions and their collectivités in the public Table Schema of local authorities'
projects (betagouv/schema-projet-collectivites-transition-ecologique, May 2025), so projects
can be shared with other State platforms (Mon Espace Collectivité, TET, Recoco...).

Two CSV files, as in the schema's data package:
- ``projets-territoire.csv``: one row per live action (an action of a projet de territoire is
  a "projet" in the schema's sense), ``id`` = the action's UUID;
- ``collectivites.csv``: the communes and EPCI these rows refer to (``collectiviteIds``), with
  ids derived deterministically (UUID v5) from the INSEE code or the EPCI SIREN, so that two
  exports name the same collectivité with the same id.

Mappings (documented choices, the schema has no equivalent of some PVD values):
- phase: idée → « Idée », étude → « Étude », opération → « Opération »;
- status: the effective status; « à lancer » has no equivalent in ``phaseStatut`` and is left
  empty; livrée → « Terminé », en retard → « En retard »...;
- competences (M57 codes) and leviers (SGPE levers) are derived from the action's axis: a
  coarse default that the reference files' codes constrain (checked in tests).
- budgetPrevisionnel: the action's forecast cost (investment + operating), euros, when known.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime

from pvd.domain import steering
from pvd.formats.formula_guard import neutralise
from pvd.projects.selectors import ActionRow

PROJECT_COLUMNS = (
    "id",
    "createdAt",
    "updatedAt",
    "nom",
    "description",
    "budgetPrevisionnel",
    "dateDebutPrevisionnelle",
    "phase",
    "phaseStatut",
    "programme",
    "porteurCodeSiret",
    "porteurReferentEmail",
    "porteurReferentTelephone",
    "porteurReferentPrenom",
    "porteurReferentNom",
    "porteurReferentFonction",
    "competences",
    "leviers",
    "mecId",
    "tetId",
    "recocoId",
    "collectiviteIds",
)
COLLECTIVITE_COLUMNS = (
    "id",
    "nom",
    "type",
    "codeInsee",
    "codeDepartements",
    "codeRegions",
    "codeEpci",
    "siren",
    "createdAt",
    "updatedAt",
)

# Namespace of the collectivité ids (UUID v5 of "commune:<code>" or "epci:<siren>").
NAMESPACE = uuid.UUID("6f2b7c1e-3a55-4c1b-9d1e-5b0a8f2c7d40")

PHASES = {"idee": "Idée", "etude": "Étude", "operation": "Opération"}
PHASE_STATUS = {
    steering.IN_PROGRESS: "En cours",
    steering.LATE: "En retard",
    steering.PAUSED: "En pause",
    steering.BLOCKED: "Bloqué",
    steering.ABANDONED: "Abandonné",
    steering.DELIVERED: "Terminé",
}
# Axis -> M57 competence codes (référentiel des compétences M57 2025).
COMPETENCES = {
    "habitat": ["90-55"],
    "commerces": ["90-632"],
    "transition": ["90-71"],
    "patrimoine": ["90-312"],
    "innovation": ["90-57"],
    "mobilite": ["90-87", "90-84"],
    "services_publics": ["90-588"],
    "espaces_publics": ["90-515"],
    "economie": ["90-61"],
}
# Axis -> SGPE levers (50 leviers SGPE, March 2025), only where the link is direct.
LEVIERS = {
    "habitat": ["Rénovation (hors changement chaudières)"],
    "transition": ["Sobriété foncière"],
    "mobilite": ["Vélo", "Réduction des déplacements"],
    "espaces_publics": ["Désimperméabilisation des sols"],
}
PROGRAMME_NAMES = {"pvd": "Petites villes de demain", "acv": "Action Cœur de Ville"}


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False) if values else ""


def commune_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"commune:{code}"))


def epci_id(siren: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"epci:{siren}"))


def build(rows: list[ActionRow]) -> tuple[list[dict], list[dict]]:
    """(projects, collectivités) as dicts keyed by the schema's field names."""
    projects: list[dict] = []
    collectivites: dict[str, dict] = {}
    for r in rows:
        a = r.action
        projet = a.projet
        groupe = projet.groupe
        communes = list(a.communes.all()) or [
            lau.commune for lau in groupe.laureats.select_related("commune")
        ]
        ids = []
        for c in communes:
            cid = commune_id(c.code)
            ids.append(cid)
            collectivites.setdefault(
                cid,
                {
                    "id": cid,
                    "nom": c.nom,
                    "type": "Commune",
                    "codeInsee": c.code,
                    "codeDepartements": _json([c.departement_id]),
                    "codeRegions": _json([c.region_id]),
                    "codeEpci": c.epci_id or "",
                    "siren": c.siren or "",
                    "createdAt": _ts(projet.created_at),
                    "updatedAt": _ts(projet.updated_at),
                },
            )
        if groupe.epci_id:
            eid = epci_id(groupe.epci_id)
            ids.append(eid)
            collectivites.setdefault(
                eid,
                {
                    "id": eid,
                    "nom": groupe.epci.nom,
                    "type": "EPCI",
                    "codeInsee": "",
                    "codeDepartements": _json([groupe.departement_id]),
                    "codeRegions": _json([groupe.region_id]),
                    "codeEpci": groupe.epci_id,
                    "siren": groupe.epci_id,
                    "createdAt": _ts(projet.created_at),
                    "updatedAt": _ts(projet.updated_at),
                },
            )
        siret = a.porteur.siret if a.porteur_id else ""
        projects.append(
            {
                "id": str(a.uuid),
                "createdAt": _ts(a.created_at),
                "updatedAt": _ts(a.updated_at),
                "nom": a.titre,
                "description": a.description,
                "budgetPrevisionnel": r.budget.forecast or "",
                "dateDebutPrevisionnelle": a.date_debut.isoformat() if a.date_debut else "",
                "phase": PHASES.get(a.phase, ""),
                "phaseStatut": PHASE_STATUS.get(r.status, ""),
                "programme": PROGRAMME_NAMES.get(groupe.programme.slug, groupe.programme.nom),
                "porteurCodeSiret": siret if siret.isdigit() and len(siret) == 14 else "",
                "porteurReferentEmail": "",
                "porteurReferentTelephone": "",
                "porteurReferentPrenom": "",
                "porteurReferentNom": "",
                "porteurReferentFonction": "",
                "competences": _json(COMPETENCES.get(a.axe, [])),
                "leviers": _json(LEVIERS.get(a.axe, [])),
                "mecId": "",
                "tetId": "",
                "recocoId": "",
                "collectiviteIds": _json(ids),
            }
        )
    return projects, list(collectivites.values())


def to_csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    """Plain UTF-8 comma-separated CSV, as the schema's example files (no BOM); text that a
    spreadsheet would run as a formula is prefixed with ``'`` (:mod:`pvd.formats.formula_guard`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


def export(rows: list[ActionRow]) -> dict[str, bytes]:
    projects, collectivites = build(rows)
    return {
        "projets-territoire.csv": to_csv(PROJECT_COLUMNS, projects),
        "collectivites.csv": to_csv(COLLECTIVITE_COLUMNS, collectivites),
    }

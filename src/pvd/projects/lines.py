"""Writes to the lines of an action: budget, funding (cofinancements and their decision),
milestones, indicators and their measures. Each write is one transaction, checked against the
user's rights and recorded in the history (deleted lines with their content: restorable)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from pvd.programme.audit import Actor, deleted, field_diff, jsonable, record
from pvd.projects import validation
from pvd.projects.access import require
from pvd.projects.models import (
    Action,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    Mesure,
)

LINE_MODELS = {
    "budget": (LigneBudget, ("annee", "nature", "prevu", "realise")),
    "financement": (
        Financement,
        (
            "financeur",
            "decision",
            "dispositif",
            "montant_demande",
            "montant_accorde",
            "montant_verse",
            "date_demande",
            "date_decision",
            "date_versement",
        ),
    ),
    "jalon": (Jalon, ("libelle", "date_prevue", "date_reelle")),
    "indicateur": (
        Indicateur,
        ("libelle", "unite", "valeur_initiale", "date_initiale", "cible", "date_cible"),
    ),
}


LINE_LABELS = {
    "budget": "budget",
    "financement": "cofinancement",
    "jalon": "jalon",
    "indicateur": "indicateur",
}


def _check_line(
    kind: str,
    values: dict,
    *,
    action: Action,
    line_id: int | None = None,
    new_decision: bool = False,
) -> None:
    validation.check(kind, values)
    if kind == "budget" and "annee" in values and "nature" in values:
        # One line per year and nature (database constraint): said, not an IntegrityError.
        same = LigneBudget.objects.filter(
            action=action, annee=values["annee"], nature=values["nature"]
        ).exclude(pk=line_id)
        if same.exists():
            nature = dict(LigneBudget.Nature.choices).get(values["nature"], values["nature"])
            raise ValueError(
                f"une ligne de budget {values['annee']} en {nature.lower()} existe déjà : "
                "modifiez-la plutôt que d'en ajouter une seconde"
            )
    if kind == "financement":
        requested = values.get("montant_demande") or 0
        granted = values.get("montant_accorde")
        paid = values.get("montant_verse")
        if granted is not None and requested and granted > requested:
            raise ValueError("le montant accordé dépasse le montant demandé")
        if paid is not None and paid > (granted or 0):
            raise ValueError("le montant versé dépasse le montant accordé")
        _check_decision(values, new_decision)


def _infer_decision(kind: str, values: dict) -> dict:
    """Callers that give a granted amount without a decision (imports, older clients) mean
    the decision the amount implies: some amount granted, or nothing (refused)."""
    if kind != "financement" or "decision" in values or "montant_accorde" not in values:
        return values
    granted = values["montant_accorde"]
    decision = (
        Financement.Decision.EN_ATTENTE
        if granted is None
        else (Financement.Decision.ACCORDE if granted > 0 else Financement.Decision.REFUSE)
    )
    return values | {"decision": decision}


def _check_decision(values: dict, new_decision: bool) -> None:
    """A funding decision is one edit: granted with its amount and date, refused with its date
    (nothing granted); a request waiting for its decision has no amount granted. The date is
    required when the decision is recorded (older lines may lack it)."""
    decision = values.get("decision") or Financement.Decision.EN_ATTENTE
    granted, when = values.get("montant_accorde"), values.get("date_decision")
    if decision == Financement.Decision.ACCORDE and not granted:
        raise ValueError("un cofinancement accordé indique le montant accordé")
    if decision == Financement.Decision.REFUSE and granted:
        raise ValueError("un cofinancement refusé n'a pas de montant accordé")
    if new_decision and decision != Financement.Decision.EN_ATTENTE and when is None:
        raise ValueError("indiquez la date de la décision")
    if decision == Financement.Decision.EN_ATTENTE and granted:
        raise ValueError("un montant accordé suppose une décision « accordé »")


def line_save(
    *,
    action: Action,
    kind: str,
    user,
    values: dict,
    line_id: int | None = None,
    origine: str = "web",
):
    """Create (``line_id`` None) or update one budget, funding, milestone or indicator line."""
    require(user, action.projet.groupe, "edit")
    model, fields = LINE_MODELS[kind]
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    explicit = "decision" in values
    values = _infer_decision(kind, values)
    with transaction.atomic():
        if line_id is None:
            _check_line(kind, values, action=action, new_decision=explicit)
            line = model.objects.create(action=action, **values)
            diff = {k: (None, v) for k, v in values.items()}
            verb = "creation"
        else:
            line = model.objects.select_for_update().filter(pk=line_id, action=action).first()
            if line is None:
                raise validation.InvalidInput({"ligne": "cette ligne n'existe pas pour l'action"})
            merged = {f: getattr(line, f) for f in fields} | values
            _check_line(
                kind,
                merged,
                action=action,
                line_id=line.pk,
                new_decision=explicit and values["decision"] != getattr(line, "decision", None),
            )
            diff = field_diff(line, values)
            for k, (_, v) in diff.items():
                setattr(line, k, v)
            line.save()
            verb = "modification"
        if diff:
            record(
                Actor(origine, user),
                groupe=action.projet.groupe,
                objet=kind,
                objet_id=line.pk,
                libelle=f"{action.titre} ({LINE_LABELS[kind]})",
                action=verb,
                changes=diff,
            )
        Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())
    return line


def line_delete(*, action: Action, kind: str, user, line_id: int, origine: str = "web") -> None:
    require(user, action.projet.groupe, "edit")
    model, fields = LINE_MODELS[kind]
    with transaction.atomic():
        line = model.objects.filter(pk=line_id, action=action).first()
        if line is None:
            raise validation.InvalidInput({"ligne": "cette ligne n'existe pas pour l'action"})
        before = {f: (jsonable(getattr(line, f)), None) for f in fields}
        projet = action.projet
        # With its content (an indicator's measures too): restorable.
        deleted(
            Actor(origine, user),
            [line],
            programme=projet.groupe.programme,
            objet=kind,
            libelle=f"{action.titre} ({LINE_LABELS[kind]})",
            changes=before,
            groupe=projet.groupe,
        ).save()
        line.delete()


def measure_record(
    *, indicateur: Indicateur, user, when: date, valeur: float, origine: str = "web"
) -> Mesure:
    action = indicateur.action
    require(user, action.projet.groupe, "edit")
    validation.check("mesure", {"date": when, "valeur": valeur})
    with transaction.atomic():
        mesure, created = Mesure.objects.select_for_update().get_or_create(
            indicateur=indicateur, date=when, defaults={"valeur": valeur}
        )
        old = None if created else mesure.valeur
        if not created and mesure.valeur != valeur:
            mesure.valeur = valeur
            mesure.save()
        record(
            Actor(origine, user),
            groupe=action.projet.groupe,
            objet="mesure",
            objet_id=mesure.pk,
            libelle=f"{indicateur.libelle} au {when.isoformat()}",
            action="creation" if created else "modification",
            changes={"valeur": (old, valeur)},
        )
    return mesure

"""Writes to the actions of a projet de territoire: create, update (fields and relations:
communes, porteur, partenaires), delete (restorable) and restore. Each write is one transaction,
checked against the user's rights and recorded in the history."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pvd.programme.audit import Actor, field_diff, record
from pvd.projects import validation
from pvd.projects.access import require
from pvd.projects.models import Action, Membre, Organisation, Projet

ACTION_FIELDS = (
    "titre",
    "description",
    "axe",
    "phase",
    "statut",
    "priorite",
    "date_debut",
    "date_fin_prevue",
    "date_fin_reelle",
    "responsable",
)
ACTION_RELATIONS = ("communes", "porteur", "partenaires")


def organisation_get(*, nom: str) -> Organisation | None:
    nom = " ".join(nom.split())
    if not nom:
        return None
    org = Organisation.objects.filter(nom__iexact=nom).first()
    return org or Organisation.objects.create(nom=nom)


def _relations_snapshot(action: Action) -> dict:
    return {
        "communes": sorted(action.communes.values_list("code", flat=True)),
        "porteur": action.porteur.nom if action.porteur_id else None,
        "partenaires": sorted(action.partenaires.values_list("nom", flat=True)),
    }


def _check_dates(values: dict) -> None:
    start, end = values.get("date_debut"), values.get("date_fin_prevue")
    if start and end and end < start:
        raise ValueError("la date de fin prévue précède la date de début")


def _check_responsable(projet: Projet, values: dict) -> None:
    """The responsable of an action (who gets its reminders) is a member of the project team."""
    user = values.get("responsable")
    if user is not None and not Membre.objects.filter(groupe=projet.groupe, user=user).exists():
        raise ValueError(f"{user.get_username()} ne fait pas partie de l'équipe du projet")


def _set_relations(action: Action, values: dict) -> None:
    if "communes" in values:
        allowed = set(action.projet.groupe.laureats.values_list("commune_id", flat=True))
        communes = list(values["communes"])
        outside = [c for c in communes if c.pk not in allowed]
        if outside and allowed:
            names = ", ".join(c.nom for c in outside)
            raise ValueError(f"communes hors du groupe : {names}")
        action.communes.set(communes)
    if "porteur" in values:
        p = values["porteur"]
        action.porteur = organisation_get(nom=p) if isinstance(p, str) else p
        action.save(update_fields=["porteur"])
    if "partenaires" in values:
        orgs = [organisation_get(nom=p) if isinstance(p, str) else p for p in values["partenaires"]]
        action.partenaires.set([o for o in orgs if o is not None])


def action_create(*, projet: Projet, user, values: dict, origine: str = "web") -> Action:
    require(user, projet.groupe, "edit")
    unknown = set(values) - set(ACTION_FIELDS) - set(ACTION_RELATIONS)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    validation.check("action", values)
    _check_dates(values)
    _check_responsable(projet, values)
    with transaction.atomic():
        action = Action.objects.create(
            projet=projet, **{k: v for k, v in values.items() if k in ACTION_FIELDS}
        )
        _set_relations(action, values)
        fields = {k: (None, v) for k, v in values.items() if k in ACTION_FIELDS}
        fields.update({k: (None, v) for k, v in _relations_snapshot(action).items() if v})
        record(
            Actor(origine, user),
            groupe=projet.groupe,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="creation",
            changes=fields,
        )
    return action


def action_update(*, action: Action, user, values: dict, origine: str = "web") -> dict:
    require(user, action.projet.groupe, "edit")
    unknown = set(values) - set(ACTION_FIELDS) - set(ACTION_RELATIONS)
    if unknown:
        raise ValueError(f"champs inconnus : {', '.join(sorted(unknown))}")
    validation.check("action", values)
    _check_responsable(action.projet, values)
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        _check_dates(
            {
                "date_debut": values.get("date_debut", locked.date_debut),
                "date_fin_prevue": values.get("date_fin_prevue", locked.date_fin_prevue),
            }
        )
        diff = field_diff(locked, {k: v for k, v in values.items() if k in ACTION_FIELDS})
        for k, (_, v) in diff.items():
            setattr(locked, k, v)
        if diff:
            locked.save()
        before = _relations_snapshot(locked)
        _set_relations(locked, {k: v for k, v in values.items() if k in ACTION_RELATIONS})
        after = _relations_snapshot(locked)
        diff.update({k: (before[k], after[k]) for k in after if before[k] != after[k]})
        if diff:
            record(
                Actor(origine, user),
                groupe=locked.projet.groupe,
                objet="action",
                objet_id=locked.pk,
                libelle=locked.titre,
                action="modification",
                changes=diff,
            )
    action.refresh_from_db()
    return diff


def action_delete(*, action: Action, user, origine: str = "web") -> None:
    """Mark the action deleted: it leaves the views and totals but can be restored."""
    require(user, action.projet.groupe, "edit")
    with transaction.atomic():
        now = timezone.now()
        Action.objects.filter(pk=action.pk, supprime_le__isnull=True).update(supprime_le=now)
        record(
            Actor(origine, user),
            groupe=action.projet.groupe,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="suppression",
            changes={"supprime_le": (None, now)},
        )
    action.refresh_from_db()


def action_restore(*, action: Action, user, origine: str = "web") -> None:
    require(user, action.projet.groupe, "edit")
    with transaction.atomic():
        old = action.supprime_le
        Action.objects.filter(pk=action.pk).update(supprime_le=None)
        record(
            Actor(origine, user),
            groupe=action.projet.groupe,
            objet="action",
            objet_id=action.pk,
            libelle=action.titre,
            action="modification",
            changes={"supprime_le": (old.isoformat() if old else None, None)},
        )
    action.refresh_from_db()

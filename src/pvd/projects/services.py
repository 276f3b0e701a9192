"""Writes to the projets de territoire. One transaction per service; every write leaves a
``programme.Changement`` row (who, when, what: :mod:`pvd.projects.history`), like the programme
registry. Rights are :func:`pvd.projects.access.access`.

This module holds the team and project writes, comments and saved views, and is the one entry
point of the projects' writes: the actions' (:mod:`pvd.projects.actions`) and their lines'
(:mod:`pvd.projects.lines`) are re-exported here.
"""

from __future__ import annotations

from django.db import transaction

from pvd.programme.audit import Actor, field_diff, record
from pvd.programme.models import Groupe
from pvd.projects import validation
from pvd.projects.access import Access, PermissionDenied, access, require
from pvd.projects.actions import (
    ACTION_FIELDS,
    ACTION_RELATIONS,
    action_create,
    action_delete,
    action_restore,
    action_update,
    organisation_get,
)
from pvd.projects.history import delete_recorded
from pvd.projects.lines import (
    LINE_LABELS,
    LINE_MODELS,
    line_delete,
    line_save,
    measure_record,
)
from pvd.projects.models import Action, Axe, Commentaire, Membre, Projet, VueEnregistree

__all__ = [
    "ACTION_FIELDS",
    "ACTION_RELATIONS",
    "Access",
    "LINE_LABELS",
    "LINE_MODELS",
    "PROJECT_FIELDS",
    "PermissionDenied",
    "access",
    "action_create",
    "action_delete",
    "action_restore",
    "action_update",
    "comment_add",
    "line_delete",
    "line_save",
    "measure_record",
    "member_add",
    "member_remove",
    "organisation_get",
    "project_create",
    "project_delete",
    "project_get_or_create",
    "project_update",
    "view_save",
]

# --- Team -----------------------------------------------------------------------------------


def member_add(
    *, groupe: Groupe, user, fonction: str = "Chef de projet", role: str = "gestionnaire"
) -> Membre:
    """Attach someone to a team (admin, fixtures); the pages invite (``pvd.projects.team``)."""
    with transaction.atomic():
        membre, _ = Membre.objects.get_or_create(
            groupe=groupe, user=user, defaults={"fonction": fonction, "role": role}
        )
    return membre


def member_remove(*, membre: Membre, user, origine: str = "admin") -> None:
    """Remove someone from a project team (superusers: the admin), recording the membership
    removed so that it can be restored."""
    groupe = membre.groupe
    delete_recorded(
        membre,
        user=user,
        origine=origine,
        objet="membre",
        libelle=f"équipe : {membre.user.get_username()} ({membre.fonction})",
        changes={"user": (membre.user.get_username(), None), "groupe": (groupe.code, None)},
        refusal="Seul un administrateur retire un membre d'une équipe projet.",
    )


# --- Project --------------------------------------------------------------------------------


def project_delete(*, projet: Projet, user, origine: str = "admin") -> None:
    """Delete a project with everything in it (superusers only). The history keeps the whole
    content (actions, budgets, funding, milestones, indicators, measures, comments, saved
    views) so that ``pvd programme restaurer ID`` puts it back."""
    delete_recorded(
        projet,
        user=user,
        origine=origine,
        objet="projet",
        libelle=projet.nom,
        changes={"nom": (projet.nom, None)},
        refusal="Seul un administrateur supprime un projet de territoire.",
    )


PROJECT_FIELDS = ("nom", "orientations", "axes")


def project_get_or_create(*, groupe: Groupe) -> Projet:
    """The group's project, created empty (named after the group) if it has none. A write:
    pages and API reads never call it (they show the empty state), only ``project_create``,
    imports and fixtures do."""
    projet, _ = Projet.objects.get_or_create(
        groupe=groupe, defaults={"nom": f"Projet de territoire — {groupe}"}
    )
    return projet


def project_create(*, groupe: Groupe, user, origine: str = "web") -> Projet:
    """Create the group's empty project on an explicit request of its team (or a superuser);
    idempotent: an existing project is returned unchanged. Audited."""
    require(user, groupe, "edit")
    with transaction.atomic():
        projet, created = Projet.objects.get_or_create(
            groupe=groupe, defaults={"nom": f"Projet de territoire — {groupe}"}
        )
        if created:
            record(
                Actor(origine, user),
                groupe=projet.groupe,
                objet="projet",
                objet_id=projet.pk,
                libelle=projet.nom,
                action="creation",
                changes={"nom": (None, projet.nom)},
            )
    return projet


def project_update(*, projet: Projet, user, values: dict, origine: str = "web") -> dict:
    require(user, projet.groupe, "edit")
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise ValueError(f"champs non modifiables : {', '.join(sorted(unknown))}")
    validation.check("projet", values)
    if "axes" in values:
        bad = set(values["axes"]) - set(Axe.values)
        if bad:
            raise ValueError(f"axes inconnus : {', '.join(sorted(bad))}")
    with transaction.atomic():
        locked = Projet.objects.select_for_update().get(pk=projet.pk)
        diff = field_diff(locked, values)
        if not diff:
            return {}
        for k, (_, v) in diff.items():
            setattr(locked, k, v)
        locked.save()
        record(
            Actor(origine, user),
            groupe=locked.groupe,
            objet="projet",
            objet_id=locked.pk,
            libelle=locked.nom,
            action="modification",
            changes=diff,
        )
    projet.refresh_from_db()
    return diff


# --- Comments and saved views ---------------------------------------------------------------


def comment_add(
    *, projet: Projet, user, texte: str, action: Action | None = None, origine: str = "web"
) -> Commentaire:
    require(user, projet.groupe, "comment")
    texte = texte.strip()
    if not texte:
        raise ValueError("le commentaire est vide")
    validation.check("commentaire", {"texte": texte})
    with transaction.atomic():
        c = Commentaire.objects.create(projet=projet, action=action, user=user, texte=texte)
        record(
            Actor(origine, user),
            groupe=projet.groupe,
            objet="commentaire",
            objet_id=c.pk,
            libelle=f"commentaire{' sur ' + action.titre if action else ''}",
            action="creation",
            changes={"texte": (None, texte[:500])},
        )
    return c


def view_save(*, projet: Projet, user, nom: str, query: str) -> VueEnregistree:
    require(user, projet.groupe, "read")
    nom = nom.strip()[:100]
    if not nom:
        raise ValueError("donnez un nom à la vue")
    with transaction.atomic():
        vue, _ = VueEnregistree.objects.update_or_create(
            user=user, projet=projet, nom=nom, defaults={"query": query[:500]}
        )
    return vue

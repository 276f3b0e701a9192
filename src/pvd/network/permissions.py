"""Every right of the network app, one predicate each (``user``, object) -> bool, built on the
programme's scopes (``programme.Perimetre``) and the project teams (``projects.Membre``):

- a *programme member* is a logged-in user with a project team or an editing scope (or a
  superuser): she sees the full directory (names, functions) and the peers' actions;
- a member of a group's project team (not a mere reader) writes practices from its actions,
  edits them while they are drafts, submits them, deletes and restores them;
- a programme team member whose scope is national or the practice's region reviews it
  (publishes it or sends it back to draft); a department scope reads it;
- superusers do everything.

These are the bodies of the ``network.*`` rules of the one permission table
(:mod:`pvd.network.access_rules`): pages, API and services check the rules by name
(``access.has``, ``{% allowed %}``), never these functions.
"""

from __future__ import annotations

from pvd.network.models import Pratique, StatutPratique
from pvd.programme.models import Perimetre
from pvd.programme.permissions import user_scopes  # not .services: its imports slow the start
from pvd.projects.models import Membre


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _team_role(user, groupe_id: int) -> str | None:
    return (
        Membre.objects.filter(user=user, groupe_id=groupe_id).values_list("role", flat=True).first()
    )


def _writer(user, groupe_id: int) -> bool:
    role = _team_role(user, groupe_id)
    return role is not None and role != Membre.Role.LECTEUR


def is_programme_member(user) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return Membre.objects.filter(user=user).exists() or bool(user_scopes(user))


def can_edit_profile(user, owner) -> bool:
    """Only the person herself sets what the directory shows of her."""
    return _active(user) and owner is not None and user.pk == owner.pk


def can_see_peers(user) -> bool:
    return is_programme_member(user)


def can_publish_practice(user, action) -> bool:
    """Write a practice from ``action``: its project team (not readers)."""
    if not _active(user):
        return False
    return user.is_superuser or _writer(user, action.projet.groupe_id)


def can_edit_practice(user, pratique: Pratique) -> bool:
    if not _active(user) or pratique.supprime_le:
        return False
    if pratique.statut != StatutPratique.BROUILLON:
        return False
    return user.is_superuser or _writer(user, pratique.groupe_id)


def can_submit_practice(user, pratique: Pratique) -> bool:
    return can_edit_practice(user, pratique)


def can_review_practice(user, pratique: Pratique) -> bool:
    """Publish or send back: national scope, or the scope of the practice's region."""
    if not _active(user) or pratique.supprime_le:
        return False
    return user.is_superuser or _reviewer(user, pratique)


def can_delete_practice(user, pratique: Pratique) -> bool:
    if not _active(user) or pratique.supprime_le:
        return False
    return user.is_superuser or _writer(user, pratique.groupe_id) or _reviewer(user, pratique)


def can_restore_practice(user, pratique: Pratique) -> bool:
    if not _active(user) or not pratique.supprime_le:
        return False
    return user.is_superuser or _writer(user, pratique.groupe_id) or _reviewer(user, pratique)


def _reviewer(user, pratique: Pratique) -> bool:
    """Programme staff whose scope is national or the practice's region."""
    return any(
        s.niveau == Perimetre.Niveau.NATIONAL
        or (s.niveau == Perimetre.Niveau.REGION and s.region_id == pratique.region_id)
        for s in user_scopes(user)
    )


def can_view_practice(user, pratique: Pratique) -> bool:
    """Published practices are public; drafts and practices under review are read by their team
    and the programme staff whose scope covers them; deleted ones by who may restore them."""
    if pratique.supprime_le:
        return can_restore_practice(user, pratique)
    if pratique.statut == StatutPratique.PUBLIEE:
        return True
    if not _active(user):
        return False
    if user.is_superuser or _team_role(user, pratique.groupe_id) is not None:
        return True
    return any(
        s.covers(departement_id=pratique.departement_id, region_id=pratique.region_id)
        for s in user_scopes(user)
    )


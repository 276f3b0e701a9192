"""Who may do what on a projet de territoire (read, comment, edit, manage its team).

- a member of a group's project team (``Membre``, e.g. its chef de projet) edits the project of
  that group only (a ``lecteur`` member reads it);
- staff with a ``programme.Perimetre`` scope (prefecture: department; region; national) read the
  projects inside their scope and may comment on them; they do not edit;
- superusers do everything;
- a project whose laureates left the programme is read-only (:mod:`pvd.projects.readonly`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd.programme.models import Groupe
from pvd.programme.services import user_scopes
from pvd.projects.models import Membre
from pvd.projects.readonly import read_only_reason


class PermissionDenied(Exception):
    """The user may not do this on this project (message in French)."""


@dataclass(frozen=True)
class Access:
    read: bool = False
    comment: bool = False
    edit: bool = False
    # Manage the project team (invite, change roles, remove): its managers and superusers.
    manage: bool = False
    # Why the project cannot be edited nor commented although the user's role would allow it
    # (its laureates left the programme; see :mod:`pvd.projects.readonly`), "" otherwise.
    lecture_seule: str = ""

    def refusal(self, what: str) -> str:
        """The French reason a write (``edit``/``comment``) is refused for a read-only project,
        "" when the refusal (if any) comes from the user's role."""
        return self.lecture_seule if what in ("edit", "comment", "manage") else ""


def _role(user, groupe: Groupe) -> Access:
    if not user or not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        return Access(True, True, True, True)
    role = Membre.objects.filter(user=user, groupe=groupe).values_list("role", flat=True).first()
    if role is not None:
        return Access(
            True,
            True,
            role != Membre.Role.LECTEUR,
            role == Membre.Role.GESTIONNAIRE,
        )
    if any(
        s.covers(departement_id=groupe.departement_id, region_id=groupe.region_id)
        for s in user_scopes(user)
    ):
        return Access(True, True, False)
    return Access()


def access(user, groupe: Groupe) -> Access:
    role = _role(user, groupe)
    if not role.read:
        return role
    reason = read_only_reason(groupe)
    if not reason:
        return role
    return Access(read=True, comment=False, edit=False, lecture_seule=reason)


def require(user, groupe: Groupe, what: str) -> None:
    """Raise :class:`PermissionDenied` (French message) unless ``user`` may ``what``."""
    a = access(user, groupe)
    if not getattr(a, what) and a.refusal(what):
        raise PermissionDenied(a.refusal(what))
    if not getattr(a, what):
        verb = {
            "read": "consulter le",
            "comment": "commenter le",
            "edit": "modifier le",
            "manage": "gérer l'équipe du",
        }[what]
        raise PermissionDenied(f"Vous n'avez pas les droits pour {verb} projet de {groupe}.")

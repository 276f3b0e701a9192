"""What a user may do on a projet de territoire, as one bundle for the pages and the API: the
projects' permissions of the one table (:mod:`pvd.access`, declared in
:mod:`pvd.projects.permissions`) evaluated together on a group.

- a member of a group's project team (``Membre``, e.g. its chef de projet) edits the project of
  that group only (a ``lecteur`` member reads it);
- staff with a ``programme.Perimetre`` scope (prefecture: department; region; national) read the
  projects inside their scope and may comment on them; they do not edit;
- superusers do everything;
- a project whose laureates left the programme is read-only (:mod:`pvd.projects.readonly`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pvd import access as table
from pvd.access import PermissionDenied
from pvd.programme.models import Groupe
from pvd.projects.permissions import read_only

__all__ = ["Access", "PermissionDenied", "access", "require"]


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


def access(user, groupe: Groupe) -> Access:
    """The four permissions of ``user`` on the group's project, checked in one evaluation (the
    team role, the scope and the read-only reason are read once)."""
    with table.evaluation():
        if not table.has(user, "projects.read", groupe):
            return Access()
        return Access(
            read=True,
            comment=table.has(user, "projects.comment", groupe),
            edit=table.has(user, "projects.edit", groupe),
            manage=table.has(user, "projects.manage", groupe),
            lecture_seule=read_only(groupe),
        )


def require(user, groupe: Groupe, what: str) -> None:
    """Raise :class:`PermissionDenied` (French message) unless ``user`` may ``what`` (read,
    comment, edit, manage) on the group's project."""
    table.require(user, f"projects.{what}", groupe)

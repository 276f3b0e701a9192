"""The projects' permissions in the one table (:mod:`pvd.access`).

- ``projects.member`` (a group): the user is in the group's project team (any role);
- ``projects.read``: the team, the agents whose scope covers the group (prefecture: department;
  region; national) and superusers;
- ``projects.comment``: who reads, unless the project is read-only;
- ``projects.edit``: the team but its ``lecteur`` members, and superusers, unless read-only;
- ``projects.manage`` (invite, change roles, remove): the team's managers and superusers,
  unless read-only;
- ``projects.delete`` (a project, an action, with their history kept): superusers;
- ``projects.synthese`` (an ``access.Place``: France, a region, or a department with its
  region): superusers and
  the agents whose scope covers it (a region's agents see its departments).

A project whose laureates left the programme is read-only (:mod:`pvd.projects.readonly`): the
refusal then says why.
"""

from __future__ import annotations

from pvd import access
from pvd.projects.models import Membre
from pvd.projects.readonly import read_only_reason

VERBS = {
    "read": "consulter le",
    "comment": "commenter le",
    "edit": "modifier le",
    "manage": "gérer l'équipe du",
}


def _role(user, groupe) -> str | None:
    """The user's role in the group's project team, None when not in it (read once a check)."""
    return access.memo(
        ("projects.role", user.pk, groupe.pk),
        lambda: (
            Membre.objects.filter(user=user, groupe=groupe).values_list("role", flat=True).first()
        ),
    )


def read_only(groupe) -> str:
    """Why the group's project is read-only ("" when editable), read once a check."""
    return access.memo(("projects.read_only", groupe.pk), lambda: read_only_reason(groupe))


member = access.authenticated & access.Predicate(
    lambda u, g: _role(u, g) is not None, "team_member"
)
editor = access.authenticated & access.Predicate(
    lambda u, g: _role(u, g) not in (None, Membre.Role.LECTEUR), "team_editor"
)
manager = access.authenticated & access.Predicate(
    lambda u, g: _role(u, g) == Membre.Role.GESTIONNAIRE, "team_manager"
)
writable = access.Predicate(lambda u, g: not read_only(g), "writable")
reader = access.superuser | member | (access.authenticated & access.in_scope)


@access.predicate
def covers_synthese(user, t: access.Place) -> bool:
    scope = access.scope_of(user)
    if scope.national:
        return True
    if t.departement_id:
        return t.departement_id in scope.departements or t.region_id in scope.regions
    return bool(t.region_id) and t.region_id in scope.regions


def _message(what: str):
    return lambda user, groupe: f"Vous n'avez pas les droits pour {VERBS[what]} projet de {groupe}."


def _read_only_reason(user, groupe) -> str:
    """The read-only reason, for who would otherwise be allowed to read (others are refused
    for their role)."""
    return read_only(groupe) if reader(user, groupe) else ""


def register() -> None:
    access.register("projects.member", member, message=_message("read"))
    access.register("projects.read", reader, message=_message("read"))
    for what, test in (
        ("comment", reader & writable),
        ("edit", (access.superuser | editor) & writable),
        ("manage", (access.superuser | manager) & writable),
    ):
        access.register(f"projects.{what}", test, message=_message(what), reason=_read_only_reason)
    access.register(
        "projects.delete",
        access.superuser,
        message="Seul un administrateur peut supprimer un projet ou une action.",
    )
    access.register(
        "projects.synthese",
        access.superuser | (access.authenticated & covers_synthese),
        message="Cette synthèse est réservée aux services dont le périmètre la couvre.",
    )

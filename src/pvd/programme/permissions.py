"""The programme's permissions (the table is :mod:`pvd.access`) and the users' scopes.

- ``programme.edit_laureate`` (a laureate, or any place with a department and a region): the
  agents whose scope covers it (prefecture: department; region; national) and superusers;
- ``programme.read_notes`` (a laureate or a group, or a place with its ``groupe``): who edits it, and the project team of the
  group (``projects.member``, declared by the projects app).

The list imports run at the command line (the operator there has no account and is not asked).
"""

from __future__ import annotations

from pvd import access
from pvd.programme.models import Perimetre


def user_scopes(user) -> list[Perimetre]:
    """The ``Perimetre`` rows of the user's groups (shown on the lists' pages)."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    return list(Perimetre.objects.filter(group__user=user))


def scope_from(perimetres: list[Perimetre]) -> access.Scope:
    return access.Scope(
        national=any(p.niveau == Perimetre.Niveau.NATIONAL for p in perimetres),
        regions=frozenset(p.region_id for p in perimetres if p.niveau == Perimetre.Niveau.REGION),
        departements=frozenset(
            p.departement_id for p in perimetres if p.niveau == Perimetre.Niveau.DEPARTEMENT
        ),
    )


def _scope(user) -> access.Scope:
    return scope_from(user_scopes(user))


def _laureate_label(user, obj) -> str:
    commune = getattr(obj, "commune", obj)
    return f"Vous n'avez pas les droits pour modifier {commune.nom} ({commune.departement_id})."


def _group_of(user, obj):
    """The group of a laureate (itself for a group), None when it has none."""
    from pvd.programme.models import Groupe

    return obj if isinstance(obj, Groupe) else getattr(obj, "groupe", None)


@access.predicate
def _team_of_group(user, obj) -> bool:
    groupe = _group_of(user, obj)
    return groupe is not None and access.rule("projects.member")(user, groupe)


def register() -> None:
    access.set_scope_provider(_scope)
    access.register(
        "programme.edit_laureate",
        access.superuser | access.in_scope,
        message=_laureate_label,
    )
    access.register(
        "programme.read_notes",
        access.rule("programme.edit_laureate") | (access.authenticated & _team_of_group),
        message="Ces notes sont réservées aux services dont le périmètre couvre le territoire "
        "et à l'équipe projet.",
    )

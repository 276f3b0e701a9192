"""The selection's permission in the one table (:mod:`pvd.access`).

- ``selection.change_scenario`` (a saved scenario): its author and superusers change or delete
  it (everyone reads it); ``user=None`` is the operator at the command line.
"""

from __future__ import annotations

from pvd import access


@access.predicate
def _operator(user, scenario) -> bool:
    return user is None


@access.predicate
def _author(user, scenario) -> bool:
    return scenario.auteur_id is not None and scenario.auteur_id == user.pk


def refusal(user, scenario) -> str:
    return (
        f"Le scénario « {scenario.nom} » a été enregistré par un autre compte : vous ne pouvez "
        "pas le modifier. Enregistrez vos règles sous un autre nom."
    )


def register() -> None:
    access.register(
        "selection.change_scenario",
        _operator | access.superuser | (access.authenticated & _author),
        message=refusal,
    )

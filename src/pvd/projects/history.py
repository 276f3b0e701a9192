"""The history of the projects' writes: every write leaves a ``programme.Changement`` row (who,
when, what changed), like the programme registry; deletions keep the whole content so that
``pvd programme restaurer ID`` can put it back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pvd import access
from pvd.programme.audit import Actor, deleted
from pvd.programme.models import Changement
from pvd.projects.models import Projet


def jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "get_username"):  # a user (an action's responsable)
        return value.get_username()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def audit(
    *,
    user,
    origine: str,
    projet: Projet,
    objet: str,
    objet_id: int,
    libelle: str,
    action: str,
    changes: dict,
) -> None:
    Changement.objects.create(
        at=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        origine=origine,
        programme_id=projet.groupe.programme_id,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle[:300],
        groupe=projet.groupe,
        commune_code="",
        action=action,
        changes={k: [jsonable(a), jsonable(b)] for k, (a, b) in changes.items()},
    )


def field_diff(obj, values: dict) -> dict:
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def delete_recorded(
    obj, *, user, origine: str, objet: str, libelle: str, changes: dict, refusal: str
) -> None:
    """Delete ``obj`` (superusers only) after recording it with its whole content in the history,
    so that ``pvd programme restaurer ID`` can put it back."""
    access.require(user, "projects.delete", obj, message=refusal)
    with transaction.atomic():
        deleted(
            Actor(origine, user),
            [obj],
            programme=obj.groupe.programme,
            objet=objet,
            libelle=libelle,
            changes=changes,
            groupe=obj.groupe,
        ).save()
        obj.delete()

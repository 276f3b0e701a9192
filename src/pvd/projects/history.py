"""The history of the projects' writes: every write leaves a ``programme.Changement`` row (who,
when, what changed) through the one audit helper, :func:`pvd.programme.audit.record`, like the
programme registry; deletions keep the whole content so that
``pvd programme restaurer ID`` can put it back."""

from __future__ import annotations

from django.db import transaction

from pvd import access
from pvd.programme.audit import Actor, deleted


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

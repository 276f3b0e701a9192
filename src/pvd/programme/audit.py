"""The registry's change history: who writes (a user or an import) and one ``Changement`` row
per write. Every service of the registry and of the projects (imports, web, API, admin) goes
through here.

A deletion keeps what it deleted: ``Changement.contenu`` holds the rows removed (the object and
everything that cascades from it, e.g. a project with its actions, budgets, funding, milestones,
indicators, measures and comments), so that an administrator can put them back
(:func:`deletion_restore`, `pvd programme restaurer ID`, or the "Restaurer" action of the
history in the admin)."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core import serializers
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from pvd.caching import bump_data_version
from pvd.programme.models import Changement, Programme


@dataclass(frozen=True)
class Actor:
    """Who writes: a user (web, API, admin) or an import (CLI user name and file)."""

    origine: str
    user: Any = None
    auteur: str = ""

    @classmethod
    def import_of(cls, path: str) -> Actor:
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = "inconnu"
        return cls("import", None, f"import {Path(path).name} ({who})"[:200])


def jsonable(value: Any) -> Any:
    """A value of a change as stored: ISO dates, decimals as text, users by name."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "get_username"):  # a user (an action's responsable)
        return value.get_username()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def change(
    actor: Actor,
    *,
    programme: Programme | None,
    objet: str,
    objet_id: int,
    libelle: str,
    commune_code: str,
    action: str,
    changes: dict,
    at,
    groupe=None,
) -> Changement:
    """An unsaved ``Changement`` (imports bulk-create them; single edits ``.save()``)."""
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return Changement(
        at=at,
        user=user,
        origine=actor.origine,
        auteur=actor.auteur,
        programme=programme,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle[:300],
        commune_code=commune_code,
        groupe=groupe,
        action=action,
        changes={k: [jsonable(a), jsonable(b)] for k, (a, b) in changes.items()},
    )


def laureate_change(ctx: Any, lau: Any, action: str, diff: dict) -> Changement:
    """The change row of a laureate written by an import (``ctx``: the import's
    :class:`pvd.programme.pipeline.ImportContext`: its actor, programme and time)."""
    c = lau.commune
    return change(
        ctx.actor,
        programme=lau.programme if ctx.programme is None else ctx.programme,
        objet="laureat",
        objet_id=lau.pk,
        libelle=f"{c.nom} ({c.departement_id})",
        commune_code=c.code,
        action=action,
        changes=diff,
        at=ctx.now,
    )


def record(
    actor: Actor,
    *,
    objet: str,
    objet_id: int,
    libelle: str,
    action: str,
    changes: dict,
    groupe=None,
    programme: Programme | None = None,
    commune_code: str = "",
    at=None,
) -> Changement:
    """Record one write now (who did what on which object): the saved ``Changement``. The
    programme is the group's when not given (a project's writes)."""
    row = change(
        actor,
        programme=programme,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle,
        commune_code=commune_code,
        action=action,
        changes=changes,
        at=at or timezone.now(),
        groupe=groupe,
    )
    if programme is None and groupe is not None:
        row.programme_id = groupe.programme_id
    row.save()
    return row


def fmt(value: Any) -> str:
    """A value in a change line: ∅ for missing, ISO dates."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def field_diff(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What ``values`` would change on ``obj``, ``{field: (before, after)}``."""
    return {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}


def assign_changes(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set ``values`` on ``obj`` and return what changed, ``{field: (before, after)}`` (empty
    when nothing did): the diff every registry write logs."""
    diff = field_diff(obj, values)
    for k, (_, v) in diff.items():
        setattr(obj, k, v)
    return diff


# --- Deletions: what was deleted, restorable ---------------------------------------------------


class _Everything(Collector):
    """A deletion collector that lists every row a delete would remove (no fast deletes, so
    cascaded rows are instances too)."""

    def can_fast_delete(self, *args, **kwargs) -> bool:
        return False


def snapshot(objs: Iterable[models.Model]) -> list[dict]:
    """Every row that deleting ``objs`` removes (the objects and what cascades from them),
    serialized with Django's serializer (model, pk, fields, many-to-many links), in an order a
    restore can replay (referenced rows first). Stored in ``Changement.contenu``."""
    objs = list(objs)
    if not objs:
        return []
    collector = _Everything(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    collector.sort()
    rows: list[models.Model] = []
    for model, instances in collector.data.items():
        if model._meta.auto_created:  # many-to-many links: carried by their owner's fields
            continue
        rows.extend(sorted(instances, key=lambda o: o.pk))
    rows.reverse()  # deletion order is children first: restore parents first
    return json.loads(serializers.serialize("json", rows))


def deleted(
    actor: Actor,
    objs: Iterable[models.Model],
    *,
    programme: Programme | None,
    objet: str,
    libelle: str,
    commune_code: str = "",
    at=None,
    changes: dict | None = None,
    cascade: bool = True,
    groupe=None,
) -> Changement:
    """An unsaved ``Changement`` of a deletion, with the deleted content (call it before the
    delete). ``objet_id`` is the first object's id. ``cascade=False`` when nothing cascades
    from the objects (a group, an ORT row: imports delete many, one query less each)."""
    objs = list(objs)
    row = change(
        actor,
        programme=programme,
        objet=objet,
        objet_id=objs[0].pk,
        libelle=libelle,
        commune_code=commune_code,
        action=Changement.Action.SUPPRESSION,
        changes=changes or {},
        at=at or timezone.now(),
        groupe=groupe,
    )
    row.contenu = snapshot(objs) if cascade else json.loads(serializers.serialize("json", objs))
    return row


class RestoreError(Exception):
    """A deletion that cannot be restored (message in French)."""


def deletion_restore(*, changement: Changement, actor: Actor) -> int:
    """Put back the rows a deletion removed (``Changement.contenu``), in one transaction; refuse
    when the deletion recorded no content or when one of its rows exists again. Logged as a
    creation. Returns the number of rows restored."""
    if changement.action != Changement.Action.SUPPRESSION or not changement.contenu:
        raise RestoreError(
            f"le changement n° {changement.pk} n'est pas une suppression avec son contenu"
        )
    with transaction.atomic():
        objects = list(serializers.deserialize("json", json.dumps(changement.contenu)))
        for d in objects:
            model = type(d.object)
            if model.objects.filter(pk=d.object.pk).exists():
                raise RestoreError(
                    f"{model._meta.verbose_name} n° {d.object.pk} existe déjà : "
                    "suppression déjà restaurée ?"
                )
        for d in objects:
            d.save()
        change(
            actor,
            programme=changement.programme,
            objet=changement.objet,
            objet_id=changement.objet_id,
            libelle=f"restauration : {changement.libelle}"[:300],
            commune_code=changement.commune_code,
            action=Changement.Action.CREATION,
            changes={"restauration_de": (None, changement.pk)},
            at=timezone.now(),
            groupe=changement.groupe,
        ).save()
        bump_data_version()
    return len(objects)

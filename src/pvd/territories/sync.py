"""Make a table hold exactly a given set of rows, counting what changed.

Used by every referential import so that a second run of the same data changes nothing and the
report says so. Runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from pvd.sources.report import TableCounts

BATCH = 2000


def sync_rows(
    model: type[models.Model],
    key: tuple[str, ...],
    rows: Iterable[dict],
    *,
    delete_missing: bool = True,
    scope: dict | None = None,
) -> TableCounts:
    """Create, update and (optionally) delete rows of ``model`` so it matches ``rows``.

    ``rows`` are dicts of concrete field names (``*_id`` for foreign keys); ``key`` names the
    fields identifying a row. ``scope`` (field lookups) restricts the rows compared and deleted
    to a part of the table, such as one level. Returns counts; never touches a row whose values
    are equal.
    """
    rows = list(rows)
    fields = sorted({f for row in rows for f in row} - set(key))
    pk_name = model._meta.pk.attname
    existing = {
        tuple(r[k] for k in key): r
        for r in model.objects.filter(**(scope or {}))
        .values(pk_name, *key, *fields)
        .iterator(chunk_size=BATCH)
    }
    counts = TableCounts()
    to_create, to_update = [], []
    seen = set()
    for row in rows:
        k = tuple(row[f] for f in key)
        if k in seen:
            raise ValueError(f"{model.__name__}: clé en double {k}")
        seen.add(k)
        current = existing.get(k)
        if current is None:
            to_create.append(model(**row))
            continue
        if any(current[f] != row[f] for f in fields if f in row):
            to_update.append(model(**{pk_name: current[pk_name], **row}))
        else:
            counts.unchanged += 1
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH)
        counts.created = len(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH)
        counts.updated = len(to_update)
    if delete_missing:
        stale = [current[pk_name] for k, current in existing.items() if k not in seen]
        for start in range(0, len(stale), BATCH):
            model.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        counts.deleted = len(stale)
    return counts

"""Make a table hold exactly a given set of rows, counting what changed.

Used by every referential import so that a second run of the same data changes nothing and the
report says so. Runs inside the caller's transaction.

Rows are written without a model object per row: one ``executemany`` INSERT and one UPDATE per
table, through Django's connection cursor, with the table and column names (and the conversion
of each field that needs one, such as JSON) taken from the model's ``_meta`` — the same SQL
values ``bulk_create``/``bulk_update`` would send, at a fraction of the cost (182k rows for the
referential).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from pvd.caching import bump_data_version
from pvd.sources.report import TableCounts

BATCH = 2000

# Fields whose Python value (of the right type, as rows must hold for the change test to work)
# is already what the database driver takes: no conversion per value.
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
}


def sync_rows(
    model: type[models.Model],
    key: tuple[str, ...],
    rows: Iterable[dict],
    *,
    delete_missing: bool = True,
    scope: dict | None = None,
) -> TableCounts:
    """Create, update and (optionally) delete rows of ``model`` so it matches ``rows``.

    ``rows`` are dicts of concrete field names (``*_id`` for foreign keys) holding values of the
    fields' Python types; ``key`` names the fields identifying a row. ``scope`` (field lookups)
    restricts the rows compared and deleted to a part of the table, such as one level. Returns
    counts; never touches a row whose values are equal.
    """
    rows = list(rows)
    fields = sorted({f for row in rows for f in row} - set(key))
    pk_name = model._meta.pk.attname
    key_of = itemgetter(*key) if len(key) > 1 else lambda row: (row[key[0]],)
    existing = {
        key_of(r): r
        for r in model.objects.filter(**(scope or {}))
        .values(pk_name, *key, *fields)
        .iterator(chunk_size=BATCH)
    }
    counts = TableCounts()
    to_create, to_update = [], []
    seen = set()
    for row in rows:
        k = key_of(row)
        if k in seen:
            raise ValueError(f"{model.__name__}: clé en double {k}")
        seen.add(k)
        current = existing.get(k)
        if current is None:
            to_create.append(row)
            continue
        if any(current[f] != row[f] for f in fields if f in row):
            to_update.append({pk_name: current[pk_name], **row})
        else:
            counts.unchanged += 1
    if to_create:
        insert_rows(model, to_create)
        counts.created = len(to_create)
    if to_update:
        update_rows(model, to_update, fields)
        counts.updated = len(to_update)
    if delete_missing:
        stale = [current[pk_name] for k, current in existing.items() if k not in seen]
        for start in range(0, len(stale), BATCH):
            model.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        counts.deleted = len(stale)
    if counts.created or counts.updated or counts.deleted:
        bump_data_version()
    return counts


def _converter(field: models.Field) -> Callable | None:
    """None when values go to the driver as they are, else the field's own conversion."""
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _PLAIN and field.get_internal_type() in _PLAIN | {
        "ForeignKey",
        "OneToOneField",
    }:
        return None
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-access proxy
    if isinstance(field, models.JSONField):  # plain values (no expressions): what saving does
        adapt, prep, encoder = conn.ops.adapt_json_value, field.get_prep_value, field.encoder
        return lambda value: adapt(prep(value), encoder)
    prep_save = field.get_db_prep_save
    return lambda value: prep_save(value, conn)


def _column_values(fields: list[models.Field], rows: list[dict]) -> list[tuple]:
    """One tuple per row, in ``fields`` order: a missing field takes its default, each value
    converted as the ORM would for saving (built column by column)."""
    columns = []
    for f in fields:
        name, default = f.attname, f.get_default()
        column = [row.get(name, default) for row in rows]
        convert = _converter(f)
        if convert is not None:
            column = [None if v is None else convert(v) for v in column]
        columns.append(column)
    return list(zip(*columns, strict=True))


def _auto_pk(model: type[models.Model]) -> bool:
    return isinstance(
        model._meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField
    )


def _orm_only(model: type[models.Model]) -> bool:
    """Models whose fields compute their value on save (auto_now...) keep the ORM's path."""
    return any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        for f in model._meta.concrete_fields
    )


def insert_rows(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT ``rows`` (dicts of concrete field values) with one ``executemany``."""
    if _orm_only(model):
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    auto = _auto_pk(model)
    fields = [f for f in model._meta.concrete_fields if not (auto and f.primary_key)]
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = _column_values(fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 10 * BATCH):
            cursor.executemany(sql, values[start : start + 10 * BATCH])


def update_rows(model: type[models.Model], rows: list[dict], names: list[str]) -> None:
    """UPDATE the ``names`` columns of ``rows`` (each holding its primary key) by primary key,
    with one ``executemany``; a row lacking one of ``names`` gets the field's default, as
    ``bulk_update`` of a model built from it would."""
    if _orm_only(model):
        pk_name = model._meta.pk.attname
        objs = [model(**row) for row in rows]
        model.objects.bulk_update(objs, [n for n in names if n != pk_name], batch_size=BATCH)
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_name[n] for n in names] + [model._meta.pk]
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(f.column)} = %s" for f in fields[:-1])
    sql = f"UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, _column_values(fields, rows))

"""sync_rows writes rows without model objects: the stored values must be exactly those of the
ORM's bulk_create / bulk_update (raw SQL rows compared), on the real referential."""

from django.db import connection, transaction

from pvd.territories.models import Commune, Population
from pvd.territories.sync import insert_rows, sync_rows, update_rows


def _raw(table: str, where: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY 1", params)
        return [row[1:] for row in cursor.fetchall()]  # without the auto primary key


def _new_communes() -> list[dict]:
    rows = []
    for c in Commune.objects.filter(departement_id="63", type="COM").order_by("code")[:50]:
        row = {
            "code": "Z" + c.code[1:],
            "type": "COM",
            "nom": c.nom + " — é",
            "departement_id": c.departement_id,
            "region_id": c.region_id,
            "arrondissement_id": c.arrondissement_id,
            "epci_id": c.epci_id,
            "siren": c.siren,
            "codes_postaux": c.codes_postaux,
            "zone": c.zone,
        }  # no population, no parent: the fields' defaults
        rows.append(row)
    return rows


def test_insert_rows_stores_what_bulk_create_stores(db):
    rows = _new_communes()
    where, params = "code LIKE %s", ["Z%"]
    with transaction.atomic():
        Commune.objects.bulk_create([Commune(**r) for r in rows])
        orm = _raw(Commune._meta.db_table, where, params)
        transaction.set_rollback(True)
    insert_rows(Commune, rows)
    assert _raw(Commune._meta.db_table, where, params) == orm
    assert len(orm) == 50


def test_update_rows_stores_what_bulk_update_stores(db):
    pops = list(Population.objects.filter(commune__departement_id="15").values())
    changed = [{**p, "population": p["population"] + 1, "parts": 2} for p in pops]
    where = "commune_id IN (SELECT id FROM territories_commune WHERE departement_id = %s)"
    with transaction.atomic():
        Population.objects.bulk_update([Population(**p) for p in changed], ["population", "parts"])
        orm = _raw(Population._meta.db_table, where, ["15"])
        transaction.set_rollback(True)
    update_rows(Population, changed, ["population", "parts"])
    assert _raw(Population._meta.db_table, where, ["15"]) == orm
    assert len(orm) == len(pops) > 100


def test_second_sync_changes_nothing_and_counts(db):
    rows = _new_communes()
    first = sync_rows(Commune, ("code", "type"), rows, delete_missing=False)
    assert (first.created, first.updated, first.unchanged) == (50, 0, 0)
    again = sync_rows(Commune, ("code", "type"), rows, delete_missing=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 50)
    rows[0]["codes_postaux"] = ["99999"]
    third = sync_rows(Commune, ("code", "type"), rows, delete_missing=False)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 49)
    assert Commune.objects.get(code=rows[0]["code"], type="COM").codes_postaux == ["99999"]

"""Querysets compiled once and run with bound parameters (pvd.territories.selectors_sql,
issue 17): the rows of the ORM's queryset, converted as the ORM converts them (JSON lists),
for every value and list length; values bound, never formatted into the SQL; a builder whose
parameter does not reach the SQL refused."""

from __future__ import annotations

import pytest

from pvd.territories.models import Commune
from pvd.territories.selectors_sql import Prepared

FIELDS = ("code", "type", "nom", "codes_postaux", "population", "parent_id")

BY_CODE = Prepared(
    lambda code, kind: Commune.objects.filter(code=code, type=kind).values_list(*FIELDS)
)
BY_CODES = Prepared(
    lambda kind, codes: Commune.objects.filter(type=kind, code__in=codes)
    .order_by("code")
    .values_list(*FIELDS),
    sizes=True,
)


def orm(code: str, kind: str) -> list[tuple]:
    return list(Commune.objects.filter(code=code, type=kind).values_list(*FIELDS))


def test_rows_are_the_orm_ones(referential):
    for code, kind in [("63236", "COM"), ("75056", "COM"), ("75101", "ARM"), ("2A004", "COM")]:
        rows = BY_CODE.run(code, kind)
        assert rows == orm(code, kind) and len(rows) == 1, code
    assert isinstance(BY_CODE.run("63236", "COM")[0][3], list)  # JSON decoded
    assert BY_CODE.run("63236", "ARM") == []


def test_lists_of_every_length(referential):
    codes = ["01001", "2A004", "63236", "75056", "97411", "99999"]
    for n in range(1, len(codes) + 1):
        expected = list(
            Commune.objects.filter(type="COM", code__in=codes[:n])
            .order_by("code")
            .values_list(*FIELDS)
        )
        assert BY_CODES.run("COM", codes[:n]) == expected, n
    assert BY_CODES.run("COM", []) == []


def test_values_are_bound_not_formatted(referential):
    hostile = "63236' OR '1'='1"
    assert BY_CODE.run(hostile, "COM") == []
    assert BY_CODE.run("63236", "COM' OR type <> 'x") == []
    assert Commune.objects.filter(code="63236").exists()


def test_a_parameter_missing_from_the_sql_is_refused(referential):
    ignored = Prepared(lambda code: Commune.objects.filter(code="63236").values_list("nom"))
    with pytest.raises(ValueError, match="not found"):
        ignored.run("75056")

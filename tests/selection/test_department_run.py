"""A one-department run reads the national inputs from the shared cache (built once per data
version) instead of reading all of France again: same rows as the national run restricted to
the department, and never stale after a change of the data."""

from __future__ import annotations

import polars as pl

from pvd.domain.eligibility import Rules
from pvd.selection import selectors
from pvd.territories.models import Population


def test_department_run_from_the_shared_cache_equals_the_national_run(db):
    national = selectors.run(rules=Rules(), data=selectors._load_inputs())
    selectors.inputs()  # built and stored in the shared cache
    selectors._memo.clear()  # as in a new process: only the shared cache holds them
    for dep in ("63", "2A", "971"):
        one = selectors.run(rules=Rules(), departement=dep)
        expected = national.filter(pl.col("dep") == dep)
        assert one.height == expected.height > 0
        assert one.equals(expected), dep
    assert selectors.run(rules=Rules(), departement="63").height == 463  # communes of 2026


def test_shared_inputs_follow_the_data(db):
    before = selectors.inputs()
    row = before.frame.filter(pl.col("dep") == "63").row(0, named=True)
    assert row["pop_2023"] is not None
    Population.objects.filter(commune__code=row["code"], commune__type="COM").delete()
    selectors._memo.clear()
    after = selectors.inputs().frame.filter(pl.col("code") == row["code"]).row(0, named=True)
    assert after["pop_2023"] is None


def test_restricted_runs_with_envelopes_equal_the_national_run(shared_inputs):
    """With fragility data (eligible communes, ranks, national envelopes shared between regions
    and departments), a department or region run has the national run's rows, explanations
    included."""
    for rules in (Rules(), Rules(enveloppe_nationale=1000)):
        national = selectors.run(rules=rules, data=shared_inputs)
        assert national.get_column("eligible").sum() > 500
        for dep in ("63", "24", "2A"):
            one = selectors.run(rules=rules, departement=dep, data=shared_inputs)
            assert one.equals(national.filter(pl.col("dep") == dep)), dep
        region = selectors.run(rules=rules, region="75", data=shared_inputs)
        assert region.equals(
            national.filter(pl.col("reg") == "75").sort("dep", "rang_dep", "code", nulls_last=True)
        )

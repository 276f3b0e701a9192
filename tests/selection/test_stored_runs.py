"""`pvd selection run --departement D` of the built-in scenario prints a run stored for the data
version (pvd.selection.stored_runs): the same bytes as the run computed, the rows of the
national run for D, and never a run of older data, another database or other options."""

from __future__ import annotations

import polars as pl
import pytest
from click.testing import CliRunner

from pvd import caching
from pvd.cli import main
from pvd.domain.eligibility import Rules
from pvd.selection import selectors, stored_runs


def _run(*args: str):
    r = CliRunner().invoke(main, ["selection", "run", *args])
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture
def with_fragility(shared_inputs, monkeypatch):
    """Inputs with fragility indicators (eligible communes, ranks, explanations)."""
    monkeypatch.setattr(selectors, "inputs", lambda: shared_inputs)


def test_prebuilt_runs_are_the_national_runs_rows(with_fragility):
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None) is None
    count = stored_runs.prebuild()
    assert count >= 100
    national = selectors.run(rules=Rules())
    eligible_rows = 0
    for dep in ("63", "24", "2A", "971"):
        expected = national.filter(pl.col("dep") == dep)
        for eligibles in (False, True):
            run = stored_runs.lookup(departement=dep, eligibles=eligibles, centralite_source=None)
            frame = expected.filter(pl.col("eligible")) if eligibles else expected
            assert run.csv == frame.select(selectors.EXPORT_COLUMNS).write_csv()
            assert run.rows == frame.height
            assert run.eligibles == frame.get_column("eligible").sum()
            assert run.resume == selectors.centrality_used(frame, Rules())["resume"]
        assert run.rows < expected.height
        eligible_rows += run.rows
    assert eligible_rows > 0
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None).rows == 463


def test_command_prints_the_stored_run_as_it_printed_the_computed_one(with_fragility, tmp_path):
    for args in (("--departement", "63"), ("--departement", "24", "--eligibles")):
        computed = _run(*args)  # nothing stored: computed, then stored
        dep = args[1]
        assert stored_runs.lookup(
            departement=dep, eligibles="--eligibles" in args, centralite_source=None
        )
        printed = _run(*args)  # stored
        assert printed.stdout == computed.stdout
        assert printed.stderr == computed.stderr
        assert computed.stdout.count("\n") > 10
    # to a file: the same bytes and message
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    caching.bump_data_version()
    computed = _run("--departement", "24", "-o", str(a))
    printed = _run("--departement", "24", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()
    assert printed.stderr == computed.stderr.replace("a.csv", "b.csv")
    assert f"{len(a.read_text().splitlines()) - 1} communes écrites" in printed.stderr


def test_stored_run_not_read_after_a_change_or_for_other_options(db, monkeypatch, tmp_path):
    from django.conf import settings

    _run("--departement", "63")
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None)
    for other in (
        dict(departement="24", eligibles=False, centralite_source=None),
        dict(departement="63", eligibles=False, centralite_source="estimation"),
    ):
        assert stored_runs.lookup(**other) is None
    with monkeypatch.context() as m:  # another database, the same data dir
        m.setitem(settings.DATABASES["default"], "NAME", "autre")
        assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None) is None
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None)
    with monkeypatch.context() as m:  # a SQLite file deleted, or deleted and made again
        db = settings.DATABASES["default"]
        m.setitem(db, "ENGINE", "django.db.backends.sqlite3")
        m.setitem(db, "NAME", str(tmp_path / "pvd.sqlite3"))
        slot = stored_runs.Slot.current("63", None)
        assert slot.version is None and slot.get(False) is None
        (tmp_path / "pvd.sqlite3").write_bytes(b"")
        first = stored_runs.Slot.current("63", None)
        (tmp_path / "pvd.sqlite3").rename(tmp_path / "old.sqlite3")
        (tmp_path / "pvd.sqlite3").write_bytes(b"")
        assert first.key(False) != stored_runs.Slot.current("63", None).key(False)
    caching.bump_data_version()  # an import or a build
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None) is None
    # a run computed while an import replaces the version is stored under the version read first
    slot = stored_runs.Slot.current("24", None)
    caching.bump_data_version()
    slot.put(selectors.run(rules=Rules(), departement="24"), Rules())
    assert slot.get(False) is not None
    assert stored_runs.lookup(departement="24", eligibles=False, centralite_source=None) is None
    stored_runs.code_fingerprint.cache_clear()
    assert stored_runs.code_fingerprint() == stored_runs.code_fingerprint()


def test_other_scenarios_and_regions_are_computed(db):
    _run("--departement", "63", "--region", "84")
    _run("--scenario", "pvd", "--region", "84")
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None) is None


def test_nothing_stored_when_the_cache_keeps_nothing(db, monkeypatch):
    """PVD_CACHE=none: no version tells a change, every run is computed."""
    with monkeypatch.context() as m:
        m.setattr(caching, "data_version", lambda: caching.UNCACHED)
        assert stored_runs.prebuild() == 0
        assert _run("--departement", "63").stdout.count("\n") == 464
    assert stored_runs.lookup(departement="63", eligibles=False, centralite_source=None) is None

"""`pvd outcomes show` prints from forms stored without frames (pvd.outcomes.stored, issue 17):
each stored part equals what the analysis' report functions give, holds only plain Python values
(reading it back imports neither polars nor numpy), and a second command reads it instead of the
analysis."""

from __future__ import annotations

import pickle

from click.testing import CliRunner

from pvd.cli import main

PLAIN = (dict, list, tuple, str, int, float, bool, type(None))


def _leaves(x):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from _leaves(k)
            yield from _leaves(v)
    elif isinstance(x, list | tuple):
        for v in x:
            yield from _leaves(v)
    else:
        yield x


def _parts(s):
    return [s.france, s.breakdowns, s.placebo, s.design, s.balance, s.provenance, s.source_rows]


def test_the_summary_is_what_the_report_gives(c):
    from pvd.domain.outcomes import DIMENSIONS
    from pvd.outcomes import report

    s = pickle.loads(pickle.dumps(report.summary_of(c)))
    assert s.available and s.dimensions == tuple(DIMENSIONS)
    assert s.france == report.summary(c)
    assert s.placebo == report.placebo(c) and s.design == report.design(c)
    assert s.balance == report.balance(c) and s.provenance == report.provenance(c)
    assert s.source_rows == report.source_rows(c)
    groups = 0
    for dim in DIMENSIONS:
        assert s.breakdowns[dim] == report.breakdown(c, dim)
        for value in c.outcomes.breakdowns.get(dim, {}):
            assert s.group(dim, value) == report.summary(c, dim, value)
            groups += 1
        assert s.group(dim, "nulle-part") is None
    assert groups > 10
    assert {type(x) for part in _parts(s) for x in _leaves(part)} <= set(PLAIN)


def test_a_second_show_reads_the_stored_forms_only(c, monkeypatch):
    from pvd.outcomes import report, services

    runner = CliRunner()
    code = c.outcomes.matching.pairs.get_column("laureat")[0]
    argvs = [
        ["outcomes", "show", "--scope", "region", "--format", "json"],
        ["outcomes", "show"],
        ["outcomes", "show", "--scope", f"commune:{code}", "--format", "json"],
    ]
    first = [runner.invoke(main, argv) for argv in argvs]
    assert [r.exit_code for r in first] == [0, 0, 0]
    assert f'"code": "{code}"' in first[2].stdout and '"role": "laureat"' in first[2].stdout

    def no_analysis(*args, **kwargs):
        raise AssertionError("the analysis was read again")

    # What a second command calls is the stored forms' reader (stored.get) alone.
    for name in ("stored_summary", "stored_town", "summary_of", "town"):
        monkeypatch.setattr(report, name, no_analysis)
    monkeypatch.setattr(services, "outcomes_compute", no_analysis)
    again = [runner.invoke(main, argv) for argv in argvs]
    assert [(r.exit_code, r.stdout) for r in again] == [(r.exit_code, r.stdout) for r in first]


def test_compute_stores_a_new_summary(c):
    from pvd.outcomes import stored

    runner = CliRunner()
    assert runner.invoke(main, ["outcomes", "show"]).exit_code == 0
    before = stored.get("summary")
    assert runner.invoke(main, ["outcomes", "compute"]).exit_code == 0
    after = stored.get("summary")
    assert after.token != before.token and after.france == before.france

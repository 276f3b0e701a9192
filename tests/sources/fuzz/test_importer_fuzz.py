"""Importer fuzzing, CI sample: 15 generated cases per importer (every mutation family first),
run through the real commands; the full run (200 per importer) is bench/fuzz_importers.py.

Each case must end as classified: valid variants accepted, bad files refused with a one-line
French message naming the file (and the line when the case knows it), exit 1, no traceback,
the touched tables unchanged (row counts and column sums;
the bench compares every row); row issues of the laureate and ORT lists
reported with their line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import importer_fuzz as fz  # noqa: E402

pytestmark = pytest.mark.heavy


def test_every_import_command_is_fuzzed():
    from pvd import cli

    commands = {
        " ".join(imp.argv[:2]) if imp.argv[0] != "indicators" else "indicators import"
        for imp in fz.IMPORTERS
    }
    found = set()
    for group_name, group in cli.main.commands.items():
        for name in getattr(group, "commands", {}):
            if name.startswith("import"):
                found.add(f"{group_name} {name}")
    assert found == commands
    assert {i.name.removeprefix("indicators-") for i in fz.IMPORTERS} >= {
        "historique", "logement", "ages", "emploi", "filosofi", "bpe", "naf", "finances"
    }  # fmt: skip


def test_cases_are_deterministic_and_numerous():
    for imp in fz.IMPORTERS:
        made = fz.cases(imp)
        assert len(made) == 200, imp.name
        assert [c.family for c in made] == [c.family for c in fz.cases(imp)]
        assert {c.expect for c in made} >= {fz.ACCEPT, fz.REFUSE}


@pytest.mark.parametrize("name", [i.name for i in fz.IMPORTERS])
def test_fuzz_sample(name, db, tmp_path):
    imp = fz.BY_NAME[name]
    tally = fz.Tally()
    baseline: dict[str, str] = {}
    for case in fz.sample(imp, 15):
        tally.add(fz.run_case(case, tmp_path, baseline, exact=False))
    assert tally.cases == 15
    failures = [
        f"#{o.case.number} {o.case.family} ({o.case.expect}) -> {o.verdict}: {o.detail}"
        for o in tally.failures
    ]
    assert not failures, "\n".join(failures)

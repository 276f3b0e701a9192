"""Read-only commands start light (issue 17: < 0.5 s whole process): each runs in a new Python
process and the modules it imported are checked. A heavy library (polars, numpy, weasyprint,
the API's pydantic and ninja...) or another app's models imported at start by a command that does
not use them fails here, so that a module-level import added later does not silently bring the
start back to a second.

The database is a fresh SQLite file (not migrated): every command starts Django, imports what it
needs, then stops on the missing tables with its message; what it imported up to there is what
a real run imports before its queries.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Imported by none of the commands below (each is used, when at all, by the commands that compute).
HEAVY = (
    "polars",
    "numpy",
    "weasyprint",
    "jinja2",
    "httpx",
    "pydantic",
    "ninja",
    "sklearn",
    "openpyxl",
    "django.contrib.admin",
)


def _imported_after(argv: list[str], tmp_path) -> tuple[set[str], subprocess.CompletedProcess]:
    code = (
        "import sys\n"
        "from pvd.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except (SystemExit, Exception):\n"  # the missing tables: what was imported is known
        "    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    environ = {**os.environ, "PVD_DATA_DIR": str(tmp_path)}
    environ.pop("DATABASE_URL", None)  # a fresh SQLite file in tmp_path, on both CI databases
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("MODULES ")]
    assert line, out.stdout + out.stderr
    return set(line[-1].split()[1:]), out


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY))


@pytest.mark.parametrize(
    "argv",
    [
        ["communes", "search", "--help"],
        ["communes", "search", "Paris"],
        ["config"],
        ["data", "sources"],
        ["network", "events", "list"],
        ["network", "export", "annuaire"],
        ["programme", "check", "201 communes de Nouvelle-Aquitaine"],
        ["selection", "scenarios"],
    ],
)
def test_a_read_only_command_imports_no_heavy_module(tmp_path, argv):
    modules, _ = _imported_after(argv, tmp_path)
    assert _heavy(modules) == []


def test_communes_search_starts_the_referential_app_only(tmp_path):
    modules, out = _imported_after(["communes", "search", "Paris"], tmp_path)
    assert "lancez `pvd data load` ou `pvd manage migrate`" in out.stderr  # it did start Django
    assert "pvd.territories.models" in modules
    other_apps = ("programme", "network", "projects", "selection", "diagnostics", "outcomes")
    started = sorted(m for m in modules if m.endswith(".models") and m.split(".")[1] in other_apps)
    assert started == []
    assert "django.contrib.auth.models" not in modules


def test_programme_check_starts_the_registry_apps_only(tmp_path):
    modules, out = _imported_after(["programme", "check", "201 communes"], tmp_path)
    assert "pvd.programme.models" in modules
    assert not {"pvd.network.models", "pvd.projects.models", "pvd.selection.models"} & modules


def test_selection_scenarios_starts_the_selection_apps_only(tmp_path):
    modules, _ = _imported_after(["selection", "scenarios"], tmp_path)
    assert "pvd.selection.models" in modules
    assert not {"pvd.network.models", "pvd.projects.models", "pvd.programme.models"} & modules


# A stored summary (what `pvd outcomes compute` or a first `show` leaves in the shared cache),
# written by hand in the fresh data dir: `show` prints it without the analysis' modules.
_ROW = {
    "perimetre": "departement:23", "libelle": "Creuse", "laureats": 21, "comparables": 55,
    "variation_laureats": -1.5, "variation_comparables": -0.5, "effet": -1.0,
    "intervalle": [-3.25, 1.25], "significatif": False, "effet_par_an": -0.25, "lecture": "Texte.",
}  # fmt: skip
_STORE_SUMMARY = (
    "from pvd.cli.helpers import setup_django\n"
    "setup_django(read_only=True)\n"
    "from django.db import connection\n"
    "connection.ensure_connection()\n"  # the SQLite file: part of the stored forms' key
    "from pvd.outcomes import stored\n"
    "stored.put(('summary',), stored.Summary(available=True, reason='', token='t', "
    f"dimensions=('departement',), breakdowns={{'departement': [{_ROW!r}]}}, "
    "source_rows=[[], ['Source : essai']]))\n"
)


def _store_in_fresh_dir(tmp_path, script: str) -> None:
    """Run ``script`` (what an earlier command stores) with ``tmp_path`` as the data dir."""
    environ = {**os.environ, "PVD_DATA_DIR": str(tmp_path)}
    environ.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environ)
    assert done.returncode == 0, done.stderr


def test_outcomes_show_prints_its_stored_summary_without_the_analysis(tmp_path):
    _store_in_fresh_dir(tmp_path, _STORE_SUMMARY)
    modules, out = _imported_after(["outcomes", "show", "--scope", "departement:23"], tmp_path)
    assert "departement:23,Creuse,21,55,-1.5,-0.5,-1.0,-3.25,1.25,false,-0.25,Texte.\n" in out.stdout
    assert "Source : essai" in out.stdout
    assert _heavy(modules) == []
    assert not any(m.startswith(("pvd.domain.outcomes", "pvd.outcomes.report")) for m in modules)
    assert not [m for m in modules if m.endswith(".models")]  # no app started: settings, cache


# The check's context (what `programme check` stores after reading the registry), written by
# hand: 22 laureates in the Creuse, in a fresh data dir.
_STORE_CHECK_CONTEXT = (
    "from pvd.cli.helpers import setup_django\n"
    "setup_django(read_only=True)\n"
    "from django.db import connection\n"
    "connection.ensure_connection()\n"
    "from pvd.domain import claims\n"
    "from pvd.domain.programme import LaureateFacts\n"
    "from pvd.programme import stored_check\n"
    "rows = [LaureateFacts(f'23{i:03d}', f'C{i}', '23', '75', 1000) for i in range(22)]\n"
    "t = claims.Territories({'75': 'Nouvelle-Aquitaine'}, {'23': 'Creuse'},\n"
    "    region_of={'23': '75'})\n"
    "context = stored_check.Context(claims.Registry(rows, t), [], 'essai')\n"
    "stored_check.put(stored_check.key('pvd'), context)\n"
)


def test_programme_check_reads_its_stored_context_without_starting_django(tmp_path):
    _store_in_fresh_dir(tmp_path, _STORE_CHECK_CONTEXT)
    modules, out = _imported_after(["programme", "check", "22 communes dans la Creuse"], tmp_path)
    assert "[OK ] 1. 22 communes — département Creuse (23)" in out.stdout
    assert "Source : essai" in out.stdout
    assert _heavy(modules) == []
    assert not [m for m in modules if m.endswith(".models")]  # no app started: settings, cache


def test_the_check_itself_fails_on_a_heavy_import(tmp_path):
    """The check can fail: a command that imports polars is reported."""
    modules, _ = _imported_after(["indicators", "list"], tmp_path)
    assert "polars" in _heavy(modules)  # the catalogue's formulas are polars expressions

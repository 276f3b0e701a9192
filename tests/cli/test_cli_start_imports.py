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


def test_the_check_itself_fails_on_a_heavy_import(tmp_path):
    """The check can fail: a command that imports polars is reported."""
    modules, _ = _imported_after(["indicators", "list"], tmp_path)
    assert "polars" in _heavy(modules)  # the catalogue's formulas are polars expressions

"""Everything a user or an operator can meet is documented (issue 19):

- every indicator has a definition (label, formula, unit, vintage, licence) and a source that is
  a dataset the platform knows (a catalogue entry, or the embedded referential);
- every setting with a help text (``settings.SETTINGS_HELP``) is in the README's configuration
  table, and every ``PVD_*`` environment variable read in ``src/`` has a help text;
- every command of ``pvd`` (walked from the root group) has a help line and is mentioned in the
  README as ``pvd <group> <command>``;
- ``pvd config`` shows every setting with its help text;
- every file contract (``pvd.sources.contracts``) says what the file is and, when the file has a
  catalogue entry, the columns it requires are the ones ``pvd data sources`` documents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from django.conf import settings

from pvd.domain.indicators.catalogue import DIRECTIONS, THEMES, indicators
from pvd.sources import catalogue as sources_catalogue
from pvd.sources.contracts import CONTRACTS
from pvd.sources.indicator_inputs import REFERENTIAL_SOURCE

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pvd"
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("indicator", indicators(), ids=lambda i: i.id)
def test_every_indicator_has_a_definition_and_a_source(indicator):
    assert indicator.label.strip() and indicator.unit.strip()
    assert len(indicator.formula.strip()) >= 20, "the formula says how the figure is computed"
    assert indicator.theme in THEMES and indicator.direction in DIRECTIONS
    assert indicator.vintage.strip() and indicator.licence.strip()
    assert indicator.inputs, "the observation variables it reads"
    known = indicator.source == REFERENTIAL_SOURCE or sources_catalogue.get(indicator.source)
    assert known, f"{indicator.id}: source {indicator.source!r} is not in the sources catalogue"


def test_the_indicator_catalogue_is_not_empty():
    assert len(indicators()) >= 40


def _readme_setting_rows() -> set[str]:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


@pytest.mark.parametrize("name", sorted(settings.SETTINGS_HELP))
def test_every_setting_has_a_help_text_and_a_readme_row(name):
    assert len(settings.SETTINGS_HELP[name].strip()) >= 10
    assert name in _readme_setting_rows(), f"{name}: add a row to the README's Configuration"


def _env_variables_read_in_src() -> dict[str, str]:
    """``PVD_*`` names written as string literals in the Python sources (the settings read them
    with ``os.environ``/``_env_*``; a name in a message is quoted the same way, and is then a
    setting too)."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"[\"'](PVD_[A-Z0-9_]+)[\"']", text):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_environment_variable_read_has_a_help_text():
    read = _env_variables_read_in_src()
    assert "PVD_DATA_DIR" in read and "PVD_CACHE" in read  # the scan sees the settings
    missing = {name: where for name, where in read.items() if name not in settings.SETTINGS_HELP}
    assert not missing, f"PVD_* variables without a SETTINGS_HELP entry: {missing}"


def _commands():
    from pvd.cli import main

    ctx = click.Context(main)

    def walk(command, path):
        if path:
            yield path, command
        if isinstance(command, click.Group):  # through click's API: the root loads lazily
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])

    return list(walk(main, []))


def test_the_command_tree_is_walked():
    paths = {" ".join(path) for path, _ in _commands()}
    assert {"serve", "data load", "data sources", "indicators list"} <= paths
    assert len(paths) >= 30


@pytest.mark.parametrize(
    ("path", "command"), _commands(), ids=["-".join(path) for path, _ in _commands()]
)
def test_every_command_has_a_help_line_and_a_readme_mention(path, command):
    full = "pvd " + " ".join(path)
    assert command.get_short_help_str(limit=200).strip(), f"{full}: no help line"
    if command.hidden:
        return
    assert re.search(re.escape(full) + r"(?![\w-])", README), f"{full}: not mentioned in README"


def test_pvd_config_shows_every_setting_with_its_help_text():
    from click.testing import CliRunner

    from pvd.cli import main

    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0, result.output
    for name, help_text in settings.SETTINGS_HELP.items():
        assert f"{name} = " in result.output, name
        assert help_text in result.output, name
    shown = json.loads(CliRunner().invoke(main, ["config", "--json"]).output)
    assert {row["name"]: row["help"] for row in shown} == dict(settings.SETTINGS_HELP)


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_file_contract_is_documented(name):
    contract = CONTRACTS[name]
    assert contract.file.strip() and contract.layout.strip()
    if not contract.source:
        return
    source = sources_catalogue.get(contract.source)
    assert source, f"{name}: catalogue entry {contract.source!r} unknown"
    required = {c.name for c in contract.columns if c.required}
    assert required <= set(source.layout.columns), (
        f"{name}: the catalogue entry {contract.source} does not list {required - set(source.layout.columns)}"
    )

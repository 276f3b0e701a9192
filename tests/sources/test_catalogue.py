"""The catalogue of official sources, and the `pvd data sources` / `pvd data fetch` commands."""

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from django.conf import settings as django_settings

from pvd import cli
from pvd.sources import catalogue
from pvd.sources.fetch import make_client

REQUIRED = [
    "insee-cog-communes-2026",
    "insee-cog-departements-2026",
    "insee-cog-regions-2026",
    "insee-cog-mouvements-2026",
    "insee-populations-2023",
    "insee-series-historiques-2022",
    "insee-filosofi-2021",
    "insee-bpe-2024",
    "anct-pvd-communes",
    "npm-decoupage-administratif-6.0.0",
]


def test_required_sources_are_declared_with_their_contract():
    for name in REQUIRED:
        source = catalogue.get(name)
        assert source is not None, name
        assert source.title and source.publisher and source.licence and source.vintage
        assert source.page.startswith("https://")
        assert source.url is None or source.url.startswith("https://")
        assert source.url is not None or "non confirmée" in source.notes
        assert source.layout.format


def test_cog_files_match_the_official_layout():
    communes = catalogue.get("insee-cog-communes-2026")
    assert communes.url == "https://www.insee.fr/fr/statistiques/fichier/8740222/v_commune_2026.csv"
    assert communes.layout.separator == "," and communes.layout.columns[:2] == ("TYPECOM", "COM")
    assert communes.import_hint("/tmp/v.csv") == "pvd data import-cog /tmp/v.csv"


def test_npm_digests_are_those_of_the_embedded_snapshot():
    manifest = json.loads((Path(django_settings.SNAPSHOT_DIR) / "manifest.json").read_text())
    for package in manifest["sources"]:
        source = catalogue.get(f"npm-decoupage-administratif-{package['version']}")
        assert source.sha256 == package["sha256"]


def test_import_commands_exist():
    commands = set(cli.main.get_command(None, "data").commands)
    for source in catalogue.sources():
        if source.import_command and source.import_command.startswith("pvd data "):
            assert source.import_command.split()[2] in commands, source.name


def test_names_are_unique():
    with pytest.raises(ValueError):
        catalogue.register(catalogue.get("insee-bpe-2024"))


def test_sources_command_lists_them_as_a_table_and_as_json():
    runner = CliRunner()
    table = runner.invoke(cli.main, ["data", "sources"])
    assert table.exit_code == 0
    assert "insee-cog-communes-2026" in table.output and "pvd data import-cog" in table.output
    listed = runner.invoke(cli.main, ["data", "sources", "--json"])
    entries = json.loads(listed.output)
    assert {e["name"] for e in entries} >= set(REQUIRED)
    cog = next(e for e in entries if e["name"] == "insee-cog-communes-2026")
    assert cog["layout"]["columns"][-1] == "COMPARENT" and cog["licence"]


def test_fetch_unknown_name_exits_2_with_the_names():
    result = CliRunner().invoke(cli.main, ["data", "fetch", "inconnue"])
    assert result.exit_code == 2
    assert "source inconnue" in result.stderr and "insee-cog-communes-2026" in result.stderr


@pytest.fixture
def mock_network(monkeypatch):
    """Make `pvd data fetch` use a mock transport; returns a setter for the handler."""
    state = {}

    def fake_make_client(**kwargs):
        return httpx.Client(transport=httpx.MockTransport(state["handler"]))

    monkeypatch.setattr("pvd.sources.fetch.make_client", fake_make_client)
    return lambda handler: state.update(handler=handler)


def test_fetch_offline_fails_with_exit_1_and_the_manual_procedure(mock_network, tmp_path, settings):
    settings.CACHE_DIR = tmp_path

    def offline(request):
        raise httpx.ConnectError("[Errno -2] Name or service not known")

    mock_network(offline)
    result = CliRunner().invoke(cli.main, ["data", "fetch", "insee-cog-communes-2026"])
    assert result.exit_code == 1
    target = tmp_path / "insee-cog-communes-2026" / "v_commune_2026.csv"
    assert "pas de réseau" in result.stderr
    assert (
        "https://www.insee.fr/fr/statistiques/fichier/8740222/v_commune_2026.csv" in result.stderr
    )
    assert str(target) in result.stderr and f"pvd data import-cog {target}" in result.stderr
    assert result.stdout == ""


def test_fetch_success_prints_where_and_how_to_import(mock_network, tmp_path, settings):
    settings.CACHE_DIR = tmp_path
    mock_network(lambda request: httpx.Response(200, content=b"REG,CHEFLIEU\n"))
    result = CliRunner().invoke(cli.main, ["data", "fetch", "insee-cog-regions-2026"])
    assert result.exit_code == 0, result.stderr
    assert "téléchargé" in result.stdout and "pvd data import-cog" in result.stdout
    assert (tmp_path / "insee-cog-regions-2026" / "v_region_2026.csv").read_bytes() == (
        b"REG,CHEFLIEU\n"
    )


def test_default_client_has_a_short_connect_timeout_and_no_retries():
    with make_client() as client:
        assert client.timeout.connect == 5.0
        assert client.follow_redirects

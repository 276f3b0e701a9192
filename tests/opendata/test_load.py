"""`pvd data load` on the real embedded open data (no shared folder needed): every module has
its data afterwards, a second load changes nothing, newer imported data is never overwritten.

The load runs once for the module (about a minute) inside a transaction rolled back at its end,
so the rest of the suite keeps its empty registry."""

from __future__ import annotations

import gzip
import shutil

import polars as pl
import pytest
from django.db import transaction

from pvd.opendata.load import load_product, opendata_load
from pvd.opendata.manifest import OPENDATA_DIR, PRODUCTS, checked_bytes, read_manifest
from pvd.sources.report import SourceError

MONT_DORE = "63236"  # "Mont-Dore" (Puy-de-Dôme) in the referential; 98817 is Le Mont-Dore (NC)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    lines: list[str] = []
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                report = opendata_load(progress=lines.append, fit=False)
                yield report, lines
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def load(loaded, db):
    return loaded


def _product(file: str):
    return next(p for p in PRODUCTS if p.file == file)


def test_progress_one_line_per_step_with_duration(load):
    report, lines = load
    assert len(lines) == len(report.steps) == len(PRODUCTS) + 2  # referential + build
    assert lines[0].startswith("[ 1/") and "Référentiel territorial" in lines[0]
    assert all(" s)" in line for line in lines)
    # Skipped rows are counted on the line, the importer's whole report names them.
    early = next(s for s in report.steps if s.label == "Lauréats PVD, liste de janvier 2021")
    if early.status == "chargé":
        assert "1 lignes ignorées" in early.detail
        assert any("999999" in line for line in early.report)
    labels = [s.label for s in report.steps]
    # Dependency order: indicator inputs, build, laureates 2021 then 2024, ACV, ORT.
    assert (
        labels.index("Calcul des indicateurs")
        < labels.index("Lauréats PVD, liste de janvier 2021")
        < labels.index("Lauréats PVD, état 2024")
        < labels.index("ORT, tableau de suivi 2024")
    )


def test_mont_dore_portrait_has_housing_income_facilities_and_centrality(load):
    from pvd.diagnostics.selectors import portrait
    from pvd.selection import selectors as sel
    from pvd.territories.models import Commune

    commune = Commune.objects.get(code=MONT_DORE, type="COM")
    values = {f.indicator.id: f.value for f in portrait(commune=commune).figures}
    assert values["logements"] == 3144  # census 2021, P21_LOG
    assert values["taux_vacance"] is not None
    assert values["revenu_median"] == 21740  # Filosofi 2021, MED21
    assert values["equipements_total"] > 0 and values["pharmacies"] >= 1
    rows = sel.run(rules=sel.scenario_get(slug="pvd").rules, departement="63")
    row = rows.filter(pl.col("code") == MONT_DORE).to_dicts()[0]
    assert row["niveau_officiel"] == "intermediaire" and row["centralite_source"] == "officielle"
    assert row["fragilite"] is not None


def test_national_dashboard_counts_the_2024_list_and_region_84_is_not_covered(load):
    from pvd.programme import dashboards, selectors

    text = gzip.decompress((OPENDATA_DIR / "pvd/pvd-2024-hors-aura.csv.gz").read_bytes())
    rows = text.decode("utf-8").splitlines()[1:]
    pvd = selectors.programme_get(slug="pvd")
    france = dashboards.dashboard(programme=pvd, scope=dashboards.scope_for())
    assert france.laureats == len(rows) == 1419
    assert "Auvergne-Rhône-Alpes" in france.exclusion
    aura = dashboards.dashboard(programme=pvd, scope=dashboards.scope_for(region="84"))
    assert aura.couvert is False and aura.laureats is None


def test_pages_show_the_programme_selection_and_similar_towns(load, client):
    from pvd.diagnostics.selectors import similar_communes
    from pvd.territories.models import Commune

    page = client.get("/programme/pvd/regions/84/")
    assert page.status_code == 200 and "non couvert" in page.content.decode()
    from pvd.selection import selectors as sel

    eligible = sel.run(rules=sel.scenario_get(slug="pvd").rules).filter(pl.col("eligible"))
    assert eligible.height > 500  # 974 with the embedded data
    first = eligible.filter(pl.col("dep") == "63").row(0, named=True)
    results = client.get("/selection/resultats/?scenario=pvd&departement=63")
    assert results.status_code == 200 and first["code"] in results.content.decode()
    assert client.get("/selection/").status_code == 200
    peers = similar_communes(commune=Commune.objects.get(code=MONT_DORE, type="COM"))
    assert len(peers) == 10


def test_second_load_changes_nothing(load):
    report = opendata_load(fit=False)
    assert [s.status for s in report.steps if s.status == "chargé"] == []
    assert {s.status for s in report.steps} <= {"déjà chargé", "ignoré"}


def test_later_laureate_list_imported_first_is_not_overwritten(load, tmp_path):
    from pvd.programme.models import ListeImportee
    from pvd.programme.services import laureates_import
    from pvd.territories.models import Dataset

    product = _product("pvd/pvd-2024-hors-aura.csv.gz")
    lines = gzip.decompress((OPENDATA_DIR / product.file).read_bytes()).decode().splitlines()
    later = tmp_path / "pvd-2025-hors-aura.csv"  # a later official list, Brittany only
    later.write_text("\n".join([lines[0], *(x for x in lines if ",pvd-53-" in x)]) + "\n")
    laureates_import(path=later, millesime="2025")
    Dataset.objects.filter(key=f"opendata:{product.file}").delete()
    before = ListeImportee.objects.count()
    step = load_product(product, read_manifest()[product.file], OPENDATA_DIR, tmp_path)
    assert step.status == "ignoré" and "2025" in step.detail
    assert ListeImportee.objects.count() == before


def test_later_census_imported_first_is_not_overwritten(load, tmp_path):
    from pvd.diagnostics.models import SourceTable
    from pvd.diagnostics.services import indicator_source_import
    from pvd.territories.models import Dataset

    later = tmp_path / "base-cc-logement-2022.csv"
    later.write_text("CODGEO;P22_LOG;P22_RP;P22_RSECOCC;P22_LOGVAC\n63236;3150;700;2320;130\n")
    # One vintage per source: the 2022 file replaces the embedded 2021 one, confirmed.
    indicator_source_import(kind="logement", path=later, confirm=True)
    product = _product("insee/logement-2021-communes.csv.gz")
    Dataset.objects.filter(key=f"opendata:{product.file}").delete()
    step = load_product(product, read_manifest()[product.file], OPENDATA_DIR, tmp_path)
    assert step.status == "ignoré" and "2022" in step.detail
    assert SourceTable.objects.get(kind="logement").millesimes == [2022]


def test_a_file_that_does_not_match_the_manifest_is_not_read(tmp_path):
    copy = tmp_path / "opendata"
    shutil.copytree(OPENDATA_DIR, copy)
    entry = read_manifest(copy)["programmes/acv.csv.gz"]
    assert checked_bytes(copy, entry).startswith(b"insee_com,lib_com,date_signature")
    (copy / entry["file"]).write_bytes(b"\x1f\x8b corrupted")
    with pytest.raises(SourceError, match="somme de contrôle"):
        checked_bytes(copy, entry)


def test_typology_imported_from_another_file_is_kept(load, tmp_path):
    from pvd.selection.models import Typologie
    from pvd.selection.services import typology_import
    from pvd.territories.models import Dataset

    other = tmp_path / "densite-2025.csv"
    other.write_text(
        "insee_com,lib_com,niveau_densite\n63236,Mont-Dore,Bourgs ruraux\n"
        "63113,Clermont-Ferrand,Grands centres urbains\n",
        encoding="utf-8",
    )
    typology_import(path=other)
    product = _product("territoires/densite.csv.gz")
    Dataset.objects.filter(key=f"opendata:{product.file}").delete()
    step = load_product(product, read_manifest()[product.file], OPENDATA_DIR, tmp_path)
    assert step.status == "ignoré" and "autre fichier" in step.detail
    assert Typologie.objects.get(kind="densite").communes == 2


def test_mont_dore_portrait_page_shows_its_typologies_with_sources(load, client):
    """Issue 12: the portrait shows the typology indicators (centrality, density, rurality,
    mountain), each with its source, vintage and licence."""
    html = client.get(f"/communes/{MONT_DORE}/portrait/").content.decode()
    table = html.split('id="table-typologies"', 1)[1].split("</table>", 1)[0]
    assert "centre intermédiaire d&#x27;équipements et de services" in table
    assert "Rural à habitat dispersé" in table and "06 - Massif Central" in table
    assert "Typologie des ruralités" in table and table.count("Licence Ouverte 2.0") == 4
    assert "non disponible" not in table


def test_load_stores_each_departments_selection_run_as_the_command_computes_it(load):
    """The end of a load stores the built-in scenario's run of every department (the official
    centrality and the indicators of the real data): `pvd selection run --departement D` prints
    the same bytes as when it computes the run."""
    from click.testing import CliRunner
    from django.core.cache import cache

    from pvd.cli import main
    from pvd.opendata.load import _warm_selection_inputs
    from pvd.selection import stored_runs

    _warm_selection_inputs()  # as the load's end does (the cache is emptied before each test)
    for dep, options in (("63", []), ("24", ["--eligibles"]), ("971", [])):
        args = ["selection", "run", "--departement", dep, *options]
        assert stored_runs.lookup(departement=dep, eligibles=bool(options), centralite_source=None)
        stored = CliRunner().invoke(main, args)
        assert stored.exit_code == 0, stored.output
        for eligibles in (False, True):
            cache.delete(stored_runs._key(dep, eligibles, None))
        computed = CliRunner().invoke(main, args)
        assert (computed.stdout, computed.stderr) == (stored.stdout, stored.stderr)
        assert computed.stdout.count("\n") > 10

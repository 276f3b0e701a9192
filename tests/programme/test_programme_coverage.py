"""Coverage of the registry's lists: a list only changes the territories it covers, the dry
run says what it covers and what would end, and every figure outside the loaded lists'
coverage reads "non couvert" (never 0). ORT: the "Signée ?" column decides."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date

import pytest
from click.testing import CliRunner
from django.test import Client

from pvd.programme import selectors
from pvd.programme.models import Laureat, ListeImportee, Ort
from pvd.programme.services import laureates_import, ort_import
from pvd.sources.ort_list import read_ort_list, status_date_mismatch
from pvd.sources.report import ConfirmationRequired, SourceError


def _active_by_region(programme) -> Counter:
    return Counter(
        Laureat.objects.filter(programme=programme, statut="actif").values_list(
            "commune__region_id", flat=True
        )
    )


def _write_list(path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


# --- Imports within the coverage (fixtures) -------------------------------------------------


def test_one_region_list_leaves_the_other_regions_untouched(pvd, data_dir, tmp_path):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    before = _active_by_region(pvd)
    assert before == {"75": 6, "01": 1}
    # A Nouvelle-Aquitaine list without Aigre (16005): Aigre leaves, Guadeloupe stays.
    rows = [
        {"insee_com": c, "lib_com": n}
        for c, n in [("23001", "Ahun"), ("23176", "La Souterraine"), ("19275", "Ussel")]
        + [("23067", "La Courtine"), ("16393", "La Boixe")]
    ]
    _write_list(tmp_path / "pvd-2024-naq.csv", rows)
    dry = laureates_import(path=tmp_path / "pvd-2024-naq.csv", programme_slug="pvd", dry_run=True)
    text = "\n".join(dry.lines())
    assert "périmètre couvert (déduit des lignes) : 1 région(s) : 75 Nouvelle-Aquitaine" in text
    assert "lauréats qui sortiraient du programme : 1 (par région : 75 : 1)" in text
    assert "hors périmètre, laissés inchangés : 1" in text
    assert _active_by_region(pvd) == before  # dry run: nothing written
    assert "lauréats qui sortiraient du programme, par nom" in text
    assert "    - Aigre (16005)" in text
    # Ending a laureate needs a confirmation: refused (nothing written), then confirmed.
    with pytest.raises(ConfirmationRequired, match="Aigre \\(16005\\)"):
        laureates_import(path=tmp_path / "pvd-2024-naq.csv", programme_slug="pvd")
    assert _active_by_region(pvd) == before
    report = laureates_import(
        path=tmp_path / "pvd-2024-naq.csv", programme_slug="pvd", confirm=True
    )
    assert report.ended_by_region == {"75": 1} and report.outside_kept == 1
    assert _active_by_region(pvd) == {"75": 5, "01": 1}
    assert Laureat.objects.get(programme=pvd, commune__code="16005").statut == "sorti"
    # Idempotent: the same file again changes nothing and records no new list.
    lists = ListeImportee.objects.count()
    again = laureates_import(path=tmp_path / "pvd-2024-naq.csv", programme_slug="pvd")
    assert not again.changed and ListeImportee.objects.count() == lists
    liste = ListeImportee.objects.filter(fichier="pvd-2024-naq.csv").get()
    assert liste.regions == ["75"] and liste.mode == "deduit" and liste.millesime == "2024"


def test_national_flag_ends_laureates_everywhere(pvd, data_dir, tmp_path):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    _write_list(tmp_path / "naq.csv", [{"insee_com": "23001", "lib_com": "Ahun"}])
    dry = laureates_import(
        path=tmp_path / "naq.csv", programme_slug="pvd", national=True, dry_run=True
    )
    assert dry.ended_by_region == {"75": 5, "01": 1}
    text = "\n".join(dry.lines())
    assert "national (toutes les régions)" in text
    assert "qui sortiraient du programme : 6 (par région : 01 : 1, 75 : 5)" in text
    laureates_import(path=tmp_path / "naq.csv", programme_slug="pvd", national=True, confirm=True)
    assert _active_by_region(pvd) == {"75": 1}
    assert selectors.registry_coverage(pvd).national


def test_stated_perimetre(pvd, data_dir):
    # Only Creuse (23): rows elsewhere are reported and skipped; nothing outside 23 changes.
    report = laureates_import(
        path=data_dir / "pvd-datagouv.csv", programme_slug="pvd", perimetre="dep:23"
    )
    outside = [i for i in report.issues if i.code == "outside-coverage"]
    assert {i.commune for i in outside} == {"16005", "16226", "19275", "97105"}
    assert set(Laureat.objects.values_list("commune__code", flat=True)) == {
        "23001",
        "23176",
        "23067",
    }
    assert "1 département(s) : 23" in "\n".join(report.lines())
    coverage = selectors.registry_coverage(pvd)
    assert coverage.covers_departement("23", "75") and not coverage.covers_departement("19", "75")
    with pytest.raises(SourceError, match="région « 99 » inconnue"):
        laureates_import(
            path=data_dir / "pvd-datagouv.csv", programme_slug="pvd", perimetre="reg:99"
        )


# --- ORT: the "Signée ?" column decides -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "signature", "date_signature", "mismatch"),
    [
        ("23001", "signee", date(2022, 10, 18), ""),
        ("23176", "non_signee", date(2023, 5, 2), "« Non signée » mais date"),
        ("16005", "en_cours", date(2023, 6, 1), "« En cours » mais date"),
        ("19275", "signee", None, "« Signée » sans date"),
        ("23067", "inconnu", date(2024, 1, 10), "état non renseigné mais date"),
        ("16393", "non_signee", None, ""),
    ],
)
def test_ort_status_column(data_dir, code, signature, date_signature, mismatch):
    row = next(r for r in read_ort_list(data_dir / "ort-statuts.csv").rows if r.code == code)
    assert (row.signature, row.date_signature) == (signature, date_signature)
    assert (mismatch in row.status_date_mismatch) if mismatch else not row.status_date_mismatch


def test_status_date_mismatch_wording():
    assert status_date_mismatch("signee", "Signée", date(2020, 1, 2)) == ""
    assert "21/12/2023" in status_date_mismatch("inconnu", "", date(2023, 12, 21))


def test_ort_import_counts_only_signed(pvd, data_dir):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    report = ort_import(path=data_dir / "ort-statuts.csv")
    assert report.issue_counts()["status-date-mismatch"] == 4
    assert "état « Signée ? » et date de signature en désaccord : 4" in "\n".join(report.lines())
    cadre = dict(
        Laureat.objects.filter(programme=pvd).values_list("commune__code", "date_convention_cadre")
    )
    # Only Ahun gets a date: "Non signée"/"En cours"/no status with a date are not signed.
    assert {c for c, d in cadre.items() if d} == {"23001"}
    assert Ort.objects.get(commune__code="23176").date_signature == date(2023, 5, 2)
    # Ussel is signed without a date: counted as a convention-cadre, date unknown.
    board = selectors.dashboard(programme=pvd, scope=selectors.Scope("france"))
    assert board.cycle.convention_cadre == 2
    ussel = next(f for f in selectors.laureate_facts(pvd) if f.code == "19275")
    assert ussel.ort_signee and ussel.date_convention_cadre is None


def test_ort_reimport_withdraws_dates_it_gave_to_unsigned(pvd, data_dir, tmp_path):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    lau = Laureat.objects.get(programme=pvd, commune__code="23176")
    lau.date_convention_cadre = date(2023, 5, 2)  # what the old importer copied
    lau.save()
    ort_import(path=data_dir / "ort-statuts.csv")
    lau.refresh_from_db()
    assert lau.date_convention_cadre is None


# --- "Non couvert" everywhere a registry figure shows ----------------------------------------


def test_nothing_loaded_every_region_is_not_covered(pvd):
    board = selectors.dashboard(programme=pvd, scope=selectors.Scope("france"))
    assert not board.couvert and board.laureats is None
    assert all(not r.couvert and r.laureats is None for r in board.breakdown)
    html = Client().get("/programme/pvd/regions/75/").content.decode()
    assert "Non couvert : donnée non disponible" in html
    api = Client().get("/api/v1/programmes/pvd/tableau-de-bord").json()
    assert api["couvert"] is False and api["communes_laureates"] is None
    assert all(d["couvert"] is False and d["communes_laureates"] is None for d in api["detail"])
    from pvd.cli import main

    out = CliRunner().invoke(main, ["programme", "check", "6 communes in region 75"])
    assert out.exit_code == 3 and "Non vérifiable" in out.output


def test_shared_lists_leave_region_84_not_covered(db, shared_data):
    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    ort_import(path=shared_data / "programmes" / "ort-2024-hors-aura.csv")
    pvd = selectors.programme_get(slug="pvd")
    client = Client()
    # Dashboards: France says what it leaves out; region 84 and its departments: no figure.
    html = client.get("/programme/pvd/").content.decode()
    assert "hors Auvergne-Rhône-Alpes (non couverte par les listes chargées)" in html
    assert "url(#pvd-non-couvert)" in html and "non couvert par les listes chargées" in html
    for url in ("/programme/pvd/regions/84/", "/programme/pvd/departements/63/"):
        html = client.get(url).content.decode()
        assert "Non couvert : donnée non disponible" in html, url
    board = selectors.dashboard(programme=pvd, scope=selectors.Scope("france"))
    ara = next(r for r in board.breakdown if r.code == "84")
    assert ara.laureats is None and ara.convention_cadre is None
    # Convention-cadre: only ORT whose status says signed (issue: 1,140 before, 1,136 now).
    assert board.cycle.convention_cadre == 1136
    # Commune page of a commune of region 84: not "n'est pas lauréate".
    page = client.get("/programme/pvd/communes/63113/")
    assert page.status_code == 200
    assert "Statut Petites villes de demain : non couvert par les listes chargées" in (
        page.content.decode()
    )
    assert client.get("/programme/pvd/communes/23096/").status_code == 404  # covered, not laureate
    # API: couvert false, null counts; the commune status says "non_couvert".
    api = client.get("/api/v1/programmes/pvd/tableau-de-bord?region=84").json()
    assert api["couvert"] is False and api["communes_laureates"] is None and api["cycle"] is None
    assert api["couverture"]["regions_non_couvertes"] == ["84"]
    page = client.get("/api/v1/programmes/pvd/laureats?region=84").json()
    assert page["couvert"] is False and page["total"] is None
    assert client.get("/api/v1/programmes/pvd/laureats?region=75").json()["couvert"] is True
    html = client.get("/programme/pvd/laureats/?region=84").content.decode()
    assert "Non couvert par les listes chargées" in html
    status = client.get("/api/v1/programmes/pvd/communes/63113/statut").json()
    assert status["statut"] == "non_couvert" and status["couvert"] is False
    # Exports: the region row has empty figures and couvert = non.
    table = client.get("/programme/pvd/territoires.csv").content.decode("utf-8-sig")
    row84 = next(line for line in table.splitlines() if line.startswith("84;"))
    assert row84.split(";")[2] == "" and row84.endswith(";non")
    geo = json.loads(client.get("/programme/pvd/territoires.geojson").content)
    props = next(f["properties"] for f in geo["features"] if f["id"] == "84")
    assert props["couvert"] == "non" and props["communes_laureates"] is None
    # Figures check: not verifiable, its own exit code.
    from pvd.cli import main

    out = CliRunner().invoke(main, ["programme", "check", "10 communes in region 84"])
    assert out.exit_code == 3
    assert "Non vérifiable : région Auvergne-Rhône-Alpes (84) non couverte" in out.output
    verdict = client.post(
        "/api/v1/programmes/pvd/verifier",
        {"enonces": ["10 communes in region 84"]},
        content_type="application/json",
    ).json()[0]
    assert verdict["statut"] == "non vérifiable" and verdict["verifiable"] is False


def test_migration_infers_the_coverage_of_an_existing_registry(pvd, data_dir):
    """A registry imported before coverage was recorded keeps showing what it showed: one
    inferred list per programme (its laureates' regions) and one for the ORT sheet."""
    import importlib

    from django.apps import apps

    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    ort_import(path=data_dir / "ort.csv")
    ListeImportee.objects.all().delete()
    assert selectors.registry_coverage(pvd).empty
    migration = importlib.import_module("pvd.programme.migrations.0004_listeimportee")
    migration.infer_existing(apps, None)
    assert selectors.registry_coverage(pvd).regions == {"75", "01"}
    assert selectors.ort_coverage().regions == {"75"}

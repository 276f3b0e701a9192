"""Importing laureate lists and the ORT sheet: validation report, atomicity, idempotence,
dry run, history; then the shared official files (counts per region must match the file)."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from pvd.programme.models import Changement, Groupe, Laureat, Ort
from pvd.programme.services import laureates_import, ort_import
from pvd.sources.report import SourceError
from pvd.territories.models import Commune, Dataset


def _codes(programme) -> set[str]:
    return set(
        Laureat.objects.filter(programme=programme, statut="actif").values_list(
            "commune__code", flat=True
        )
    )


def test_import_datagouv_layout_report(pvd, data_dir):
    report = laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    assert report.tables["lauréats"].created == 7
    assert _codes(pvd) == {"23001", "23176", "16005", "16393", "19275", "23067", "97105"}
    issues = report.issue_counts()
    assert issues == {
        "merged-code": 1,
        "unknown-code": 1,
        "duplicate": 1,
        "departement-mismatch": 1,
        "epci-mismatch": 1,
    }
    merged = next(i for i in report.issues if i.code == "merged-code")
    assert "16226" in merged.message and "16393" in merged.message and merged.line == 5
    assert next(i for i in report.issues if i.code == "unknown-code").line == 9
    assert next(i for i in report.issues if i.code == "duplicate").line == 10
    lau = Laureat.objects.get(programme=pvd, commune__code="16393")
    assert lau.code_source == "16226"
    assert Laureat.objects.get(
        programme=pvd, commune__code="16005"
    ).date_convention_adhesion == date(2021, 4, 7)
    assert (
        Laureat.objects.get(programme=pvd, commune__code="23176").date_convention_adhesion is None
    )
    text = "\n".join(report.lines())
    assert "inconnus du référentiel" in text and "23999" in text
    # Every creation is in the history, attributed to the import.
    log = Changement.objects.filter(objet="laureat", action="creation")
    assert log.count() == 7
    assert log.first().auteur.startswith("import pvd-datagouv.csv")
    ds = Dataset.objects.get(key="programme-pvd-laureats")
    assert ds.licence.startswith("Licence Ouverte") and ds.vintage
    pvd.refresh_from_db()
    assert pvd.dataset == ds


def test_reimport_changes_nothing(pvd, data_dir):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    before = Changement.objects.count()
    loaded_at = Dataset.objects.get(key="programme-pvd-laureats").loaded_at
    again = laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    assert not again.changed
    assert again.tables["lauréats"].unchanged == 7
    assert Changement.objects.count() == before
    assert Dataset.objects.get(key="programme-pvd-laureats").loaded_at == loaded_at


def test_dry_run_shows_changes_and_writes_nothing(pvd, data_dir):
    report = laureates_import(
        path=data_dir / "pvd-datagouv.csv", programme_slug="pvd", dry_run=True
    )
    assert report.dry_run and report.tables["lauréats"].created == 7
    assert any(c.startswith("+ 23001 Ahun") for c in report.changes)
    assert "simulation" in report.lines()[0]
    assert not Laureat.objects.exists()
    assert not Changement.objects.exists()
    assert not Dataset.objects.filter(key="programme-pvd-laureats").exists()


@pytest.mark.parametrize("name", ["pvd-sans-code.csv", "pvd-champs.csv", "pvd-vide.csv"])
def test_bad_file_changes_nothing(pvd, data_dir, name):
    laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    count, log = Laureat.objects.count(), Changement.objects.count()
    with pytest.raises(SourceError):
        laureates_import(path=data_dir / name, programme_slug="pvd")
    assert Laureat.objects.count() == count
    assert Changement.objects.count() == log
    assert _codes(pvd) == {"23001", "23176", "16005", "16393", "19275", "23067", "97105"}


def test_unknown_programme_is_an_error(db, data_dir):
    with pytest.raises(SourceError, match="programme inconnu"):
        laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="nope")


def test_early_layout_groups_and_later_list(pvd, data_dir):
    report = laureates_import(path=data_dir / "pvd-2021-latin1.csv", programme_slug="pvd")
    issues = report.issue_counts()
    assert issues["invalid-code"] == 1  # 999999
    assert issues["no-group"] == 1  # Aigre
    assert issues["group-mismatch"] == 1  # Ambérieu (01) in pvd-84-63-1
    assert issues["fixed-leading-zero"] == 1
    assert issues["invalid-value"] == 1  # "01/2021"
    assert report.tables["groupes"].created == 3
    ussel = Groupe.objects.get(programme=pvd, code="pvd-75-1923-9")
    assert set(ussel.laureats.values_list("commune__code", flat=True)) == {"19275", "23067"}
    assert ussel.epci_id == "200066744" and ussel.departement_id == "19"
    # Named after its communes, the most populated first (issue 13), not "pvd-75-1923-9".
    assert ussel.libelle_communes == "Ussel – La Courtine" and str(ussel) == "Ussel – La Courtine"
    # A later list without Ambérieu (Ain, region 84): the list covers only regions 75 and 01,
    # so Ambérieu stays; stated national, it leaves the programme (kept with its history),
    # groups left empty are deleted, and a list without id_pvd keeps the groups it does not
    # mention.
    partial = laureates_import(path=data_dir / "pvd-datagouv.csv", programme_slug="pvd")
    amberieu = Laureat.objects.get(programme=pvd, commune__code="01004")
    assert amberieu.statut == Laureat.Statut.ACTIF and partial.outside_kept == 1
    assert sum(partial.ended_by_region.values()) == 0
    later = laureates_import(
        path=data_dir / "pvd-datagouv.csv", programme_slug="pvd", national=True, confirm=True
    )
    assert later.ended_by_region == {"84": 1}
    amberieu.refresh_from_db()
    assert amberieu.statut == Laureat.Statut.SORTI
    assert any("01004" in c and "sortie" in c for c in later.changes)
    assert not Groupe.objects.filter(code="pvd-84-63-1").exists()
    assert Laureat.objects.get(programme=pvd, commune__code="23001").groupe.code == "pvd-75-23-1"
    history = Changement.objects.filter(objet_id=amberieu.pk, objet="laureat")
    assert history.count() == 2


def test_ort_import(imported, data_dir):
    assert Ort.objects.count() == 4  # 23001, 19275, 16393 (from 16226), 87085; 23999 unknown
    boixe = Ort.objects.get(commune__code="16393")
    assert boixe.code_source == "16226" and boixe.signature == "en_cours"
    assert Laureat.objects.get(
        programme=imported, commune__code="23001"
    ).date_convention_cadre == date(2022, 10, 18)
    assert Ort.objects.get(commune__code="23001").longitude == pytest.approx(2.0419)
    again = ort_import(path=data_dir / "ort.csv")
    assert not again.changed
    assert again.issue_counts() == {
        "merged-code": 1,
        "unknown-code": 1,
        "duplicate": 1,
        "programme-mismatch": 1,
    }
    with pytest.raises(SourceError, match="Signée"):
        ort_import(path=data_dir / "ort-sans-colonne.csv")
    assert Ort.objects.count() == 4


# --- The shared official files ------------------------------------------------------------


def _file_counts_by_region(path, region_of):
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return Counter(region_of[r["insee_com"]] for r in rows if r["insee_com"] in region_of), rows


def test_shared_2024_list(db, shared_data):
    from pvd.programme.selectors import Scope, breakdown, programme_get

    path = shared_data / "pvd" / "pvd-2024-hors-aura.csv"
    report = laureates_import(path=path, programme_slug="pvd")
    assert report.tables["lauréats"].created == 1419
    region_of = dict(Commune.objects.filter(type="COM").values_list("code", "region_id"))
    expected, rows = _file_counts_by_region(path, region_of)
    # The id_pvd of the file names the region too: same counts.
    assert expected == Counter(r["id_pvd"].split("-")[1] for r in rows)
    pvd = programme_get(slug="pvd")
    counts = {r.code: r.laureats for r in breakdown(pvd, Scope("france"))}
    assert {k: v for k, v in counts.items() if v} == dict(expected)
    # The shared lists leave out Auvergne-Rhône-Alpes: "non couvert", not 0.
    assert counts["84"] is None
    again = laureates_import(path=path, programme_slug="pvd")
    assert not again.changed


def test_shared_2021_list_reports_placeholder(db, shared_data):
    path = shared_data / "pvd" / "pvd-2021-01-hors-aura.csv"
    dry = laureates_import(path=path, programme_slug="pvd", dry_run=True)
    assert not Laureat.objects.exists()
    report = laureates_import(path=path, programme_slug="pvd")
    assert dry.tables["lauréats"].created == report.tables["lauréats"].created == 1380
    placeholder = [i for i in report.issues if i.code == "invalid-code"]
    assert len(placeholder) == 1 and "999999" in placeholder[0].message
    with open(path, encoding="utf-8") as f:
        by_region_name = Counter(
            r["lib_reg"] for r in csv.DictReader(f) if r["insee_com"] != "999999"
        )
    from pvd.programme.selectors import Scope, breakdown, programme_get

    counts = {r.nom: r.laureats for r in breakdown(programme_get(slug="pvd"), Scope("france"))}
    assert {k: v for k, v in counts.items() if v} == dict(by_region_name)


def test_shared_ort_sheet(db, shared_data):
    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    report = ort_import(path=shared_data / "programmes" / "ort-2024-hors-aura.csv")
    assert report.tables["ORT"].created == 1998
    issues = report.issue_counts()
    assert issues["merged-code"] == 5 and issues["duplicate"] == 5
    assert report.tables["lauréats (date de convention-cadre)"].updated > 1000
    assert not ort_import(path=shared_data / "programmes" / "ort-2024-hors-aura.csv").changed


def test_acv_list_fits_the_same_model(db, shared_data):
    report = laureates_import(path=shared_data / "programmes" / "acv.csv", programme_slug="acv")
    assert report.tables["lauréats"].created == 245
    assert "groupes" in report.tables and report.tables["groupes"].created == 0

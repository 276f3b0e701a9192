"""Importing INSEE COG files into the referential: atomic, idempotent, never losing figures."""

from pathlib import Path

import pytest

from pvd.sources.cog import read_cog
from pvd.sources.report import SourceError
from pvd.territories.cog_import import communes_import_cog
from pvd.territories.models import Commune, Dataset, Departement, Population, Region

DATA = Path(__file__).resolve().parent.parent / "data" / "cog"


def cog(name: str):
    return read_cog(DATA / name)


def state() -> list[tuple]:
    """Every commune row's imported and kept fields, to compare the table before and after."""
    return list(
        Commune.objects.order_by("code", "type").values_list(
            "code",
            "type",
            "nom",
            "parent_id",
            "departement_id",
            "region_id",
            "arrondissement_id",
            "epci_id",
            "siren",
            "zone",
            "population",
        )
    )


def test_current_file_matches_the_referential(db):
    before = state()
    report = communes_import_cog(files=[cog("v_commune_2026.csv")])
    assert (report.tables["communes"].unchanged, report.tables["communes"].created) == (15, 0)
    assert not report.changed
    assert state() == before
    dataset = Dataset.objects.get(key="insee-cog-communes")
    assert dataset.vintage == "2026" and dataset.licence.startswith("Licence Ouverte 2.0")
    assert dataset.url == "https://www.insee.fr/fr/information/8740222"
    # Communes of the covered departments that the extract lacks are reported, never deleted.
    assert "01005 (COM)" in report.vanished_kept
    assert "01025 (COMD)" in report.vanished_unreferenced
    assert not report.vanished_deleted
    assert "v_commune_2026.csv (communes, UTF-8)" in report.lines()[1]


def test_next_vintage_renames_merges_and_restores(db):
    before_epci = Commune.objects.get(code="01001", type="COM").epci_id
    report = communes_import_cog(files=[cog("v_commune_2027.csv")])
    communes = report.tables["communes"]
    assert (communes.created, communes.updated, communes.deleted) == (3, 1, 0)
    assert report.tables["rattachements"].updated == 2  # the two new communes déléguées

    nouvelle = Commune.objects.get(code="01001", type="COM")
    assert nouvelle.nom == "Les Abergements"
    assert nouvelle.epci_id == before_epci and nouvelle.codes_postaux == ["01400"]  # kept
    assert nouvelle.population == 860  # kept: populations are not the COG's business
    varey = Commune.objects.get(code="01002", type="COMD")
    assert varey.parent == nouvelle and varey.departement_id == "01" and varey.region_id == "84"
    assert varey.arrondissement_id == "012"  # the parent's, since the file leaves ARR empty

    restored = Commune.objects.get(code="01340", type="COM")
    assert (restored.departement_id, restored.region_id, restored.arrondissement_id) == (
        "01",
        "84",
        "011",
    )
    assert restored.zone == "metro" and restored.epci is None and restored.population is None
    assert restored.siren == "" and restored.codes_postaux == []

    # The former commune 01002 carries its populations: kept, and said.
    assert Commune.objects.filter(code="01002", type="COM").exists()
    assert "01002 (COM)" in report.vanished_kept
    assert any("01002 (COM)" in w for w in report.warnings)
    # The suppressed commune déléguée 01340 carries nothing: kept unless --prune.
    assert "01340 (COMD)" in report.vanished_unreferenced
    assert Commune.objects.filter(code="01340", type="COMD").exists()


def test_prune_deletes_only_rows_nothing_refers_to(db):
    populations = Population.objects.count()
    report = communes_import_cog(files=[cog("v_commune_2027.csv")], prune=True)
    assert not Commune.objects.filter(code="01340", type="COMD").exists()
    assert "01340 (COMD)" in report.vanished_deleted
    assert report.tables["communes"].deleted == len(report.vanished_deleted)
    assert all(label.endswith(("(COMD)", "(COMA)")) for label in report.vanished_deleted)
    assert Commune.objects.filter(code="01002", type="COM").exists()
    assert Population.objects.count() == populations
    # Departments the file does not cover are not concerned.
    assert Commune.objects.filter(code="49001", type="COMD").exists()


def test_reimport_reports_no_change(db):
    communes_import_cog(files=[cog("v_commune_2027.csv")])
    loaded_at = Dataset.objects.get(key="insee-cog-communes").loaded_at
    before = state()
    again = communes_import_cog(files=[cog("v_commune_2027.csv")])
    assert not again.changed
    assert state() == before
    assert Dataset.objects.get(key="insee-cog-communes").loaded_at == loaded_at


def test_dry_run_writes_nothing(db):
    before = state()
    datasets = Dataset.objects.count()
    report = communes_import_cog(files=[cog("v_commune_2027.csv")], prune=True, dry_run=True)
    assert report.dry_run and report.changed
    assert state() == before
    assert Dataset.objects.count() == datasets


def test_an_error_on_the_last_line_writes_nothing(db):
    before = state()
    counts = (Commune.objects.count(), Population.objects.count(), Dataset.objects.count())
    with pytest.raises(SourceError) as exc:
        communes_import_cog(files=[cog("v_commune_2026_departement_inconnu.csv")])
    assert (exc.value.line, exc.value.column) == (17, "DEP")
    assert "v_commune_2026_departement_inconnu.csv" in str(exc.value)
    assert "département 99 inconnu du référentiel" in str(exc.value)
    assert state() == before
    assert (Commune.objects.count(), Population.objects.count(), Dataset.objects.count()) == counts
    assert Commune.objects.get(code="01001", type="COM").nom == "L'Abergement-Clémenciat"


def test_departments_and_regions_files(db):
    report = communes_import_cog(files=[cog("v_region_2026.csv"), cog("v_departement_2026.csv")])
    assert report.tables["régions"].unchanged == 18
    assert report.tables["départements"].unchanged == 10
    assert not report.changed
    assert (
        Dataset.objects.filter(key__in=["insee-cog-regions", "insee-cog-departements"]).count() == 2
    )


def test_department_of_an_unknown_region_is_refused(db, tmp_path):
    path = tmp_path / "v_departement_2026.csv"
    path.write_text(
        "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n"
        "01,84,01053,5,AIN,Ain,Ain\n"
        "02,99,02408,5,AISNE,Aisne,Aisne\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as exc:
        communes_import_cog(files=[read_cog(path)])
    assert (exc.value.line, exc.value.column) == (3, "REG")
    assert Departement.objects.get(code="02").region_id == "32"


def test_a_new_region_and_department_come_before_their_communes(db, tmp_path):
    (tmp_path / "v_region_2027.csv").write_text(
        "REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n99,99001,0,ESSAI,Essai,Essai\n"
    )
    (tmp_path / "v_departement_2027.csv").write_text(
        "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE\n98,99,98001,0,ESSAI,Essai,Essai\n"
    )
    (tmp_path / "v_commune_2027.csv").write_text(
        "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
        "COM,98001,99,98,98D,,0,ESSAI,Essai,Essai,9801,\n"
    )
    files = [
        read_cog(tmp_path / n)
        for n in ("v_commune_2027.csv", "v_departement_2027.csv", "v_region_2027.csv")
    ]
    report = communes_import_cog(files=files, dry_run=True)
    assert report.tables["régions"].created == 1 and report.tables["communes"].created == 1
    assert not Region.objects.filter(code="99").exists()


def test_vintage_is_required_when_the_name_does_not_give_it(db, tmp_path):
    path = tmp_path / "communes.csv"
    path.write_bytes((DATA / "v_commune_2026.csv").read_bytes())
    with pytest.raises(SourceError, match="précisez --millesime"):
        communes_import_cog(files=[read_cog(path)])
    report = communes_import_cog(files=[read_cog(path)], millesime=2026)
    assert report.source.startswith("Code officiel géographique 2026")

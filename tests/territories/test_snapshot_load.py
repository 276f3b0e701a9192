"""The embedded snapshot loads the whole referential, and loading it again changes nothing."""

import pytest
from django.conf import settings

from pvd.sources.report import SourceError
from pvd.sources.snapshot import read_snapshot
from pvd.territories.models import EPCI, Commune, Dataset, Departement, Population, Region
from pvd.territories.services import referential_load_snapshot


@pytest.fixture(scope="module")
def snapshot():
    return read_snapshot(settings.SNAPSHOT_DIR)


def test_whole_referential_is_loaded(db):
    assert Region.objects.count() == 26
    assert Departement.objects.count() == 109
    assert EPCI.objects.count() == 1255
    assert Commune.objects.filter(type="COM").count() == 34969
    assert Commune.objects.filter(type="ARM").count() == 45
    assert Commune.objects.filter(type="COMD").count() == 2105


def test_codes_are_strings_and_types_carry_their_parent(db):
    ajaccio = Commune.objects.get(code="2A004", type="COM")
    assert ajaccio.departement_id == "2A" and ajaccio.region_id == "94"
    arm = Commune.objects.get(code="75101", type="ARM")
    assert arm.parent.code == "75056" and arm.parent.type == "COM"
    comd = Commune.objects.get(code="01015", type="COMD")
    assert comd.parent == Commune.objects.get(code="01015", type="COM")
    assert Commune.objects.get(code="01001", type="COM").codes_postaux == ["01400"]


def test_epci_members(db):
    mont_dore = Commune.objects.get(code="63236", type="COM")
    assert mont_dore.epci.siren == "246300966"
    assert mont_dore.epci.communes.filter(type="COM").count() > 1


def test_population_series_is_rebased_onto_current_geography(db):
    series = dict(
        Population.objects.filter(commune__code="01001", commune__type="COM").values_list(
            "millesime", "population"
        )
    )
    assert series == {2019: 779, 2020: 806, 2022: 859, 2023: 860}
    # Arboys en Bugey (01015) absorbed Arbignieu and Saint-Champ (01340) before 2021; a commune
    # merged during 2021-2026 carries the sum of its parts for past vintages:
    merged = Population.objects.filter(millesime=2019, parts__gt=1)
    assert merged.exists()
    # Mayotte's only figures are from the 2017 census.
    assert set(
        Population.objects.filter(commune__departement="976").values_list("millesime", flat=True)
    ) == {2017}


def test_population_of_merged_commune_sums_its_former_parts(db, snapshot):
    import csv
    import gzip

    report = list(csv.DictReader(gzip.open(settings.SNAPSHOT_DIR / "rebase-report.csv.gz", "rt")))
    fusion = next(r for r in report if r["nature"] == "fusion" and r["millesime"] == "2019")
    target = Commune.objects.get(code=fusion["code_actuel"], type="COM")
    value = target.populations.get(millesime=2019)
    assert value.parts >= 2


def test_second_load_changes_nothing(db, snapshot):
    dataset = Dataset.objects.get(key="referentiel-territorial")
    report = referential_load_snapshot(snapshot=snapshot)
    assert not report.changed
    assert report.tables["communes"].unchanged == 37590
    assert Dataset.objects.get(pk=dataset.pk).loaded_at == dataset.loaded_at


def test_dry_run_writes_nothing(db, snapshot):
    Commune.objects.filter(code="63236", type="COM").update(nom="Mont-Doré")
    report = referential_load_snapshot(snapshot=snapshot, dry_run=True)
    assert report.tables["communes"].updated == 1
    assert Commune.objects.get(code="63236", type="COM").nom == "Mont-Doré"
    referential_load_snapshot(snapshot=snapshot)
    assert Commune.objects.get(code="63236", type="COM").nom == "Mont-Dore"


def test_tampered_snapshot_is_refused(tmp_path):
    import shutil

    for f in settings.SNAPSHOT_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "regions.csv.gz").write_bytes(b"not the file")
    with pytest.raises(SourceError, match="regions.csv.gz"):
        read_snapshot(tmp_path)

"""Importing INSEE legal populations: re-based onto current communes, secrets kept missing."""

from pathlib import Path

import pytest

from pvd.sources.cog import read_cog
from pvd.sources.population import read_populations
from pvd.sources.report import SourceError
from pvd.territories.cog_import import communes_import_cog
from pvd.territories.models import Commune, Dataset, Population
from pvd.territories.population_import import populations_import

DATA = Path(__file__).resolve().parent.parent / "data" / "population"


def pop(code: str, millesime: int, kind: str = "COM") -> Population | None:
    return Population.objects.filter(
        commune__code=code, commune__type=kind, millesime=millesime
    ).first()


def state() -> list[tuple]:
    return list(
        Population.objects.order_by("commune_id", "millesime").values_list(
            "commune_id", "millesime", "population", "parts", "dataset_id"
        )
    ) + list(Commune.objects.order_by("pk").values_list("pk", "population"))


def test_current_file_upserts_values_and_rebuilds_paris(db):
    report = populations_import(
        populations=read_populations(DATA / "donnees_communes.csv", millesime=2023)
    )
    dataset = Dataset.objects.get(key="insee-populations-2023")
    assert dataset.vintage == "2023" and dataset.licence.startswith("Licence Ouverte 2.0")
    assert dataset.url == "https://www.insee.fr/fr/statistiques/fichier/8680726/ensemble.zip"
    # Same figures as the embedded referential, now attributed to this file.
    assert report.tables["populations"].updated == 28
    assert pop("01001", 2023).population == 860 and pop("01001", 2023).dataset == dataset
    assert pop("75101", 2023, "ARM").population == 15114
    assert pop("75056", 2023).population == 2103778  # sum of its 20 arrondissements
    assert report.reconstructed == ["75056 (20 arrondissements)"]
    assert report.encoding == "UTF-8"
    assert report.tables["communes (population la plus récente)"].updated == 0
    assert any("sans valeur dans le fichier" in w for w in report.warnings)  # an extract


def test_reimport_reports_no_change(db):
    file = read_populations(DATA / "donnees_communes.csv", millesime=2023)
    populations_import(populations=file)
    before = state()
    again = populations_import(populations=file)
    assert not again.changed and state() == before


def test_older_geography_is_rebased_and_the_mappings_reported(db):
    report = populations_import(
        populations=read_populations(DATA / "donnees_communes_2019_latin1.csv", millesime=2019)
    )
    assert report.encoding == "Latin-1 (Windows-1252)"
    assert "  encodage lu : Latin-1 (Windows-1252)" in report.lines()
    # Béon (01039) is now a commune déléguée of Culoz-Béon (01138): its figure joins its parent's.
    moves = {(m.old_code, m.new_code, m.how) for m in report.mappings}
    assert moves == {
        ("01039", "01138", "commune déléguée/associée"),
        ("01330", "01187", "commune déléguée/associée"),
    }
    culoz = pop("01138", 2019)
    assert (culoz.population, culoz.parts) == (443 + 3004, 2)
    assert pop("01187", 2019).population == 618 + 182
    assert pop("97105", 2019).population == 9861  # overseas code from 971 + "05"
    # An unknown code is skipped with its reason, and named.
    assert sum(n for reason, n in report.skipped.items() if "code inconnu" in reason) == 1
    assert any("01999" in w for w in report.warnings)
    # An older millésime leaves the communes' latest population alone.
    assert Commune.objects.get(code="01138", type="COM").population == 3453
    details = Dataset.objects.get(key="insee-populations-2019").details
    assert ["01039", "01138", "commune déléguée/associée"] in details["mappings"]


def test_secret_values_stay_missing_and_incomplete_sums_are_skipped(db):
    before_varey = pop("01002", 2022).population
    before_culoz = pop("01138", 2022).population
    report = populations_import(
        populations=read_populations(DATA / "base-cc-serie-historique-2022.CSV", millesime=2022)
    )
    assert report.skipped["valeur secrète ou manquante (« s »)"] == 1
    assert report.skipped["valeur secrète ou manquante (« nd »)"] == 1
    # "s" is not zero: the existing figure is neither replaced nor zeroed.
    assert pop("01002", 2022).population == before_varey
    # Culoz-Béon would need Béon's secret figure: its partial sum is not its population.
    assert pop("01138", 2022).population == before_culoz
    assert any("somme incomplète" in reason for reason in report.skipped)
    assert pop("01001", 2022).population == 859


def test_latest_millesime_updates_the_commune(db, tmp_path):
    lines = (DATA / "donnees_communes.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(";860;16;876", ";871;16;887")  # 01001, next vintage
    path = tmp_path / "donnees_communes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = populations_import(populations=read_populations(path, millesime=2024))
    assert report.tables["populations"].created == 28
    assert pop("01001", 2024).population == 871
    assert Commune.objects.get(code="01001", type="COM").population == 871
    assert Commune.objects.get(code="75056", type="COM").population == 2103778
    assert Commune.objects.get(code="75101", type="ARM").population == 15114


def test_dry_run_writes_nothing(db):
    before = state()
    datasets = Dataset.objects.count()
    report = populations_import(
        populations=read_populations(DATA / "donnees_communes.csv", millesime=2024),
        dry_run=True,
    )
    assert report.dry_run and report.changed
    assert state() == before and Dataset.objects.count() == datasets


def test_bad_file_changes_nothing(db):
    count = Population.objects.count()
    with pytest.raises(SourceError) as exc:
        populations_import(
            populations=read_populations(
                DATA / "donnees_communes_code_invalide.csv", millesime=2023
            )
        )
    assert (exc.value.line, exc.value.column) == (5, "COM")
    assert Population.objects.count() == count


def test_former_commune_kept_by_a_cog_import_is_rebased_onto_its_new_parent(db):
    # COG 2027 (constructed): 01002 becomes a commune déléguée of 01001; its former COM row stays
    # because populations refer to it, but new figures for 01002 belong to 01001.
    communes_import_cog(files=[read_cog(DATA.parent / "cog" / "v_commune_2027.csv")])
    report = populations_import(
        populations=read_populations(DATA / "donnees_communes.csv", millesime=2024)
    )
    assert ("01002", "01001") in {(m.old_code, m.new_code) for m in report.mappings}
    merged = pop("01001", 2024)
    assert (merged.population, merged.parts) == (860 + 270, 2)
    assert pop("01002", 2024) is None
    assert Commune.objects.get(code="01001", type="COM").population == 1130

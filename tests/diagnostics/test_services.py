"""Import of indicator sources (atomic, idempotent, re-based) and the build."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pvd.diagnostics.models import Build, SourceTable, TerritoryValues
from pvd.diagnostics.selectors import commune_values_frame, territory_values
from pvd.diagnostics.services import frame_of, indicator_source_import
from pvd.sources.report import SourceError
from pvd.territories.models import Commune, Dataset

DATA = Path(__file__).resolve().parent.parent / "data"


def test_malformed_file_writes_nothing(referential):
    before = (SourceTable.objects.count(), Dataset.objects.count())
    with pytest.raises(SourceError) as e:
        indicator_source_import(
            kind="logement", path=DATA / "insee" / "logement-valeur-invalide.CSV"
        )
    assert e.value.line == 3 and e.value.column == "P21_LOGVAC"
    assert (SourceTable.objects.count(), Dataset.objects.count()) == before


def test_import_is_idempotent_and_dry_run_writes_nothing(referential):
    SourceTable.objects.filter(kind="emploi").delete()
    path = DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV"
    dry = indicator_source_import(kind="emploi", path=path, dry_run=True)
    assert dry.tables["fichier source"].created == 1
    assert not SourceTable.objects.filter(kind="emploi").exists()
    first = indicator_source_import(kind="emploi", path=path)
    assert first.tables["fichier source"].created == 1
    again = indicator_source_import(kind="emploi", path=path)
    assert again.tables["fichier source"].unchanged == 1 and not again.changed
    table = SourceTable.objects.get(kind="emploi")
    assert table.millesimes == [2021]
    assert table.dataset.checksum and "INSEE" in table.dataset.publisher
    frame = frame_of(table)
    row = frame.filter((pl.col("code") == "48140") & (pl.col("variable") == "actifs_15_64"))
    assert row.item(0, "value") == 1750


def test_bpe_2013_codes_are_rebased(referential, shared_data):
    report = indicator_source_import(kind="bpe", path=shared_data / "bpe" / "bpe13_ensemble.csv")
    text = "\n".join(report.lines())
    assert "re-basés" in text and "01039→01138" in text
    frame = frame_of(SourceTable.objects.get(kind="bpe"))
    assert frame.filter(pl.col("code") == "01039").is_empty()


def test_build_stores_every_level(portrait_db):
    assert portrait_db.communes > 34000
    build = Build.objects.first()
    rows = list(TerritoryValues.objects.all())
    assert build is not None and build.values == sum(len(r.values["i"]) for r in rows)

    def value(level, code, indicator, millesime=None):
        found = [
            v
            for v in territory_values(level=level, code=code)
            if v.indicator == indicator and millesime in (None, v.millesime)
        ]
        assert len(found) == (1 if millesime else len(found)), found
        return found[-1]

    pop = value("COM", "48140", "population", 2023)
    assert pop.value > 3000 and 0 <= pop.percentile <= 100
    levels = {
        r.level
        for r in rows
        if any(
            i == "population" and m == 2023
            for i, m in zip(r.values["i"], r.values["m"], strict=True)
        )
    }
    assert levels == {"COM", "EPCI", "DEP", "REG", "FR"}
    fr = value("FR", "FR", "population", 2023)
    assert 7.0e7 > fr.value > 6.5e7
    epci = Commune.objects.get(code="48140", type="COM").epci_id
    assert value("EPCI", epci, "population", 2023).value > pop.value
    # A rank within the EPCI has no aggregate.
    assert not [
        v for v in territory_values(level="FR", code="FR") if v.indicator == "population_rang_epci"
    ]
    vac = value("COM", "48140", "part_75_ans_plus")
    assert vac.value == pytest.approx(650 / 4050 * 100)
    assert vac.percentile is not None and value("FR", "FR", "part_75_ans_plus").percentile is None
    peers = TerritoryValues.objects.get(level="COM", code="48140").peers
    assert len(peers["c"]) == 10 and "48140" not in peers["c"]
    assert all(len(peers[k]) == 10 for k in ("d", "r"))
    assert peers["d"] == sorted(peers["d"])
    assert TerritoryValues.objects.get(level="FR", code="FR").peers is None
    # The bulk reader used by the selection gets the same numbers as the per-territory one.
    frame = commune_values_frame(["population"])
    one = frame.filter((pl.col("code") == "48140") & (pl.col("millesime") == 2023))
    assert one.item(0, "value") == pop.value and one.item(0, "indicator") == "population"
    assert set(frame.get_column("indicator").unique()) == {"population"}
    # Counts per gamme come from the embedded list of types per gamme when none is given.
    assert "gamme_proximite" not in build.missing
    prox = value("COM", "48140", "gamme_proximite")
    total = value("COM", "48140", "equipements_total")
    assert 0 < prox.value < total.value


def test_missing_message_tells_unloaded_from_incomplete_sources():
    from pvd.diagnostics.models import Build
    from pvd.diagnostics.selectors import admin_hint, missing_message
    from pvd.domain.indicators.catalogue import get

    build = Build(
        datasets={"insee-bpe-2024": "indicateurs-bpe"},
        missing={"gamme_proximite": ["bpe_gamme_proximite"], "taux_chomage": ["actifs_15_64"]},
    )
    # The BPE was loaded, but without counts per gamme: say what it lacks.
    incomplete = missing_message(get("gamme_proximite"), build)
    assert "ne fournit pas" in incomplete and "bpe_gamme_proximite" in incomplete
    # The public wording never shows an operator command (issue 13); the staff hint does.
    assert "pvd " not in incomplete and "`" not in incomplete
    assert "pvd indicators import bpe" in admin_hint(get("gamme_proximite"), build)
    # The census employment file was never loaded.
    absent = missing_message(get("taux_chomage"), build)
    assert absent.startswith("Non disponible sur cette plateforme : source non chargée")
    assert "pvd " not in absent
    assert "pvd indicators import emploi" in admin_hint(get("taux_chomage"), build)


def test_vintage_label_fits_the_dataset_record():
    from pvd.diagnostics.services import vintage_label
    from pvd.territories.models import Dataset

    assert vintage_label([]) == "sans millésime"
    assert vintage_label([2021]) == "2021"
    assert vintage_label([2016, 2022]) == "2016, 2022"
    assert vintage_label([1968, 1975, 2011, 2012, 2013, 2022]) == "1968, 1975, 2011 à 2013, 2022"
    assert vintage_label(list(range(2009, 2024))) == "2009 à 2023"
    scattered = list(range(1900, 2100, 2))
    assert vintage_label(scattered) == "1900 à 2098 (100 millésimes)"
    assert len(vintage_label(scattered)) <= Dataset._meta.get_field("vintage").max_length


def test_filosofi_melodi_zip_import_reports_what_it_leaves_out(referential, tmp_path):
    import zipfile

    archive = tmp_path / "base-cc-filosofi-2021-geo2025_csv.zip"
    data = (
        Path(__file__).resolve().parent.parent / "data" / "insee" / "DS_FILOSOFI_CC_2021_data.csv"
    )
    with zipfile.ZipFile(archive, "w") as z:
        z.write(data, "DS_FILOSOFI_CC_2021_data.csv")
        z.writestr("DS_FILOSOFI_CC_2021_metadata.csv", "COD_VAR;LIB_VAR\nGEO;Code géographique\n")
    report = indicator_source_import(kind="filosofi", path=archive, confirm=True)
    text = "\n".join(report.lines())
    assert "DS_FILOSOFI_CC_2021_data.csv" in text
    # The D1_SL measure and the Paris arrondissement; the EPCI, department, region and France
    # rows are INSEE's own figures of those territories, stored apart.
    assert (
        report.skipped["lignes d'autres territoires ou mesures (arrondissements…), non lues"] == 2
    )
    assert report.tables["valeurs publiées des territoires (EPCI, départements…)"].created == 6
    assert report.skipped["valeurs secrètes ou manquantes, gardées manquantes"] == 1
    # Béon (01039) is now part of Culoz-Béon (01138): its code is re-based, and said.
    assert "01039→01138" in text
    frame = frame_of(SourceTable.objects.get(kind="filosofi"))
    row = frame.filter((pl.col("code") == "48140") & (pl.col("variable") == "taux_pauvrete"))
    assert row.item(0, "value") == 17.5 and row.item(0, "millesime") == 2021
    assert frame.filter(pl.col("code").is_in(["01039", "200069185", "48"])).is_empty()

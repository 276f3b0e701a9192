"""Import of indicator sources (atomic, idempotent, re-based) and the build."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pvd.diagnostics.models import Build, IndicatorValue, Peer, SourceTable
from pvd.diagnostics.services import frame_of, indicator_source_import
from pvd.sources.report import SourceError
from pvd.territories.models import Dataset

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
    assert build is not None and build.values == IndicatorValue.objects.count()
    pop = IndicatorValue.objects.get(
        level="COM", code="48140", indicator="population", millesime=2023
    )
    assert pop.value > 3000 and 0 <= pop.percentile <= 100
    levels = set(
        IndicatorValue.objects.filter(indicator="population", millesime=2023)
        .values_list("level", flat=True)
        .distinct()
    )
    assert levels == {"COM", "EPCI", "DEP", "REG", "FR"}
    fr = IndicatorValue.objects.get(level="FR", indicator="population", millesime=2023)
    assert 7.0e7 > fr.value > 6.5e7
    vac = IndicatorValue.objects.get(level="COM", code="48140", indicator="part_75_ans_plus")
    assert vac.value == pytest.approx(650 / 4050 * 100)
    assert Peer.objects.filter(commune="48140").count() == 10
    assert "gamme_proximite" in build.missing  # no gamme list loaded

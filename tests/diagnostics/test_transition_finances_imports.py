"""Imports of the Cerema land-consumption file and of the DGFiP communes' accounts (atomic,
re-based), the new kinds on the command line, and the built values of their indicators."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pvd import cli
from pvd.diagnostics.models import SourceTable
from pvd.diagnostics.services import (
    frame_of,
    geography_frame,
    indicator_source_import,
    observations_frame,
)
from pvd.domain.indicators import catalogue, engine
from pvd.sources.report import SourceError
from pvd.territories.models import Dataset

DATA = Path(__file__).resolve().parent.parent / "data"
NAF = DATA / "cerema" / "obs_artif_conso_com_2009_2023.csv"
COMPTES = DATA / "dgfip" / "comptes-individuels-des-communes.csv"


def stored(kind, code, variable, millesime):
    frame = frame_of(SourceTable.objects.get(kind=kind)).filter(
        (pl.col("code") == code)
        & (pl.col("variable") == variable)
        & (pl.col("millesime") == millesime)
    )
    return frame.item(0, "value") if frame.height else None


@pytest.mark.parametrize(
    ("kind", "path", "line", "column"),
    [
        ("naf", DATA / "cerema" / "naf-valeur-invalide.csv", 4, "naf15art16"),
        ("naf", DATA / "cerema" / "naf-code-invalide.csv", 3, "idcom"),
        ("finances", DATA / "dgfip" / "comptes-valeur-invalide.csv", 3, "caf"),
        ("finances", DATA / "dgfip" / "comptes-code-invalide.csv", 3, "icom"),
    ],
)
def test_malformed_files_write_nothing(referential, kind, path, line, column):
    before = (SourceTable.objects.count(), Dataset.objects.count())
    with pytest.raises(SourceError) as e:
        indicator_source_import(kind=kind, path=path)
    assert any(err.line == line and err.column == column for err in e.value.errors)
    assert path.name in str(e.value)
    assert (SourceTable.objects.count(), Dataset.objects.count()) == before


def test_naf_import_rebases_old_codes_and_is_idempotent(referential):
    SourceTable.objects.filter(kind="naf").delete()
    report = indicator_source_import(kind="naf", path=NAF)
    text = "\n".join(report.lines())
    assert "01039→01138" in text  # Béon, merged into Culoz-Béon
    assert report.tables["fichier source"].created == 1
    table = SourceTable.objects.get(kind="naf")
    assert table.millesimes == list(range(2009, 2023)) and "Cerema" in table.dataset.publisher
    # Flows and areas add up: Culoz (01138) + Béon (01039), 2011 flow (art11 columns)
    flows = pl.read_csv(NAF, infer_schema=False).filter(pl.col("idcom").is_in(["01138", "01039"]))
    expected = flows.get_column("naf11art12").cast(pl.Float64).sum()
    assert stored("naf", "01138", "naf_conso", 2011) == expected
    assert stored("naf", "01138", "surface_commune", 0) == 19_010_000 + 5_380_000
    assert stored("naf", "01039", "naf_conso", 2011) is None
    again = indicator_source_import(kind="naf", path=NAF)
    assert again.tables["fichier source"].unchanged == 1


def test_finances_import_sums_merged_communes(referential):
    SourceTable.objects.filter(kind="finances").delete()
    report = indicator_source_import(kind="finances", path=COMPTES)
    assert "01039→01138" in "\n".join(report.lines())
    # 2016: Béon (396 inhabitants, 120 k€ of debt) + Culoz (3,062, 1,800 k€)
    assert stored("finances", "01138", "dgfip_population", 2016) == 3458
    assert stored("finances", "01138", "dgfip_dette", 2016) == 1_920_000
    assert stored("finances", "97105", "dgfip_dette", 2023) == 14_800_000
    assert SourceTable.objects.get(kind="finances").millesimes == [2016, 2021, 2022, 2023]


def test_built_values_of_the_new_themes(referential):
    """The stored observations, with the referential's populations, through the engine (the
    storage of computed values is not under test here)."""
    for kind, path in (("naf", NAF), ("finances", COMPTES)):
        indicator_source_import(kind=kind, path=path)
    geo = geography_frame()
    obs, used = observations_frame(geo)
    assert used["cerema-conso-naf-2009-2023"] and used["dgfip-comptes-communes"]
    ids = [
        "naf_conso_2011_2021",
        "naf_conso_part_surface",
        "naf_conso_par_habitant",
        "naf_rythme_depuis_2021",
        "dette_par_habitant",
        "capacite_desendettement",
    ]
    result = engine.build(obs, geo, [catalogue.get(i) for i in ids]).values

    def value(indicator, millesime, code="48140", level="COM"):
        return result.filter(
            (pl.col("level") == level)
            & (pl.col("code") == code)
            & (pl.col("indicator") == indicator)
            & (pl.col("millesime") == millesime)
        ).item(0, "value")

    # 48140: ten flows of 5,000 m² in 2011-2020 = 5 ha; 50,000 / 40,000,000 × 100 = 0.125 %
    assert value("naf_conso_2011_2021", 2021) == pytest.approx(5.0)
    assert value("naf_conso_part_surface", 2021) == pytest.approx(0.125)
    # 50,000 m² / 3,955 inhabitants (legal population 2023) = 12.64 m² per inhabitant
    assert value("naf_conso_par_habitant", 2021) == pytest.approx(50_000 / 3955)
    # mean(2,000, 3,000) / 5,000 × 100 = 50 %
    assert value("naf_rythme_depuis_2021", 2022) == pytest.approx(50.0)
    # 4,000 k€ / 4,233 inhabitants = 944.96 €; 4,000 / 800 = 5 years
    assert value("dette_par_habitant", 2021) == pytest.approx(4_000_000 / 4233)
    assert value("capacite_desendettement", 2021) == pytest.approx(5.0)
    # Lozère (48) in 2021: (4,000 + 9,800 + 2,500) k€ / (4,233 + 12,548 + 2,152) inhabitants
    assert value("dette_par_habitant", 2021, "48", "DEP") == pytest.approx(16_300_000 / 18_933)


def test_new_kinds_on_the_command_line(db):
    result = CliRunner().invoke(cli.main, ["indicators", "import", "naf", str(NAF), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "simulation, rien n'est écrit" in result.stdout
    bad = DATA / "dgfip" / "comptes-sans-dette.csv"
    result = CliRunner().invoke(cli.main, ["indicators", "import", "finances", str(bad)])
    assert result.exit_code == 1 and "colonne dette" in result.stderr

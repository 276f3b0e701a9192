"""Invariants of imported and built figures that must hold whatever the files:

- importing the same file twice changes nothing;
- importing a file changes no value an indicator of another source had before (a file may
  only add millésimes to an indicator whose inputs it carries);
- on the real shared files: a count of France = sum of its regions = sum of its departments =
  sum of its communes, and equals the file's own total of communes (municipal arrondissements
  are not counted on top of Paris, Lyon and Marseille); every share lies within 0-100 %.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from django.db import transaction

from pvd.diagnostics.models import SourceTable, TerritoryValues
from pvd.diagnostics.services import (
    frame_of,
    geography_frame,
    indicator_source_import,
    observations_frame,
)
from pvd.domain.indicators import engine
from pvd.domain.indicators.catalogue import indicators
from pvd.sources.indicator_inputs import KINDS

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = {
    "historique": DATA / "insee" / "base-cc-serie-historique-2022.CSV",
    "ages": DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV",
    "emploi": DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV",
    "logement": DATA / "insee" / "base-cc-logement-2021.CSV",
    "filosofi": DATA / "insee" / "cc_filosofi_2021_COM.csv",
    "bpe": DATA / "bpe" / "bpe13_ensemble.csv",
    "naf": DATA / "cerema" / "obs_artif_conso_com_2009_2023.csv",
    "finances": DATA / "dgfip" / "comptes-individuels-des-communes.csv",
}

# Shares (in %) that lie within 0-100 by definition; the other "%" indicators are changes.
BOUNDED = {
    "population_part_epci",
    "taux_chomage",
    "naf_conso_part_surface",
    "naf_conso_part_habitat",
    "taux_vacance",
    "part_residences_secondaires",
    "part_actifs_voiture",
    "part_actifs_transports_commun",
    "part_actifs_marche_velo",
    "taux_pauvrete",
    "part_75_ans_plus",
}
UNBOUNDED = {
    "population_evolution": "an evolution, negative when the population falls",
    "naf_rythme_depuis_2021": "the pace since 2021 against the reference decade, may exceed 100",
}
COUNTS = ("habitants", "logements", "équipements", "ha")


def test_every_indicator_kind_has_a_fixture():
    assert set(FIXTURES) == set(KINDS)


def test_every_percentage_is_classified():
    """A new indicator in % must say whether it is a bounded share or not."""
    percents = {i.id for i in indicators() if i.unit == "%"}
    assert percents == BOUNDED | set(UNBOUNDED)


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_importing_the_same_file_twice_changes_nothing(referential, kind):
    # The session's built database may hold a file of this kind: start from none (rolled back).
    SourceTable.objects.filter(kind=kind).delete()
    first = indicator_source_import(kind=kind, path=FIXTURES[kind])
    stored = bytes(SourceTable.objects.get(kind=kind).frame)
    again = indicator_source_import(kind=kind, path=FIXTURES[kind])
    assert first.tables["fichier source"].created == 1
    for counts in again.tables.values():
        assert counts.created == counts.updated == counts.deleted == 0
    assert bytes(SourceTable.objects.get(kind=kind).frame) == stored


def _keyed(values: pl.DataFrame) -> pl.DataFrame:
    return values.select("level", "code", "indicator", "millesime", "value")


def test_a_file_changes_no_value_of_another_source(referential):
    for kind, path in FIXTURES.items():
        indicator_source_import(kind=kind, path=path, confirm=True)  # extracts replace files
    geo = geography_frame()
    full_obs, _ = observations_frame(geo)
    full = _keyed(engine.build(full_obs, geo).values)
    problems = []
    for kind, spec in KINDS.items():
        with transaction.atomic():
            table = SourceTable.objects.get(kind=kind)
            carried = set(frame_of(table).get_column("variable").unique().to_list())
            SourceTable.objects.filter(kind=kind).delete()
            without_obs, _ = observations_frame(geo)
            transaction.set_rollback(True)
        without = _keyed(engine.build(without_obs, geo).values)
        for ind in indicators():
            if ind.source == spec.source:
                continue
            before = without.filter(pl.col("indicator") == ind.id)
            after = full.filter(pl.col("indicator") == ind.id)
            joined = before.join(
                after, on=["level", "code", "indicator", "millesime"], how="left", suffix="_after"
            )
            changed = joined.filter(
                pl.col("value_after").is_null()
                | ((pl.col("value") - pl.col("value_after")).abs() > 1e-9)
            )
            if changed.height:
                problems.append(f"{kind} changes {ind.id}: {changed.head(3).to_dicts()}")
            if not carried & set(ind.inputs):
                added = after.join(before, on=["level", "code", "millesime"], how="anti")
                if added.height:
                    problems.append(f"{kind} adds values to {ind.id}: {added.head(3).to_dicts()}")
    assert not problems, "\n".join(problems)


# --- on the built database of the real shared files ------------------------------------------


def _arm_codes() -> set[str]:
    from pvd.territories.models import Commune

    return set(Commune.objects.filter(type=Commune.Type.ARM).values_list("code", flat=True))


@pytest.fixture
def built_values(portrait_db) -> pl.DataFrame:
    """Every stored value: level, code, indicator, millesime, value."""
    rows = [
        (level, code, i, m, v)
        for level, code, values in TerritoryValues.objects.values_list("level", "code", "values")
        for i, m, v in zip(values["i"], values["m"], values["v"], strict=True)
    ]
    return pl.DataFrame(
        rows,
        schema={
            "level": pl.String,
            "code": pl.String,
            "indicator": pl.String,
            "millesime": pl.Int32,
            "value": pl.Float64,
        },
        orient="row",
    )


def test_counts_add_up_from_communes_to_france(built_values):
    geo = geography_frame()
    n_reg = geo.get_column("reg").n_unique()
    n_dep = geo.get_column("dep").n_unique()
    problems = []
    for ind in indicators():
        if ind.unit not in COUNTS or ind.aggregate != "sum":
            continue
        values = built_values.filter(pl.col("indicator") == ind.id)
        for (millesime,), rows in values.group_by("millesime"):
            france = rows.filter(pl.col("level") == "FR").get_column("value")
            if france.is_empty():
                continue
            total = france.item()
            sums = {
                "COM": rows.filter(pl.col("level") == "COM").get_column("value").sum(),
            }
            regions = rows.filter(pl.col("level") == "REG")
            if regions.height == n_reg:
                sums["REG"] = regions.get_column("value").sum()
            departments = rows.filter(pl.col("level") == "DEP")
            if departments.height == n_dep:
                sums["DEP"] = departments.get_column("value").sum()
            for level, value in sums.items():
                if abs(value - total) > 1e-6 * max(1.0, abs(total)):
                    problems.append(f"{ind.id} {millesime}: France {total} != {level} {value}")
    assert not problems, "\n".join(problems)


def test_france_dwellings_equal_the_file_total_of_communes(built_values, shared_data):
    """Arrondissements of Paris, Lyon and Marseille are in the file beside their commune."""
    arm = _arm_codes()
    with open(shared_data / "insee" / "logement-2021-communes.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert any(r["CODGEO"] in arm for r in rows), "the real file holds arrondissement rows"
    expected = sum(float(r["P21_LOG"]) for r in rows if r["CODGEO"] not in arm)
    values = built_values.filter(
        (pl.col("indicator") == "logements") & (pl.col("millesime") == 2021)
    )
    france = values.filter(pl.col("level") == "FR").get_column("value").item()
    paris = values.filter((pl.col("level") == "COM") & (pl.col("code") == "75056"))
    assert paris.get_column("value").item() == 1_396_753
    assert france == pytest.approx(expected)


def test_every_share_lies_within_its_bounds(built_values):
    shares = built_values.filter(pl.col("indicator").is_in(list(BOUNDED)))
    out = shares.filter(~pl.col("value").is_between(0, 100))
    assert shares.height > 0
    assert out.is_empty(), out.head(10).to_dicts()


def test_no_stored_territory_row_is_empty(portrait_db):
    assert not TerritoryValues.objects.filter(values={}).exists()

"""The one current geography in the imports and the build: Paris, Lyon and Marseille counted
once, merged communes re-based from any COG since 2013 (issue 10, "geography").

The fixture ``base-cc-logement-2021-arrondissements.CSV`` is in the layout of INSEE's census
bases: the rows of 75056, 69123 and 13055 and of their 45 arrondissements are the real ones of
the 2021 housing file; 01039 (Béon, now commune déléguée of Culoz-Béon 01138) and 01172 (merged
into Nivigne et Suran 01095 before 2019) are constructed rows of an older vintage.
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from pvd.diagnostics.selectors import territory_values
from pvd.diagnostics.services import indicator_source_import, indicators_build
from pvd.domain.geography import SKIP_ARM_PARENT_ROW, plan
from pvd.territories.current_geography import current_geography, snapshot_former_codes

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "insee"
HOUSING = FIXTURE / "base-cc-logement-2021-arrondissements.CSV"
CITIES = {"75056": "75", "69123": "69", "13055": "13"}


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["CODGEO"]: r for r in csv.DictReader(f, delimiter=";")}


def _value(level: str, code: str, indicator: str, millesime: int = 2021) -> float | None:
    found = [
        v.value
        for v in territory_values(level=level, code=code)
        if v.indicator == indicator and v.millesime == millesime
    ]
    return found[0] if found else None


def test_reader_knows_arrondissements_delegated_and_former_codes(referential):
    geo = current_geography()
    assert len(geo.arrondissements) == 45
    assert set(geo.arrondissements.values()) == set(CITIES)
    assert "75056" in geo.actual and "75101" not in geo.actual
    assert geo.target_of("01039") == "01138"  # commune déléguée
    assert geo.target_of("01172") == "01095"  # merged before 2019: only in the former codes
    assert geo.target_of("60455") == "60694"  # the COG's COMD relation wins over the history
    assert geo.target_of("01138") == "01138"  # a commune nouvelle keeping a COMD's code
    assert len(snapshot_former_codes()) > 4000


def test_city_rows_are_not_doubled_by_their_arrondissements(referential):
    rows = _rows(HOUSING)
    # Replacing the session's nationwide housing file by this extract is not what is tested.
    report = indicator_source_import(kind="logement", path=HOUSING, confirm=True)
    assert report.skipped[SKIP_ARM_PARENT_ROW] == 45
    text = "\n".join(report.lines())
    assert "01039→01138" in text and "01172→01095" in text
    indicators_build()
    for city, dep in CITIES.items():
        assert _value("COM", city, "logements") == int(rows[city]["P21_LOG"])
        # The file has no other commune of these departments: each is its city alone.
        assert _value("DEP", dep, "logements") == int(rows[city]["P21_LOG"])
    # France is the sum of the file's commune rows, re-based.
    communes = [r for code, r in rows.items() if code not in current_geography().arrondissements]
    assert _value("FR", "FR", "logements") == sum(int(r["P21_LOG"]) for r in communes)
    vacant = sum(int(r["P21_LOGVAC"]) for r in communes)
    total = sum(int(r["P21_LOG"]) for r in communes)
    assert _value("FR", "FR", "taux_vacance") == pytest.approx(100 * vacant / total)
    # Merged parts are summed onto their current commune.
    assert _value("COM", "01138", "logements") == 1852 + 310
    assert _value("COM", "01095", "logements") == 484 + 98


def test_real_housing_file_paris_and_france(portrait_db):
    """`pvd indicators import logement` of the shared 2021 file, then `build` (the session's
    portrait database): before the fix Paris had 2,793,507 dwellings and France 8.135 %."""
    assert _value("COM", "75056", "logements") == 1_396_753
    assert _value("DEP", "75", "logements") == 1_396_753
    assert _value("COM", "69123", "logements") == 315_790
    assert _value("COM", "13055", "logements") == 462_324
    assert _value("FR", "FR", "logements") == 37_153_192
    assert round(_value("FR", "FR", "taux_vacance"), 3) == 8.082


def test_every_bpe_2013_code_is_placed(referential, shared_data):
    """BPE 2013 (2013 codes): 310 codes (3,989 facilities) were left unplaced when only the
    merges since COG 2019 were known; the former codes of the snapshot place them all."""
    bpe = pl.read_csv(
        shared_data / "bpe" / "bpe13_ensemble.csv",
        separator=";",
        columns=["DEPCOM", "NB_EQUIP"],
        schema_overrides={"DEPCOM": pl.String},
    )
    where = plan(bpe.get_column("DEPCOM").unique().to_list(), current_geography())
    assert where.unknown == []
    assert not where.skipped  # the BPE has arrondissements, never their city
    assert where.additive["01172"] == "01095" and where.additive["75101"] == "75056"

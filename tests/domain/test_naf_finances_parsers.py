"""Parsers of the Cerema land-consumption file and of the DGFiP communes' accounts on fixtures
in the official layouts (tests/data/cerema, tests/data/dgfip), their errors on malformed files
(file, line, column named), and the optional columns of the census employment file."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pvd.sources.cerema_naf import read_naf
from pvd.sources.dgfip_comptes import read_comptes
from pvd.sources.insee_census import read_census
from pvd.sources.report import SourceError
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INCONSISTENT,
    INVALID_CODE,
    INVALID_VALUE,
    MISSING_COLUMN,
)

DATA = Path(__file__).resolve().parent.parent / "data"
CEREMA = DATA / "cerema"
DGFIP = DATA / "dgfip"


def value(parsed, code, variable, millesime):
    frame = parsed.observations.filter(
        (pl.col("code") == code)
        & (pl.col("variable") == variable)
        & (pl.col("millesime") == millesime)
    )
    return frame.item(0, "value") if frame.height else None


def test_naf_annual_flows_housing_and_area():
    p = read_naf(CEREMA / "obs_artif_conso_com_2009_2023.csv")
    assert p.rows == 13 and p.separator == ","
    assert p.millesimes == list(range(2009, 2023))  # naf09art10 ... naf22art23
    assert value(p, "48140", "naf_conso", 2009) == 1000  # naf09art10
    assert value(p, "48140", "naf_conso", 2022) == 3000  # naf22art23
    assert value(p, "48140", "naf_conso_habitat", 2015) == 3000  # art15hab16
    assert value(p, "48140", "surface_commune", 0) == 40_000_000  # surfcom2023, m²
    assert value(p, "48146", "naf_conso", 2012) == 0  # nothing consumed: a real zero
    assert value(p, "2B033", "naf_conso", 2015) is None  # empty cell: missing, not zero
    assert p.missing_values == 1
    # multi-year totals (naf09art23) are checked, not stored as a flow
    assert "naf09art23" not in p.columns["naf_conso"]


def test_naf_semicolon_copy_and_errors_name_line_and_column():
    with pytest.raises(SourceError) as e:
        read_naf(CEREMA / "naf-sans-surface.csv")
    assert (e.value.code, e.value.line) == (MISSING_COLUMN, 1) and "surfcom2023" in str(e.value)
    with pytest.raises(SourceError) as e:
        read_naf(CEREMA / "naf-valeur-invalide.csv")
    found = {(err.code, err.line, err.column) for err in e.value.errors}
    assert (INVALID_VALUE, 4, "naf15art16") in found  # "beaucoup"
    assert (INVALID_VALUE, 5, "naf16art17") in found  # negative flow
    assert "naf-valeur-invalide.csv" in str(e.value)
    with pytest.raises(SourceError) as e:
        read_naf(CEREMA / "naf-code-invalide.csv")
    assert (e.value.code, e.value.line, e.value.column) == (INVALID_CODE, 3, "idcom")
    with pytest.raises(SourceError) as e:
        read_naf(CEREMA / "naf-total-incoherent.csv")
    assert (e.value.code, e.value.line, e.value.column) == (INCONSISTENT, 2, "naf09art23")


def test_naf_area_in_another_unit_is_refused(tmp_path):
    text = (CEREMA / "obs_artif_conso_com_2009_2023.csv").read_text().splitlines()
    header = text[0].split(",")
    i = header.index("surfcom2023")
    rows = [line.split(",") for line in text[1:]]
    for r in rows:
        r[i] = str(int(r[i]) / 1_000_000)  # km²
    path = tmp_path / "naf-km2.csv"
    path.write_text("\n".join([text[0], *(",".join(r) for r in rows)]))
    with pytest.raises(SourceError) as e:
        read_naf(path)
    assert e.value.column == "surfcom2023" and "m²" in str(e.value)


def test_dgfip_accounts_codes_units_and_years():
    p = read_comptes(DGFIP / "comptes-individuels-des-communes.csv")
    assert p.rows == 17 and p.separator == ";" and p.encoding == "utf-8-sig"
    assert p.millesimes == [2016, 2021, 2022, 2023]
    assert value(p, "48140", "dgfip_dette", 2021) == 4_000_000  # 4,000 k€ -> euros
    assert value(p, "48140", "dgfip_population", 2021) == 4233
    assert value(p, "48061", "dgfip_caf", 2021) == -150_000
    assert value(p, "48061", "dgfip_dette", 2023) is None  # empty cell: missing
    assert value(p, "2A004", "dgfip_equipement", 2023) == 21_000_000  # dep 02A + icom 004
    assert value(p, "97105", "dgfip_dette", 2023) == 14_800_000  # dep 971 + icom 105
    assert value(p, "75056", "dgfip_population", 2023) == 2_145_906  # dep 075 + icom 056
    assert value(p, "01039", "dgfip_dette", 2016) == 120_000  # old code, re-based on import


def test_dgfip_errors_name_line_and_column():
    with pytest.raises(SourceError) as e:
        read_comptes(DGFIP / "comptes-sans-dette.csv")
    assert (e.value.code, e.value.column) == (MISSING_COLUMN, "dette")
    with pytest.raises(SourceError) as e:
        read_comptes(DGFIP / "comptes-code-invalide.csv")
    found = {(err.code, err.line) for err in e.value.errors}
    assert (INVALID_CODE, 3) in found and "101" in str(e.value)  # not guessed
    assert (DUPLICATE_KEY, 5) in found
    with pytest.raises(SourceError) as e:
        read_comptes(DGFIP / "comptes-valeur-invalide.csv")
    found = {(err.code, err.line, err.column) for err in e.value.errors}
    assert found == {(INVALID_VALUE, 3, "caf"), (INVALID_VALUE, 4, "an")}
    with pytest.raises(SourceError) as e:
        read_comptes(DGFIP / "comptes-montants-en-euros.csv")
    assert e.value.code == INCONSISTENT and "milliers d'euros" in str(e.value)


def test_employment_file_optional_jobs_and_commuting_columns():
    p = read_census(DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV", kind="emploi")
    assert value(p, "48140", "emplois_lieu_travail", 2021) == 2110  # P21_EMPLT
    assert value(p, "48140", "actifs_occupes_15p", 2021) == 1620  # P21_ACTOCC15P
    assert value(p, "48140", "navetteurs_15p", 2021) == 1620  # C21_ACTOCC15P
    assert value(p, "48140", "navetteurs_voit", 2021) == 1290  # C21_ACTOCC15P_VOIT
    assert value(p, "48061", "navetteurs_tcom", 2021) == 10
    # Without these columns the file imports as before.
    old = read_census(DATA / "insee" / "emploi-sans-navettes.CSV", kind="emploi")
    assert set(old.columns) == {"actifs_15_64", "chomeurs_15_64"}
    assert value(old, "48140", "chomeurs_15_64", 2021) == 210

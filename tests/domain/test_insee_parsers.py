"""INSEE parsers on fixtures in the official layouts (tests/data/insee, tests/data/bpe), and
their errors on malformed files (file, line, column named)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pvd.sources.insee_bpe import read_bpe, read_gammes
from pvd.sources.insee_census import read_census
from pvd.sources.insee_filosofi import read_filosofi
from pvd.sources.report import SourceError
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    FIELD_COUNT,
    INVALID_CODE,
    INVALID_VALUE,
    MISSING_COLUMN,
    SourceRowErrors,
)

DATA = Path(__file__).resolve().parent.parent / "data"
INSEE = DATA / "insee"
BPE = DATA / "bpe"


def value(parsed, code, variable, millesime):
    frame = parsed.observations.filter(
        (pl.col("code") == code)
        & (pl.col("variable") == variable)
        & (pl.col("millesime") == millesime)
    )
    return frame.item(0, "value") if frame.height else None


def test_historical_series():
    p = read_census(INSEE / "base-cc-serie-historique-2022.CSV", kind="historique")
    assert p.rows == 3 and p.separator == ";"
    assert value(p, "48140", "pop_rp", 1968) == 5610
    assert value(p, "48140", "pop_rp", 2022) == 4010
    assert value(p, "48140", "superficie", 0) == 31.5
    # Flows are stored under the census that opens their period.
    assert value(p, "48140", "naissances", 2016) == 180  # NAIS1621: 2016-2021, P16 to P22
    assert value(p, "48140", "deces", 1968) == 560  # DECE6875: D68 to D75
    assert value(p, "48140", "logements_vacants", 2022) == 615
    assert value(p, "48095", "pop_rp", 2022) is None  # "s": secret, missing, not zero
    assert value(p, "48095", "pop_rp", 2016) == 52
    assert p.missing_values == 1
    assert p.millesimes[0] == 1968 and p.millesimes[-1] == 2022


@pytest.mark.parametrize(
    ("kind", "fixture", "checks"),
    [
        ("logement", "base-cc-logement-2021.CSV", {("48140", "logements_vacants"): 600}),
        ("ages", "base-cc-evol-struct-pop-2021.CSV", {("48140", "pop_75_plus"): 650}),
        ("emploi", "base-cc-emploi-pop-active-2021.CSV", {("48061", "chomeurs_15_64"): 30}),
    ],
)
def test_census_2021_files(kind, fixture, checks):
    p = read_census(INSEE / fixture, kind=kind)
    assert p.millesimes == [2021]
    for (code, variable), expected in checks.items():
        assert value(p, code, variable, 2021) == expected


def test_filosofi_decimal_commas_and_secret():
    p = read_filosofi(INSEE / "cc_filosofi_2021_COM.csv")
    assert value(p, "48140", "revenu_median", 2021) == 20150
    assert value(p, "48140", "taux_pauvrete", 2021) == 17.5
    assert value(p, "48095", "revenu_median", 2021) is None
    assert p.missing_values == 2


def test_filosofi_reduced_layout_from_shared_data(shared_data):
    p = read_filosofi(shared_data / "insee" / "filosofi-2021-communes-med.csv")
    assert p.rows == 31322
    assert value(p, "01001", "revenu_median", 2021) == 25820


def test_missing_columns_are_named():
    with pytest.raises(SourceError) as e:
        read_filosofi(INSEE / "filosofi-colonne-manquante.csv")
    assert e.value.code == MISSING_COLUMN and "MED21" in str(e.value) and e.value.line == 1
    with pytest.raises(SourceError) as e:
        read_census(INSEE / "cc_filosofi_2021_COM.csv", kind="emploi")
    assert "P21_ACT1564" in str(e.value) and "P21_CHOM1564" in str(e.value)


def test_non_numeric_value_names_line_and_column():
    with pytest.raises(SourceError) as e:
        read_census(INSEE / "logement-valeur-invalide.CSV", kind="logement")
    assert (e.value.code, e.value.line, e.value.column) == (INVALID_VALUE, 3, "P21_LOGVAC")
    assert "beaucoup" in str(e.value)


def test_invalid_and_duplicate_codes():
    with pytest.raises(SourceError) as e:
        read_census(INSEE / "logement-code-invalide.CSV", kind="logement")
    assert (e.value.code, e.value.line, e.value.column) == (INVALID_CODE, 3, "CODGEO")
    assert any(err.line == 4 and "double" in err.message for err in e.value.errors)


def test_ragged_line():
    with pytest.raises(SourceError) as e:
        read_census(INSEE / "logement-ligne-incomplete.CSV", kind="logement")
    assert (e.value.code, e.value.line) == (FIELD_COUNT, 3)


def test_bpe_counts_per_type_domain_and_gamme():
    p = read_bpe(BPE / "bpe13_ensemble.csv", gammes=read_gammes(BPE / "gammes.csv"))
    assert p.millesimes == [2013]
    assert value(p, "48140", "bpe_B203", 2013) == 5
    assert value(p, "48140", "bpe_dom_B", 2013) == 7
    assert value(p, "48140", "bpe_sdom_F3", 2013) == 1
    assert value(p, "48140", "bpe_total", 2013) == 22
    assert value(p, "48140", "bpe_gamme_proximite", 2013) == 15
    assert value(p, "48140", "bpe_gamme_intermediaire", 2013) == 2
    assert value(p, "48140", "bpe_gamme_superieure", 2013) == 1
    assert value(p, "48061", "bpe_gamme_proximite", 2013) == 2


def test_bpe_one_row_per_facility_layout():
    p = read_bpe(BPE / "bpe24_une_ligne_par_equipement.csv")
    assert p.millesimes == [2024]
    assert value(p, "48140", "bpe_B203", 2024) == 2
    assert value(p, "48061", "bpe_total", 2024) == 1


def test_bpe_errors():
    with pytest.raises(SourceError) as e:
        read_bpe(BPE / "bpe-type-invalide.csv")
    assert (e.value.line, e.value.column) == (3, "TYPEQU")
    assert any(err.line == 4 and err.column == "NB_EQUIP" for err in e.value.errors)
    with pytest.raises(SourceError) as e:
        read_bpe(BPE / "bpe-sans-typequ.csv")
    assert e.value.code == MISSING_COLUMN and "TYPEQU" in str(e.value)


def test_bpe_without_vintage(tmp_path):
    text = (BPE / "bpe24_une_ligne_par_equipement.csv").read_text()
    path = tmp_path / "bpe-sans-an.csv"
    path.write_text("\n".join(";".join(line.split(";")[1:]) for line in text.splitlines()))
    with pytest.raises(SourceError, match="millésime"):
        read_bpe(path)
    assert read_bpe(path, millesime=2024).millesimes == [2024]


def test_bpe_shared_data_2013(shared_data):
    p = read_bpe(shared_data / "bpe" / "bpe13_ensemble.csv")
    assert p.rows == 625834 and p.millesimes == [2013]


def test_filosofi_long_melodi_layout():
    p = read_filosofi(INSEE / "DS_FILOSOFI_CC_2021_data.csv")
    assert value(p, "48140", "revenu_median", 2021) == 20150
    assert value(p, "48140", "taux_pauvrete", 2021) == 17.5
    # A confidential cell (CONF_STATUS C, empty OBS_VALUE) stays missing, never zero.
    assert value(p, "48061", "taux_pauvrete", 2021) is None and p.missing_values == 1
    # EPCI, department and arrondissement rows and other measures (D1_SL) are not read, counted.
    # Not read: the D1_SL measure and the Paris arrondissement.
    assert p.ignored_rows == 2 and p.skipped == {}
    assert set(p.observations.get_column("code")) == {"48140", "48061", "48095", "01039"}
    # INSEE's own figures of the EPCI, department, region and (metropolitan) France.
    published = {
        (level, code, variable): (value, status)
        for level, code, variable, millesime, value, status in p.published.rows()
        if millesime == 2021
    }
    assert published == {
        ("EPCI", "200069185", "revenu_median"): (20500.0, "insee"),
        ("EPCI", "200069185", "taux_pauvrete"): (15.1, "insee"),
        ("DEP", "48", "revenu_median"): (20760.0, "insee"),
        ("REG", "76", "revenu_median"): (21900.0, "insee"),
        ("FR", "FR", "revenu_median"): (23160.0, "insee_metropole"),
        ("FR", "FR", "taux_pauvrete"): (14.5, "insee_metropole"),
    }


def test_filosofi_melodi_unknown_territory_kinds_are_counted_not_guessed(tmp_path):
    header = (INSEE / "DS_FILOSOFI_CC_2021_data.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "DS_FILOSOFI_CC_2021_data.csv"
    path.write_text(
        "\n".join(
            [
                header,
                "48140;COM;MED_SL;EUR_YR;0;F;A;2021;20150",
                "00759;UU2020;MED_SL;EUR_YR;0;F;A;2021;25010",  # a kind of territory not read
                "00759;UU2020;PR_MD60;PT;0;F;A;2021;13.2",
                "F;FRANCE;MED_SL;EUR_YR;0;F;A;2021;23000",  # a France other than FM
                "ZZZZZZZZZ;EPCI;MED_SL;EUR_YR;0;F;A;2021;21000",  # not a SIREN
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    p = read_filosofi(path)
    assert p.skipped == {
        "lignes de GEO_OBJECT « UU2020 » inconnu, non lues": 2,
        "lignes FRANCE de code non reconnu (F…), non lues": 1,
        "lignes EPCI de code non reconnu (ZZZZZZZZZ…), non lues": 1,
    }
    assert p.published.is_empty() and p.ignored_rows == 0


def test_filosofi_long_layout_errors_name_line_and_column():
    with pytest.raises(SourceRowErrors) as exc:
        read_filosofi(INSEE / "filosofi-melodi-sans-valeur.csv")
    assert exc.value.errors[0].code == MISSING_COLUMN and "OBS_VALUE" in str(exc.value)
    with pytest.raises(SourceRowErrors) as exc:
        read_filosofi(INSEE / "filosofi-melodi-valeur-invalide.csv")
    found = {(e.code, e.line, e.column) for e in exc.value.errors}
    assert (INVALID_VALUE, 3, "OBS_VALUE") in found
    assert (DUPLICATE_KEY, 5, "GEO") in found

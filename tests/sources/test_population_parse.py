"""Parsing INSEE legal-population files (2023 layout, older layout in Latin-1, CODGEO files)."""

import zipfile
from pathlib import Path

import pytest

from pvd.sources.population import compose_code, parse_count, read_populations
from pvd.sources.tabular import INVALID_CODE, INVALID_VALUE, MISSING_COLUMN, SourceRowErrors

DATA = Path(__file__).resolve().parent.parent / "data" / "population"


@pytest.mark.parametrize(
    "dep, codcom, code",
    [
        ("01", "001", "01001"),
        ("01", "1", "01001"),
        ("2A", "004", "2A004"),
        ("971", "05", "97105"),  # overseas: 2-digit commune number
        ("971", "105", "97105"),  # or 3 digits repeating the department's last one
        ("971", "205", None),
        ("01", "1234", None),
        ("99X", "001", None),
    ],
)
def test_commune_code_from_department_and_number(dep, codcom, code):
    assert compose_code(dep, codcom) == code


@pytest.mark.parametrize(
    "raw, value",
    [
        ("860", (860, False)),
        (" 2 103 778 ", (2103778, False)),
        ("12,6", (13, True)),
        ("s", (None, False)),
        ("ND", (None, False)),
        ("", (None, False)),
        ("nc", (None, False)),
    ],
)
def test_counts_and_secrecy_markers(raw, value):
    assert parse_count(raw) == value


def test_unreadable_count_is_an_error():
    with pytest.raises(ValueError):
        parse_count("beaucoup")
    with pytest.raises(ValueError):
        parse_count("-3")


def test_2023_layout_reads_the_code_from_com():
    pf = read_populations(DATA / "donnees_communes.csv", millesime=2023)
    assert (pf.layout, pf.column, pf.encoding, pf.separator) == (
        "donnees_communes",
        "PMUN",
        "utf-8",
        ";",
    )
    values = {r.code: r.population for r in pf.rows}
    assert len(values) == 27
    assert values["01001"] == 860 and values["97105"] == 9417 and values["75120"] == 185140
    assert "75056" not in values  # Paris is published through its arrondissements


def test_older_layout_in_latin1_composes_the_code():
    pf = read_populations(DATA / "donnees_communes_2019_latin1.csv", millesime=2019)
    assert pf.encoding == "cp1252"
    values = {r.code: r.population for r in pf.rows}
    assert values["01039"] == 443 and values["97105"] == 9861 and values["2A004"] == 71361


def test_codgeo_file_keeps_secret_values_missing():
    pf = read_populations(DATA / "base-cc-serie-historique-2022.CSV", millesime=2022)
    assert (pf.layout, pf.column) == ("codgeo", "P22_POP")
    values = {r.code: r.population for r in pf.rows}
    assert values["01002"] is None and values["01039"] is None  # "s" and "nd", never 0
    assert values["01001"] == 859


def test_the_population_column_is_chosen_by_millesime_or_named():
    with pytest.raises(SourceRowErrors) as exc:
        read_populations(DATA / "base-cc-serie-historique-2022.CSV", millesime=2021)
    assert exc.value.code == MISSING_COLUMN and "P21_POP" in str(exc.value)
    pf = read_populations(
        DATA / "base-cc-serie-historique-2022.CSV", millesime=2016, column="P16_POP"
    )
    assert {r.code: r.population for r in pf.rows}["01001"] == 767


def test_missing_population_column_is_named():
    with pytest.raises(SourceRowErrors) as exc:
        read_populations(DATA / "donnees_communes_sans_pmun.csv", millesime=2023)
    assert (exc.value.code, exc.value.line, exc.value.column) == (MISSING_COLUMN, 1, "PMUN")


def test_bad_code_names_file_line_and_column():
    with pytest.raises(SourceRowErrors) as exc:
        read_populations(DATA / "donnees_communes_code_invalide.csv", millesime=2023)
    assert (exc.value.code, exc.value.line, exc.value.column) == (INVALID_CODE, 5, "COM")
    assert "donnees_communes_code_invalide.csv, ligne 5, colonne COM" in str(exc.value)


def test_unreadable_value_names_its_line(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("CODGEO;PMUN\n01001;860\n01002;beaucoup\n")
    with pytest.raises(SourceRowErrors) as exc:
        read_populations(path, millesime=2023)
    assert (exc.value.code, exc.value.line, exc.value.column) == (INVALID_VALUE, 3, "PMUN")


def test_the_official_archive_is_read_directly(tmp_path):
    archive = tmp_path / "ensemble.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("donnees_departements.csv", "REG;DEP;PMUN\n84;01;1\n")
        z.write(DATA / "donnees_communes.csv", "donnees_communes.csv")
    pf = read_populations(archive, millesime=2023)
    assert pf.path.endswith("ensemble.zip!donnees_communes.csv") and len(pf.rows) == 27


@pytest.mark.parametrize(
    ("header", "column", "expected"),
    [
        (
            "CODGEO;LIBGEO",
            None,
            ("PMUN", "colonne de population manquante : une de PMUN, PMUN2021, P21_POP, P2021_POP"),
        ),
        ("CODGEO;LIBGEO", "PTOT", ("PTOT", "colonne de population « PTOT » absente")),
        (
            "FOO;PMUN",
            None,
            ("CODGEO", "colonnes du code commune manquantes : CODGEO, ou DEP et CODCOM"),
        ),
    ],
)
def test_header_errors_name_the_header_read(tmp_path, header, column, expected):
    path = tmp_path / "pop.csv"
    path.write_text(f"{header}\n01001;5\n", encoding="utf-8")
    with pytest.raises(SourceRowErrors) as exc:
        read_populations(path, millesime=2021, column=column)
    (error,) = exc.value.errors
    assert (error.code, error.line, error.column) == (MISSING_COLUMN, 1, expected[0])
    assert error.message == f"{expected[1]} (en-tête lu : {header})"

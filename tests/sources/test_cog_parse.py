"""Parsing the INSEE COG files (communes, departments, regions) in their official layout."""

from pathlib import Path

import pytest

from pvd.sources.cog import read_cog, vintage_from_name
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INCONSISTENT,
    INVALID_CODE,
    MISSING_COLUMN,
    UNKNOWN_LAYOUT,
    UNKNOWN_VALUE,
    SourceRowErrors,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "cog"
HEADER = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
GOOD = "COM,01015,84,01,01D,011,1,ARBOYS EN BUGEY,Arboys en Bugey,Arboys en Bugey,0112,\n"


def test_communes_file_gives_typed_rows():
    cog = read_cog(DATA / "v_commune_2026.csv")
    assert (cog.kind, cog.vintage, cog.encoding) == ("communes", 2026, "utf-8")
    assert len(cog.rows) == 15
    by_key = {(r.code, r.type): r for r in cog.rows}
    ajaccio = by_key[("2A004", "COM")]
    assert (ajaccio.departement, ajaccio.region, ajaccio.arrondissement) == ("2A", "94", "2A1")
    arbignieu = by_key[("01015", "COMD")]
    assert (
        arbignieu.parent == "01015" and arbignieu.departement == "" and arbignieu.nom == "Arbignieu"
    )
    assert by_key[("75101", "ARM")].parent == "75056"
    assert by_key[("97601", "COM")].arrondissement == ""  # Mayotte has no arrondissement
    assert by_key[("01001", "COM")].nom == "L'Abergement-Clémenciat"


def test_departements_and_regions_files_are_told_by_their_header():
    deps = read_cog(DATA / "v_departement_2026.csv")
    regs = read_cog(DATA / "v_region_2026.csv")
    assert deps.kind == "departements" and len(deps.rows) == 10
    assert regs.kind == "regions" and len(regs.rows) == 18
    assert {d.code: d.region for d in deps.rows}["971"] == "01"
    assert {r.code: r.nom for r in regs.rows}["93"] == "Provence-Alpes-Côte d'Azur"


def test_vintage_comes_from_the_file_name():
    assert vintage_from_name("v_commune_2026.csv") == 2026
    assert vintage_from_name("communes2020.csv") == 2020
    assert vintage_from_name("communes.csv") is None


def test_missing_column_is_named():
    with pytest.raises(SourceRowErrors) as exc:
        read_cog(DATA / "v_commune_2026_sans_libelle.csv")
    assert exc.value.code == MISSING_COLUMN
    assert (exc.value.line, exc.value.column) == (1, "LIBELLE")
    assert "v_commune_2026_sans_libelle.csv, ligne 1, colonne LIBELLE" in str(exc.value)


def test_bad_code_names_file_line_and_column():
    with pytest.raises(SourceRowErrors) as exc:
        read_cog(DATA / "v_commune_2026_code_invalide.csv")
    error = exc.value
    assert (error.code, error.line, error.column) == (INVALID_CODE, 5, "COM")
    assert "v_commune_2026_code_invalide.csv, ligne 5, colonne COM" in str(error)
    assert "0101A" in str(error)
    # Its communes déléguées now point to a parent missing from the file: reported too.
    assert [(e.code, e.line) for e in error.errors[1:]] == [(UNKNOWN_VALUE, 6), (UNKNOWN_VALUE, 10)]


@pytest.mark.parametrize(
    "row, code, column",
    [
        ("COMX,01015,84,01,01D,011,1,A,A,A,0112,\n", UNKNOWN_VALUE, "TYPECOM"),
        ("COM,01015,84,1,01D,011,1,A,A,A,0112,\n", INVALID_CODE, "DEP"),
        ("COM,01015,84,02,02D,021,1,A,A,A,0112,\n", INCONSISTENT, "DEP"),
        ("COM,01015,8,01,01D,011,1,A,A,A,0112,\n", INVALID_CODE, "REG"),
        ("COM,01015,84,01,01D,021,1,A,A,A,0112,\n", INCONSISTENT, "ARR"),
        ("COM,01015,84,01,01D,011,1,A,A,A,0112,01001\n", INCONSISTENT, "COMPARENT"),
        ("COMD,01340,,,,,1,A,A,A,,\n", "invalid-value", "COMPARENT"),
        ("COMD,01340,,,,,1,A,A,,,01015\n", "invalid-value", "LIBELLE"),
        (GOOD, DUPLICATE_KEY, "COM"),
    ],
)
def test_each_kind_of_bad_row_has_its_code_and_column(tmp_path, row, code, column):
    path = tmp_path / "v_commune_2026.csv"
    path.write_text(HEADER + GOOD + row, encoding="utf-8")
    with pytest.raises(SourceRowErrors) as exc:
        read_cog(path)
    assert (exc.value.code, exc.value.line, exc.value.column) == (code, 3, column)


def test_lower_case_headers_of_older_vintages_are_accepted(tmp_path):
    path = tmp_path / "communes2020.csv"
    path.write_text(
        "typecom,com,reg,dep,arr,tncc,ncc,nccenr,libelle,can,comparent\n"
        "COM,01001,84,01,012,5,ABERGEMENT CLEMENCIAT,Abergement-Clémenciat,"
        "L'Abergement-Clémenciat,0108,\n"
        "COMD,01015,,,,1,ARBIGNIEU,Arbignieu,Arbignieu,,01001\n",
        encoding="utf-8",
    )
    cog = read_cog(path)
    assert cog.vintage == 2020 and [r.code for r in cog.rows] == ["01001", "01015"]


def test_unknown_layout(tmp_path):
    path = tmp_path / "autre.csv"
    path.write_text("A,B\n1,2\n")
    with pytest.raises(SourceRowErrors) as exc:
        read_cog(path)
    assert exc.value.code == UNKNOWN_LAYOUT
    assert "TYPECOM" in str(exc.value)

"""Decoding and splitting official CSV files: encodings, separators, header and row shape."""

import zipfile

import pytest

from pvd.sources.tabular import (
    EMPTY_FILE,
    FIELD_COUNT,
    MISSING_COLUMN,
    SourceRowErrors,
    decode,
    read_table,
)


def test_utf8_with_and_without_bom_and_latin1_are_told_apart():
    assert decode("é".encode()) == ("é", "utf-8")
    assert decode(b"\xef\xbb\xbf" + "é".encode()) == ("é", "utf-8-sig")
    assert decode("Béon".encode("latin-1")) == ("Béon", "cp1252")
    # Windows-1252 reads the French ligature that ISO-8859-1 lacks.
    assert decode("Œuilly".encode("cp1252"))[0] == "Œuilly"
    # A byte undefined in Windows-1252 still decodes, as ISO-8859-1.
    assert decode(b"\x81")[1] == "latin-1"


def test_separator_is_detected_and_header_matched_case_insensitively(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("\ufeffcodgeo;p22_pop\n01001;859\n\n".encode())
    table = read_table(path)
    assert table.separator == ";"
    assert table.encoding == "utf-8-sig"
    assert table.header == ["codgeo", "p22_pop"]
    assert table.rows == [(2, {"CODGEO": "01001", "P22_POP": "859"})]
    table.require(["CODGEO", "P22_POP"], layout="CODGEO;P22_POP")


def test_missing_columns_are_all_named(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("A,B\n1,2\n")
    table = read_table(path)
    with pytest.raises(SourceRowErrors) as exc:
        table.require(["A", "C", "D"], layout="A,C,D")
    assert exc.value.code == MISSING_COLUMN
    assert exc.value.line == 1 and exc.value.column == "C"
    assert "C, D" in str(exc.value)


def test_rows_with_a_wrong_number_of_fields_are_reported_with_their_line(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("A,B\n1,2\n3\n4,5,6\n")
    with pytest.raises(SourceRowErrors) as exc:
        read_table(path)
    assert [(e.code, e.line) for e in exc.value.errors] == [(FIELD_COUNT, 3), (FIELD_COUNT, 4)]
    assert "f.csv, ligne 3" in str(exc.value)
    assert "et 1 autre erreur" in str(exc.value)


def test_empty_file(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("")
    with pytest.raises(SourceRowErrors) as exc:
        read_table(path)
    assert exc.value.code == EMPTY_FILE


def test_a_csv_is_read_from_a_zip_archive(tmp_path):
    path = tmp_path / "ensemble.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("donnees_regions.csv", "REG;PMUN\n84;1\n")
        archive.writestr("donnees_communes.csv", "COM;PMUN\n01001;860\n")
    table = read_table(path, prefer_members=["donnees_communes.csv"])
    assert table.path.endswith("ensemble.zip!donnees_communes.csv")
    assert table.rows[0][1]["COM"] == "01001"


def test_the_data_file_is_chosen_over_its_column_dictionary(tmp_path):
    path = tmp_path / "base-cc-serie-historique-2022_csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("meta_base-cc-serie-historique-2022.CSV", "COD_VAR;LIB_VAR\n")
        archive.writestr("base-cc-serie-historique-2022.CSV", "CODGEO;P22_POP\n01001;859\n")
    table = read_table(path)
    assert table.path.endswith("!base-cc-serie-historique-2022.CSV")

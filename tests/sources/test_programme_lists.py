"""Parsing the official laureate lists and the ORT sheet (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pvd.sources.ort_list import read_ort_list
from pvd.sources.pvd_list import id_pvd_parts, parse_date, read_programme_list
from pvd.sources.report import SourceError

DATA = Path(__file__).resolve().parent.parent / "data" / "programme"


def test_datagouv_layout_with_bom_and_na():
    parsed = read_programme_list(DATA / "pvd-datagouv.csv")
    assert parsed.layout == "data.gouv.fr"
    assert parsed.separator == ","
    assert "BOM" in parsed.encoding
    assert len(parsed.rows) == 9
    by_code = {r.code: r for r in parsed.rows}
    assert by_code["23001"].date_signature == date(2021, 4, 7)
    assert by_code["23176"].date_signature is None  # "NA"
    assert by_code["16005"].date_signature == date(2021, 4, 7)  # 07/04/2021
    assert by_code["23067"].departement == "19"
    assert by_code["97105"].siren_epci == "200012345"
    assert parsed.issues == []


def test_early_layout_semicolon_latin1():
    parsed = read_programme_list(DATA / "pvd-2021-latin1.csv")
    assert parsed.layout.startswith("liste de janvier 2021")
    assert parsed.separator == ";"
    assert "Latin-1" in parsed.encoding
    codes = [r.code for r in parsed.rows]
    assert codes == ["23001", "19275", "23067", "16005", "01004"]
    assert parsed.rows[3].id_pvd is None
    assert parsed.rows[4].lib_epci == "CC de la Plaine de l’Ain"  # Windows-1252 apostrophe
    issues = {(i.code, i.line) for i in parsed.issues}
    assert ("invalid-code", 7) in issues  # the 999999 placeholder
    assert ("invalid-value", 4) in issues  # "01/2021"
    assert ("fixed-leading-zero", 6) in issues


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pvd-sans-code.csv", "insee_com"),
        ("pvd-champs.csv", "champs"),
        ("pvd-vide.csv", "aucune ligne exploitable"),
        ("absent.csv", "introuvable"),
    ],
)
def test_bad_files_fail_clearly(name, expected):
    with pytest.raises(SourceError) as exc:
        read_programme_list(DATA / name)
    assert expected in str(exc.value)
    assert name in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("2021-05-28", (date(2021, 5, 28), True)),
        ("28/05/2021", (date(2021, 5, 28), True)),
        ("NA", (None, True)),
        ("01/2021", (None, False)),
    ],
)
def test_dates(raw, parsed):
    assert parse_date(raw) == parsed


@pytest.mark.parametrize(
    ("id_pvd", "parts"),
    [
        ("pvd-84-63-1", ("84", ["63"])),
        ("pvd-44-5455-1", ("44", ["54", "55"])),
        ("pvd-01-971-5", ("01", ["971"])),
        ("n'importe quoi", None),
    ],
)
def test_group_ids(id_pvd, parts):
    assert id_pvd_parts(id_pvd) == parts


def test_ort_sheet():
    parsed = read_ort_list(DATA / "ort.csv")
    rows = {r.code: r for r in parsed.rows}
    assert rows["23001"].signature == "signee"
    assert rows["23001"].date_signature == date(2022, 10, 18)
    assert rows["23001"].date_fin == date(2027, 10, 18)
    assert rows["23001"].duree_annees == 5
    assert rows["23001"].pvd is True and rows["23001"].acv is False
    assert rows["23001"].departement_prefix == "23"
    assert rows["19275"].signature == "non_signee"
    assert rows["19275"].date_envisagee == "4e trimestre 2023"
    assert rows["16226"].signature == "en_cours"
    assert rows["23999"].signature == "inconnu"


def test_ort_missing_columns_named():
    with pytest.raises(SourceError) as exc:
        read_ort_list(DATA / "ort-sans-colonne.csv")
    assert "Signée ?" in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "expected", "issue"),
    [
        ("23001", ("23001", False), None),
        ("2a004", ("2A004", False), None),
        ("1004", ("01004", True), None),  # a lost leading zero, restored (and said by the reader)
        ("NA", None, "code commune absent"),
        ("", None, "code commune absent"),
        ("999999", None, "code commune invalide « 999999 » (5 caractères attendus)"),
        ("2C004", None, "code commune invalide « 2C004 » (5 caractères attendus)"),
    ],
)
def test_list_commune_codes(raw, expected, issue):
    from pvd.sources.pvd_list import commune_code

    issues = []
    assert commune_code(raw, 7, issues, hint=" (5 caractères attendus)") == expected
    assert [(i.message, i.line) for i in issues] == ([(issue, 7)] if issue else [])


def test_ort_sheet_commune_codes(tmp_path):
    lines = (DATA / "ort.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",23001,", ",2C001,")
    lines[2] = lines[2].replace(",19275,", ",,")
    path = tmp_path / "ort.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = [(i.code, i.message, i.line) for i in read_ort_list(path).issues]
    assert ("invalid-code", "code commune invalide « 2C001 »", 2) in issues
    assert ("invalid-code", "code commune absent", 3) in issues

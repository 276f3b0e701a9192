"""Column rules (pvd.sources.columns) and printable messages (pvd.sources.report)."""

from __future__ import annotations

from datetime import date

import pytest

from pvd.sources import columns
from pvd.sources.columns import ColumnError
from pvd.sources.report import SourceError, printable


@pytest.mark.parametrize(
    "text",
    ["inf", "-inf", "Infinity", "1e309", "1e5", "NaN", "1_000", "１２３", "١٢٣", "12abc", "",
     "9" * 400, "0x1F", "--5"],
)  # fmt: skip
def test_numbers_refused(text):
    result = columns.parse_number(text)
    assert isinstance(result, ColumnError)
    assert "chiffres 0-9" in result.expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("860", 860.0),
        ("17,5", 17.5),
        ("-3.25", -3.25),
        ("1 234", 1234.0),
        ("12\u202f345,5", 12345.5),
    ],
)
def test_numbers_accepted(text, value):
    assert columns.parse_number(text) == value


def test_counts_are_not_negative():
    assert isinstance(columns.parse_count("-5"), ColumnError)
    assert columns.parse_count("0") == 0


def test_years_and_dates_from_1900_to_next_year():
    today = date(2026, 12, 3)
    assert columns.parse_year("2027", today=today) == 2027
    for bad in ("2028", "1899", "0001", "9999", "２０２０"):
        assert isinstance(columns.parse_year(bad, today=today), ColumnError), bad
    assert (
        columns.check_date(date(1, 1, 1), today=today).expected
        == "date entre 1900 et 2027 attendue"
    )
    assert columns.check_date(date(2021, 4, 7), today=today) is None


def test_coordinates_inside_the_territory_of_the_commune():
    assert columns.check_coordinates("48095", 3.4993, 44.5181) is None  # Mende
    assert columns.check_coordinates("97105", -61.73, 15.99) is None  # Basse-Terre
    assert columns.check_coordinates("98735", -149.56, -17.53) is None  # Polynésie
    assert columns.check_coordinates("97105", 3.4993, 44.5181) is not None  # mainland point
    assert columns.check_coordinates("48095", 44.5181, 3.4993) is not None  # swapped
    assert columns.check_coordinates("48095", float("inf"), 44.5) is not None
    assert columns.check_coordinates("98200", 2.0, 45.0) is not None  # no territory


def test_names_without_control_characters():
    assert columns.parse_name(" Saint-Chély-d'Apcher ") == "Saint-Chély-d'Apcher"
    for bad in ("\x1b[2JParis", "Nom\x07", "X\x00Y", "\x9b31mZ", "N" * 201):
        assert isinstance(columns.parse_name(bad), ColumnError), repr(bad)


def test_messages_escape_control_characters_and_shorten_huge_values():
    error = SourceError("f.csv", f"valeur « \x1b[31m{'7' * 10_000_000} »", line=3, column="PMUN")
    text = str(error)
    assert "\x1b" not in text and "\\x1b" in text
    assert len(text) < 200 and "10\u202f000\u202f005 caractères" in text
    assert printable("a\tb\x07") == "a\\x09b\\x07"

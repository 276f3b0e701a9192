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


@pytest.mark.parametrize(("text", "value"), [("-5", None), ("0", 0), ("12,5", 12.5)])
def test_counts_are_not_negative(text, value):
    result = columns.parse_count(text)
    assert result == value if value is not None else isinstance(result, ColumnError)


TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "value"),
    [("2027", 2027), ("1900", 1900), ("2028", None), ("1899", None), ("0001", None),
     ("9999", None), ("２０２０", None)],
)  # fmt: skip
def test_years_from_1900_to_next_year(text, value):
    result = columns.parse_year(text, today=TODAY)
    if value is None:
        assert isinstance(result, ColumnError)
        assert result.expected == "année entre 1900 et 2027 attendue"
    else:
        assert result == value


def test_dates_from_1900_to_next_year():
    today = TODAY
    assert (
        columns.check_date(date(1, 1, 1), today=today).expected
        == "date entre 1900 et 2027 attendue"
    )
    assert columns.check_date(date(2021, 4, 7), today=today) is None


@pytest.mark.parametrize(
    ("code", "lon", "lat", "inside"),
    [
        ("48095", 3.4993, 44.5181, True),  # Mende
        ("97105", -61.73, 15.99, True),  # Basse-Terre
        ("98735", -149.56, -17.53, True),  # Polynésie
        ("97105", 3.4993, 44.5181, False),  # mainland point
        ("48095", 44.5181, 3.4993, False),  # swapped
        ("48095", float("inf"), 44.5, False),
        ("98200", 2.0, 45.0, False),  # no territory
    ],
)
def test_coordinates_inside_the_territory_of_the_commune(code, lon, lat, inside):
    assert (columns.check_coordinates(code, lon, lat) is None) is inside


def test_names_are_kept_stripped():
    assert columns.parse_name(" Saint-Chély-d'Apcher ") == "Saint-Chély-d'Apcher"


@pytest.mark.parametrize("bad", ["\x1b[2JParis", "Nom\x07", "X\x00Y", "\x9b31mZ", "N" * 201])
def test_names_without_control_characters(bad):
    assert isinstance(columns.parse_name(bad), ColumnError)


def test_messages_escape_control_characters_and_shorten_huge_values():
    error = SourceError("f.csv", f"valeur « \x1b[31m{'7' * 10_000_000} »", line=3, column="PMUN")
    text = str(error)
    assert "\x1b" not in text and "\\x1b" in text
    assert len(text) < 200 and "10\u202f000\u202f005 caractères" in text
    assert printable("a\tb\x07") == "a\\x09b\\x07"

"""French numbers (pvd.domain.numbers), on awkward values: each line is what a caller printed
before the formatting was gathered in one module (claims, rules' changes, maps' legends,
outcomes' readings, the towns' charts, the import reports, the CLI)."""

from __future__ import annotations

import importlib

import pytest

from pvd.domain import numbers as n

NAN = float("nan")
NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # french_number: the portrait, the maps and the towns' charts
        (lambda: n.french_number(0), "0"),
        (lambda: n.french_number(-1234.5, 1), f"{MINUS}1{NNBSP}234,5"),
        (lambda: n.french_number(1234567.891, 2), f"1{NNBSP}234{NNBSP}567,89"),
        (lambda: n.french_number(1234567.891, sep=NBSP), f"1{NBSP}234{NBSP}568"),
        (lambda: n.french_number(-3.25, 1, minus="-"), "-3,2"),
        (lambda: n.french_number(None), "n.d."),
        (lambda: n.french_number(None, missing="—"), "—"),
        (lambda: n.french_number(NAN), "nan"),
        # grouped: whole numbers (the CLI and the selection's texts use a plain space)
        (lambda: n.grouped(0), "0"),
        (lambda: n.grouped(-1234), "-1 234"),
        (lambda: n.grouped(1234567, NNBSP), f"1{NNBSP}234{NNBSP}567"),
        # decimal, percent, signed: no grouping, ASCII minus
        (lambda: n.decimal(1234567.891, 2), "1234567,89"),
        (lambda: n.percent(0), "0,0 %"),
        (lambda: n.percent(-12.345), "-12,3 %"),
        (lambda: n.percent(NAN), "nan %"),
        (lambda: n.signed(0), "+0,0"),
        (lambda: n.signed(-1.25), "-1,2"),
        (lambda: n.signed(0.25), "+0,2"),
        # compact: stated figures (claims, rules' changes)
        (lambda: n.compact(3.0), "3"),
        (lambda: n.compact(2.5), "2,5"),
        (lambda: n.compact(0.001), "0"),
        (lambda: n.compact(1234567.891), f"1{NNBSP}234{NNBSP}567,89"),
        (lambda: n.compact(-1234), f"-1{NNBSP}234"),
        (lambda: n.compact(NAN), "nan"),
        # signed_number: the outcomes' readings (typographic minus, no sign on zero)
        (lambda: n.signed_number(None), "n.d."),
        (lambda: n.signed_number(0.0, sign=True), "0,0"),
        (lambda: n.signed_number(-0.04, sign=True), "0,0"),
        (lambda: n.signed_number(-0.4), f"{MINUS}0,4"),
        (lambda: n.signed_number(1.25, sign=True), "+1,2"),
        (lambda: n.signed_number(-1234.56, 2), f"{MINUS}1{NNBSP}234,56"),
    ],
)
def test_numbers(call, expected):
    assert call() == expected


def _module(name: str):
    return importlib.import_module(f"pvd.domain.{name}")


@pytest.mark.parametrize(
    ("caller", "value", "expected"),
    [
        ("claims.check.fmt", 1234567.891, f"1{NNBSP}234{NNBSP}568"),
        ("claims.check.fmt", -1234.0, f"-1{NNBSP}234"),
        ("claims.check.fmt", 10.5, "10,5"),
        ("claims.check.fmt", 0.0, "0"),
        ("claims.extract._short", 1234.5, f"1{NNBSP}234,5"),
        ("claims.extract._short", -0.0, "0"),
        ("rules_diff._n", 0.8, "0,8"),
        ("rules_diff._n", 12000, f"12{NNBSP}000"),
        ("eligibility.fmt_int", 1234567.891, "1 234 567"),
        ("eligibility.fmt_int", 0, "0"),
        ("learned._fmt_int", 2499.5, "2 500"),
        ("replacement._pct", 0.0123, "1,2 %"),
        ("outcomes.reading.num", None, "n.d."),
        ("outcomes.reading.num", -1.23, f"{MINUS}1,2"),
    ],
)
def test_callers_print_as_before(caller, value, expected):
    module, func = caller.rsplit(".", 1)
    assert getattr(_module(module), func)(value) == expected


def test_claims_percent_and_legend_classes():
    check = _module("claims.check")
    assert check.fmt(12.345, percent=True) == "12,3 %"
    assert check.fmt(1234.5, percent=True) == "1234,5 %"  # percentages are never grouped
    classes = _module("cartography").classes([0.0, 1500.0, 25000.0, 1234567.0], percent=False)
    assert all("," not in label for label in classes.labels)
    assert any(NNBSP in label for label in classes.labels)

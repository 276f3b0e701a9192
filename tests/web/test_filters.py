"""Template filters that print figures in French (issue 13: "None", "2 025", "16,0")."""

from decimal import Decimal

import pytest
from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load pvd_web %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "—"),
        (125000, "125\xa0000"),
        (Decimal("1500.00"), "1\xa0500"),
        (Decimal("12.50"), "12,5"),
    ],
)
def test_montant(value, expected):
    assert render("{{ v|montant }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(Decimal("16.0"), "16"), (2.5, "2,5"), (None, "—"), (0, "0")]
)
def test_valeur(value, expected):
    assert render("{{ v|valeur }}", v=value) == expected


def test_years_have_no_thousands_separator():
    assert render("{{ y|annee }}", y=2025) == "2025"


@pytest.mark.parametrize(("n", "expected"), [(0, "0 commune"), (1, "1 commune"), (2, "2 communes")])
def test_pluriel(n, expected):
    assert render("{{ n }} commune{{ n|pluriel }}", n=n) == expected


def test_csv_variants_never_mix_separator_and_decimal_mark():
    from pvd.formats import csv_fr

    rows = [
        ["code", "valeur", "eligible", "manque"],
        ["01001", 12.5, True, None],
        ["2A004", 3.0, False, ""],
    ]
    fr = csv_fr.write(rows).decode("utf-8")
    assert fr == "\ufeffcode;valeur;eligible;manque\r\n01001;12,5;oui;\r\n2A004;3;non;\r\n"
    intl = csv_fr.write(rows, variant=csv_fr.INTERNATIONAL).decode("utf-8")
    assert intl == "code,valeur,eligible,manque\n01001,12.5,true,\n2A004,3,false,\n"
    assert (
        csv_fr.cell(1e-05) == "0,00001"
        and csv_fr.variant_of({"csv": "international"}) == "international"
    )

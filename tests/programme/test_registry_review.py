"""Regression tests of the issue 10 review of the coverage-aware registry: convention-cadre
figures follow the ORT sheets' coverage, the convention-cadre date does not depend on the
import order, project managers are "non disponible" without a source, uncovered exports and
API say so, national claims below the covered count are contradicted, wording."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from django.test import Client
from openpyxl import load_workbook

from pvd.cli import main
from pvd.programme import selectors
from pvd.programme.models import Laureat
from pvd.programme.services import laureate_update, laureates_import, ort_import
from pvd.sources.report import ConfirmationRequired

# Rows in the layout of the national ORT tracking sheet (values of the 2024 sheet).
LISIEUX = (
    "14 - Lisieux,CA Lisieux Normandie,Calvados,Normandie,14366,1. Commune ACV,Signée,"
    "2020-09-28,,0,,,,true,false,0.237686341336939,49.1468694085744,16-11-2023 11:07,"
)
CONCARNEAU = (
    "29 - Concarneau,CA Concarneau Cornouaille Agglomération,Finistère,Bretagne,29039,"
    "2. Commune PVD,Signée,2023-03-21,3e trimestre 2022,0,,,,false,true,-3.90762423128838,"
    "47.896810690055,15-11-2023 15:10,"
)
BREST = (
    "29 - Brest,Brest Métropole,Finistère,Bretagne,29019,3. Autre,Signée,2020-06-23,,0,,,,"
    "false,false,-4.50207764872949,48.4003141952789,18-04-2023 10:28,"
)
# ACV list layout (insee_com,lib_com,date_signature): Bourgoin-Jallieu is in region 84, which
# the ORT sheet leaves out.
ACV = [("14366", "Lisieux"), ("29039", "Concarneau"), ("38053", "Bourgoin-Jallieu")]


def _ort(tmp_path, data_dir, rows, name="ort-2024.csv"):
    header = (data_dir / "ort.csv").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _acv(tmp_path):
    path = tmp_path / "acv.csv"
    lines = ["insee_com,lib_com,date_signature"]
    lines += [f"{code},{nom},2018-06-11" for code, nom in ACV]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv_row(table: str, code: str) -> dict:
    lines = table.splitlines()
    row = next(x for x in lines if x.startswith(f"{code};"))
    return dict(zip(lines[0].split(";"), row.split(";"), strict=True))


def _figures(acv):
    france = selectors.dashboard(programme=acv, scope=selectors.Scope("france"))
    dates = dict(
        Laureat.objects.filter(programme=acv).values_list("commune__code", "date_convention_cadre")
    )
    return {
        "cadre": france.cycle.convention_cadre,
        "cadre_total": france.cycle.cadre_total,
        "part": france.cycle.share_cadre,
        "alertes": sorted((a.code, a.kind) for a in france.alertes),
        "regions": {r.code: r.convention_cadre for r in france.breakdown if r.laureats},
        "dates": dates,
    }


@pytest.mark.parametrize("ort_first", [True, False])
def test_cadre_figures_use_the_ort_coverage_whatever_the_order(db, data_dir, tmp_path, ort_first):
    ort = _ort(tmp_path, data_dir, [LISIEUX, CONCARNEAU])
    if ort_first:
        ort_import(path=ort)
        laureates_import(path=_acv(tmp_path), programme_slug="acv")
    else:
        laureates_import(path=_acv(tmp_path), programme_slug="acv")
        ort_import(path=ort)
    acv = selectors.programme_get(slug="acv")
    figures = _figures(acv)
    # Same figures in both orders; Lisieux gets the sheet's date even when imported after it.
    assert figures == {
        "cadre": 2,
        "cadre_total": 2,  # Bourgoin-Jallieu (84): ORT status unknown, not "not signed"
        "part": 1.0,
        "alertes": [],
        "regions": {"28": 1, "53": 1, "84": None},
        "dates": {
            "14366": date(2020, 9, 28),
            "29039": date(2023, 3, 21),
            "38053": None,
        },
    }
    client = Client()
    api = client.get("/api/v1/programmes/acv/laureats?region=28").json()
    assert api["items"][0]["date_convention_cadre"] == "2020-09-28"
    # Region 84: covered by the ACV list, not by the ORT sheet.
    html = client.get("/programme/acv/regions/84/").content.decode()
    assert "Donnée non disponible : aucun tableau ORT chargé ne couvre ce territoire" in html
    assert "Convention-cadre non signée" not in html and "en retard" not in html
    html = client.get("/programme/acv/communes/38053/").content.decode()
    assert "non couvert par les tableaux ORT chargés" in html
    board = client.get("/api/v1/programmes/acv/tableau-de-bord?region=84").json()
    assert board["couvert"] is True and board["communes_laureates"] == 1
    assert board["cycle"]["convention_cadre"]["communes"] is None
    table = client.get("/programme/acv/territoires.csv?niveau=departement").content.decode(
        "utf-8-sig"
    )
    row38 = _csv_row(table, "38")
    assert row38["conventions_cadres"] == "" and row38["couvert"] == "oui"
    assert row38["communes_laureates"] == "1"
    # France: the share is over the laureates the ORT sheet covers, and says what it leaves out.
    html = client.get("/programme/acv/").content.decode()
    assert "part des 2 lauréates qu&#x27;il couvre" in html
    assert "Auvergne-Rhône-Alpes" in html


def test_ort_extract_withdraws_the_rows_it_removes(db, data_dir, tmp_path):
    laureates_import(path=_acv(tmp_path), programme_slug="acv")
    ort_import(path=_ort(tmp_path, data_dir, [LISIEUX, CONCARNEAU, BREST]))
    acv = selectors.programme_get(slug="acv")
    assert _figures(acv)["regions"]["53"] == 1
    # A Bretagne extract without Concarneau: its signed ORT row is removed, so is its date.
    extract = _ort(tmp_path, data_dir, [BREST], "ort-bretagne-2024.csv")
    report = ort_import(path=extract, confirm=True)
    assert any("29039" in line and "ORT non signée ou absente" in line for line in report.changes)
    figures = _figures(acv)
    assert figures["dates"]["29039"] is None and figures["regions"]["53"] == 0
    assert figures["dates"]["14366"] == date(2020, 9, 28)  # Normandie: outside the extract
    # Re-importing the laureates changes nothing: the date follows the current ORT rows.
    laureates_import(path=_acv(tmp_path), programme_slug="acv")
    assert _figures(acv) == figures


def test_project_managers_not_available_without_a_source(imported, make_user):
    pvd = imported
    client = Client()
    board = selectors.dashboard(programme=pvd, scope=selectors.Scope("france"))
    assert board.cycle.chef_projet is None and board.cycle.median_adhesion_chef is None
    assert all(r.chef_projet is None for r in board.breakdown)
    html = client.get("/programme/pvd/regions/75/").content.decode()
    assert "aucune source chargée ne porte le recrutement des chefs de projet" in html
    api = client.get("/api/v1/programmes/pvd/tableau-de-bord").json()
    assert api["cycle"]["chef_projet"]["communes"] is None
    assert all(d["chefs_de_projet"] is None for d in api["detail"])
    table = client.get("/programme/pvd/territoires.csv").content.decode("utf-8-sig")
    row75 = _csv_row(table, "75")
    assert row75["chefs_de_projet"] == "" and row75["communes_laureates"] != ""
    out = CliRunner().invoke(
        main,
        ["programme", "check", "3 chefs de projet recrutés"],
    )
    assert out.exit_code == 3 and "recrutement des chefs de projet" in out.output
    # Once a date is entered in the registry, the figure is shown with its source.
    # (through the registry's edit service, which replaces the data version of the caches)
    lau = Laureat.objects.get(programme=pvd, commune__code="23001")
    laureate_update(
        laureat=lau,
        user=make_user("national", niveau="national"),
        values={"date_chef_projet": date(2021, 9, 1)},
    )
    board = selectors.dashboard(programme=pvd, scope=selectors.Scope("france"))
    assert board.cycle.chef_projet == 1 and "saisies dans le registre" in board.chef_source


def test_uncovered_laureate_exports_and_api_say_so(imported):
    client = Client()
    csv_text = client.get("/programme/pvd/laureats.csv?departement=63").content.decode("utf-8-sig")
    assert "non couvert par les listes chargées" in csv_text
    assert "non couvert" not in client.get(
        "/programme/pvd/laureats.csv?departement=23"
    ).content.decode("utf-8-sig")
    wb = load_workbook(io.BytesIO(client.get("/programme/pvd/laureats.xlsx?region=84").content))
    cells = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert any("non couvert par les listes chargées" in str(c) for c in cells)
    geo = json.loads(client.get("/programme/pvd/laureats.geojson?departement=63").content)
    assert geo["metadata"]["couvert"] is False and geo["features"] == []
    assert "non couvert" in geo["metadata"]["couverture"]
    covered = json.loads(client.get("/programme/pvd/laureats.geojson?departement=23").content)
    assert covered["metadata"]["couvert"] is True and covered["features"]
    page = client.get("/api/v1/programmes/pvd/laureats?region=84").json()
    assert page["couvert"] is False and page["total"] is None
    assert "non couvert" in page["couverture"]
    assert client.get("/api/v1/programmes/pvd/laureats?region=75").json()["total"] > 0
    r = client.get("/api/v1/programmes/pvd/groupes?departement=63")
    assert r.status_code == 404 and "non couvert par les listes chargées" in r.json()["detail"]
    assert client.get("/api/v1/programmes/pvd/groupes?departement=23").status_code == 200
    # The list page: no "0 communes." above the "non couvert" line.
    html = client.get("/programme/pvd/laureats/?region=84").content.decode()
    assert "0 commune" not in html and "nombre de communes lauréates non disponible" in html


def test_national_claim_below_the_covered_count_is_contradicted(imported):
    from pvd.domain import claims as figures

    pvd = imported
    count = len(selectors.laureate_facts(pvd))
    assert count > 2
    contradicted, above, lower = selectors.figures_check(
        programme=pvd,
        statements=[
            f"{count - 2} communes lauréates",
            f"{count + 5} communes",
            "plus de 2 communes",
        ],
    )
    assert contradicted.status == figures.CONTRADICTED
    assert f"le registre compte déjà {count}" in contradicted.message
    assert "hors" in contradicted.message  # says what the covered count leaves out
    assert above.status == figures.NOT_VERIFIABLE
    assert lower.status == figures.CONFIRMED
    out = CliRunner().invoke(
        main,
        ["programme", "check", f"{count - 2} communes lauréates"],
    )
    assert out.exit_code == 1 and "Contredit" in out.output


def test_alert_wording_plural(pvd, data_dir, tmp_path):
    path = tmp_path / "pvd-2024.csv"
    path.write_text(
        "insee_com,lib_com,id_pvd,date_signature\n"
        "19275,Ussel,pvd-75-19-1,2021-04-07\n"
        "23176,La Souterraine,pvd-75-23-2,2021-04-07\n",
        encoding="utf-8",
    )
    laureates_import(path=path, programme_slug="pvd")
    ort_import(path=data_dir / "ort.csv")  # Ussel not signed; La Souterraine absent
    html = Client().get("/programme/pvd/regions/75/").content.decode()
    assert "2 communes en retard sur leur cycle de vie" in html


def test_shared_lists_acv_after_ort_and_bretagne_extract(db, shared_data, tmp_path):
    """The reviewer's repro on the shared lists (all leave out region 84)."""
    laureates_import(path=shared_data / "pvd" / "pvd-2024-hors-aura.csv", programme_slug="pvd")
    sheet = shared_data / "programmes" / "ort-2024-hors-aura.csv"
    ort_import(path=sheet)
    laureates_import(path=shared_data / "programmes" / "acv.csv", programme_slug="acv")
    acv, pvd = selectors.programme_get(slug="acv"), selectors.programme_get(slug="pvd")
    lisieux = Laureat.objects.get(programme=acv, commune__code="14366")
    assert lisieux.date_convention_cadre == date(2020, 9, 28)
    client = Client()
    html = client.get("/programme/acv/regions/84/").content.decode()
    assert "Donnée non disponible : aucun tableau ORT chargé ne couvre ce territoire" in html
    assert "Bourgoin-Jallieu (38) — Convention-cadre non signée" not in html
    table = client.get("/programme/acv/territoires.csv?niveau=departement").content.decode(
        "utf-8-sig"
    )
    for dep in ("03", "38", "63"):
        row = _csv_row(table, dep)
        assert row["conventions_cadres"] == "" and row["couvert"] == "oui", dep
    france = selectors.dashboard(programme=acv, scope=selectors.Scope("france"))
    in_84 = Laureat.objects.filter(programme=acv, statut="actif", commune__region_id="84").count()
    assert in_84 > 0 and france.cycle.cadre_total == france.cycle.total - in_84
    print(
        f"ACV France: {france.cycle.convention_cadre}/{france.cycle.cadre_total} "
        f"(of {france.cycle.total}; {in_84} in region 84 left out)"
    )
    # A national claim below what the covered regions already count is contradicted.
    count = len(selectors.laureate_facts(pvd))
    out = CliRunner().invoke(main, ["programme", "check", "1000 communes lauréates"])
    assert count > 1000 and out.exit_code == 1 and "Contredit" in out.output, out.output
    # A Bretagne extract that lacks 4 signed ORT rows withdraws their laureates' dates.
    removed = {"29241", "29039", "29293", "29217"}
    lines = sheet.read_text(encoding="utf-8").splitlines()
    extract = tmp_path / "ort-2024-bretagne.csv"
    extract.write_text(
        "\n".join(
            [lines[0]]
            + [
                x
                for x in lines[1:]
                if ",Bretagne," in x and not any(f",{c}," in x for c in removed)
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    bretagne = selectors.scope_for(region="53")
    before = selectors.dashboard(programme=pvd, scope=bretagne).cycle.convention_cadre
    signed_removed = Laureat.objects.filter(
        programme=pvd, statut="actif", commune__code__in=removed, commune__ort__signature="signee"
    ).count()
    with pytest.raises(ConfirmationRequired) as refused:  # removing signed ORT rows: confirm
        ort_import(path=extract)
    assert "Concarneau (29039), ORT signée" in str(refused.value)
    assert selectors.dashboard(programme=pvd, scope=bretagne).cycle.convention_cadre == before
    ort_import(path=extract, confirm=True)
    after = selectors.dashboard(programme=pvd, scope=bretagne).cycle.convention_cadre
    print(f"PVD Bretagne signed: {before} -> {after} ({signed_removed} removed rows signed)")
    assert signed_removed > 0 and after == before - signed_removed
    assert not Laureat.objects.filter(
        commune__code__in=removed, date_convention_cadre__isnull=False
    ).exists()

"""The steering committee's pack (issue 13): the PDF report and the XLSX carry the plan's
progress, the late actions with their reasons, co-financing by funder and decision, and the
indicators against their targets."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from pvd.projects import services

BASE = "/projets/pvd/pvd-75-23-1/"


@pytest.fixture
def plan(projet23, users):
    chef = users["chef23"]
    late = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "=HYPERLINK(\"http://x\")",  # neutralised in the spreadsheet
            "axe": "commerces",
            "statut": "en_cours",
            "date_debut": date(2024, 1, 1),
            "date_fin_prevue": date(2025, 6, 30),
        },
    )
    services.line_save(
        action=late,
        kind="financement",
        user=chef,
        values={"financeur": "detr", "montant_demande": 120_000},
    )
    services.line_save(
        action=late,
        kind="financement",
        user=chef,
        values={
            "financeur": "region",
            "montant_demande": 50_000,
            "montant_accorde": 40_000,
            "decision": "accorde",
            "date_decision": date(2025, 3, 1),
        },
    )
    ind = services.line_save(
        action=late,
        kind="indicateur",
        user=chef,
        values={"libelle": "Commerces ouverts", "valeur_initiale": 4, "cible": 12},
    )
    services.measure_record(indicateur=ind, user=chef, when=date(2026, 6, 1), valeur=8)
    return late


def test_xlsx_pack(plan, users, client):
    client.force_login(users["pref23"])  # readers get the pack too
    r = client.get(BASE + "rapport.xlsx")
    assert r.status_code == 200 and "comite-pilotage-pvd-75-23-1.xlsx" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Synthèse", "Actions", "Alertes", "Cofinancements", "Indicateurs"]
    summary = {row[0]: row[1] for row in wb["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert summary["Actions en retard"] == 1 and summary["Cofinancements accordés (€)"] == 40_000
    alerts = list(wb["Alertes"].iter_rows(min_row=2, values_only=True))
    assert alerts == [("'=HYPERLINK(\"http://x\")", "En retard", alerts[0][2])]
    assert "fin prévue le 30/06/2025" in alerts[0][2]
    funding = {
        (f, d): (n, req, granted)
        for f, d, n, req, granted, _ in wb["Cofinancements"].iter_rows(min_row=2, values_only=True)
    }
    assert funding[("DETR", "En attente de décision")] == (1, 120_000, 0)
    assert funding[("Région", "Accordé")] == (1, 50_000, 40_000)
    (ind,) = list(wb["Indicateurs"].iter_rows(min_row=2, values_only=True))
    assert ind[1:5] == ("Commerces ouverts", None, 4, 8) and ind[6] == 12  # no unit: empty
    assert ind[8] == pytest.approx(0.5)  # half way from 4 to 12


def test_pdf_report_has_funding_decisions_and_indicators(plan, users, client):
    from pypdf import PdfReader

    client.force_login(users["chef23"])
    r = client.get(BASE + "rapport.pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages).split()
    )
    assert "Cofinancements par financeur et décision" in text
    assert "En attente de décision" in text and "Accordé" in text
    assert "Indicateurs et cibles" in text and "Commerces ouverts" in text and "50 %" in text


def test_pack_is_refused_to_other_regions(plan, users, client):
    client.force_login(users["region84"])
    assert client.get(BASE + "rapport.xlsx").status_code == 403

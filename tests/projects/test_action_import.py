"""Import of an existing action plan from a spreadsheet (issue 13): the downloadable template,
validation of the whole file with errors by line and column, nothing written on error, dry run,
idempotent re-import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from pvd.projects.models import Action

BASE = "/projets/pvd/pvd-75-23-1/"
URL = BASE + "actions/importer/"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _post(client, name: str, content: bytes, *, dry_run: bool):
    data = {"fichier": SimpleUploadedFile(name, content)}
    if dry_run:
        data["simulation"] = "1"
    return client.post(URL, data)


@pytest.fixture
def chef(client, users, projet23):
    client.force_login(users["chef23"])
    return client


def test_template_round_trip_dry_run_then_import_then_idempotent(chef, projet23):
    template = chef.get(BASE + "actions/modele-plan-actions.xlsx")
    assert template.status_code == 200
    wb = load_workbook(io.BytesIO(template.content))
    assert wb.sheetnames == ["Plan d'actions", "Mode d'emploi"]
    header = [c.value for c in wb.active[1]]
    assert header[:3] == ["Intitulé", "Axe", "Statut"]

    r = _post(chef, "plan.xlsx", template.content, dry_run=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Simulation : 1 action à créer" in html
    assert Action.objects.filter(projet=projet23).count() == 0  # a dry run writes nothing

    r = _post(chef, "plan.xlsx", template.content, dry_run=False)
    assert r.status_code == 302
    action = Action.objects.get(projet=projet23)
    assert action.titre == "Réhabilitation de la halle" and action.porteur.nom == "Commune"
    assert action.date_fin_prevue.isoformat() == "2028-06-30"

    r = _post(chef, "plan.xlsx", template.content, dry_run=False)  # the same file again
    assert r.status_code == 302 and Action.objects.filter(projet=projet23).count() == 1
    follow = chef.get(BASE).content.decode()
    assert "0 action(s) importée(s)" in follow and "1 déjà présente(s)" in follow


def test_csv_errors_by_line_and_column_and_nothing_written(chef, projet23):
    csv_text = (
        "Intitulé;Axe;Date de début;Date de fin prévue\n"
        "Halle;Commerces et services;01/02/2027;30/06/2028\n"  # valid
        ";Habitat;;\n"  # no title
        "Cinéma;Culture et loisirs;2027-13-01;\n"  # unknown axis, impossible date
        "Voirie;Mobilités;01/06/2028;01/01/2028\n"  # ends before it starts
        "halle;Commerces et services;;\n"  # same title as line 2
        ";;;\n"  # blank: ignored
    )
    r = _post(chef, "plan.csv", csv_text.encode("utf-8"), dry_run=False)
    html = r.content.decode()
    assert r.status_code == 400 and "rien n'a été importé" in html
    table = html.split('id="erreurs-import"', 1)[1].split("</table>", 1)[0]
    rows = [row for row in table.split("<tr>")[2:]]
    found = {
        (
            row.split("</th>")[0].rsplit(">", 1)[1],
            row.split('data-label="Colonne">')[1].split("<")[0],
        )
        for row in rows
    }
    assert ("3", "Intitulé") in found
    assert ("4", "Axe") in found and ("4", "Date de début") in found
    assert ("5", "Date de fin prévue") in found
    assert ("6", "Intitulé") in found and "même intitulé qu&#x27;à la ligne 2" in html
    assert Action.objects.filter(projet=projet23).count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", "Intitulé;Axe\nHalle;Commerces\n".encode("latin-1"), "UTF-8"),
        ("plan.xlsx", b"PK\x03\x04 not a workbook", "classeur XLSX lisible"),
        ("plan.ods", b"x", "format attendu XLSX ou CSV"),
        ("plan.csv", "Intitulé;Axe;Budget total\nHalle;Habitat;5\n".encode(), "colonne inconnue"),
        ("plan.csv", b"Axe\nHabitat\n", "colonne obligatoire absente"),
    ],
)
def test_unreadable_files_get_a_clear_message(chef, projet23, name, content, message):
    r = _post(chef, name, content, dry_run=False)
    assert r.status_code == 400 and message in r.content.decode()
    assert Action.objects.filter(projet=projet23).count() == 0


def test_comma_csv_with_labels_in_any_case(chef, projet23):
    body = b"intitule,axe,priorite\nHalle,COMMERCES ET SERVICES,haute\n"
    assert _post(chef, "plan.csv", body, dry_run=False).status_code == 302
    action = Action.objects.get(projet=projet23)
    assert action.axe == "commerces" and action.get_priorite_display() == "Haute"


def test_readers_cannot_import(client, users, projet23):
    client.force_login(users["pref23"])
    assert client.get(URL).status_code == 200  # the page and template are readable
    body = _xlsx([["Intitulé", "Axe"], ["Halle", "Habitat"]])
    r = client.post(URL, {"fichier": SimpleUploadedFile("plan.xlsx", body)})
    assert r.status_code == 403 and Action.objects.count() == 0

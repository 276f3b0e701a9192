"""The export in the public Table Schema of local authorities' projects validates against the
schema files of the shared data folder (frictionless), and its references exist."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from pvd.projects import schema_export, selectors, services

SCHEMAS = "schemas/projets-collectivites"


@pytest.fixture
def exported(projet23, users, groups):
    from pvd.territories.models import Commune

    chef = users["chef23"]
    a = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Rénovation de l'îlot Saint-Jacques, « cœur de ville »",
            "description": "Acquisition, curetage, 12 logements; commerce en rez-de-chaussée.",
            "axe": "habitat",
            "phase": "etude",
            "statut": "en_cours",
            "date_debut": date(2025, 3, 1),
            "communes": [Commune.objects.get(code="23176", type="COM")],
            "porteur": "Commune de La Souterraine",
        },
    )
    services.line_save(
        action=a,
        kind="budget",
        user=chef,
        values={"annee": 2026, "nature": "investissement", "prevu": 1_250_000},
    )
    services.action_create(
        projet=projet23,
        user=chef,
        values={"titre": "Étude mobilité", "axe": "mobilite", "statut": "a_lancer"},
    )
    p16 = services.project_get_or_create(groupe=groups["g16"])
    services.action_create(
        projet=p16,
        user=users["chef16"],
        values={"titre": "Halle", "axe": "autre", "phase": "operation", "statut": "livree"},
    )
    rows = selectors.action_rows(projet23) + selectors.action_rows(p16)
    return schema_export.export(rows)


def _validate(folder, name: str, content: bytes, tmp_path):
    from frictionless import Resource, Schema

    path = tmp_path / name
    path.write_bytes(content)
    schema = Schema.from_descriptor(json.loads((folder / "schema.json").read_text()))
    report = Resource(path=name, basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_export_validates_against_the_schemas(exported, shared_data, tmp_path):
    base = shared_data / SCHEMAS
    _validate(
        base / "projets-territoire",
        "projets-territoire.csv",
        exported["projets-territoire.csv"],
        tmp_path,
    )
    _validate(base / "collectivites", "collectivites.csv", exported["collectivites.csv"], tmp_path)


def test_export_content_and_references(exported, shared_data):
    projects = list(csv.DictReader(io.StringIO(exported["projets-territoire.csv"].decode())))
    collectivites = list(csv.DictReader(io.StringIO(exported["collectivites.csv"].decode())))
    assert len(projects) == 3
    header = next(csv.reader(io.StringIO(exported["projets-territoire.csv"].decode())))
    schema = json.loads((shared_data / SCHEMAS / "projets-territoire/schema.json").read_text())
    assert header == [f["name"] for f in schema["fields"]]
    ilot = next(p for p in projects if p["nom"].startswith("Rénovation"))
    assert ilot["phase"] == "Étude" and ilot["phaseStatut"] == "En cours"
    assert ilot["budgetPrevisionnel"] == "1250000"
    assert ilot["programme"] == "Petites villes de demain"
    assert json.loads(ilot["competences"]) == ["90-55"]
    to_start = next(p for p in projects if p["nom"] == "Étude mobilité")
    assert to_start["phaseStatut"] == ""  # « à lancer » has no equivalent
    halle = next(p for p in projects if p["nom"] == "Halle")
    assert halle["phaseStatut"] == "Terminé" and halle["competences"] == ""
    # every id referenced exists, communes and EPCI carry their codes
    ids = {c["id"] for c in collectivites}
    for p in projects:
        assert set(json.loads(p["collectiviteIds"])) <= ids
    by_type = {(c["type"], c["codeInsee"] or c["codeEpci"]) for c in collectivites}
    assert ("Commune", "23176") in by_type and ("Commune", "16015") in by_type
    assert any(t == "EPCI" for t, _ in by_type)
    # the mapping tables only use codes of the reference data
    ref = shared_data / SCHEMAS / "reference-data"
    with open(ref / "référentiel_competences_M57_2025.csv", encoding="utf-8") as f:
        m57 = {r["code"] for r in csv.DictReader(f)}
    with open(ref / "50_leviers_SGPE_03_2025.csv", encoding="utf-8") as f:
        sgpe = {r["levier"] for r in csv.DictReader(f)}
    assert {c for codes in schema_export.COMPETENCES.values() for c in codes} <= m57
    assert {lv for levers in schema_export.LEVIERS.values() for lv in levers} <= sgpe


def test_validator_catches_a_bad_value(exported, shared_data, tmp_path):
    """The validation is real: an unknown phase is refused."""
    bad = exported["projets-territoire.csv"].replace(",Étude,".encode(), b",Avant-projet,")
    with pytest.raises(AssertionError, match="constraint-error"):
        _validate(shared_data / SCHEMAS / "projets-territoire", "bad.csv", bad, tmp_path)

"""An import never deletes a projet de territoire: a group left without active laureates is
kept when it carries a project or a team, reported in the dry run and the import, and the
database refuses to delete it (PROTECT)."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from pvd.programme.models import Groupe, Laureat
from pvd.programme.services import laureates_import
from pvd.projects.models import Projet

HEADER = "insee_com,lib_com,id_pvd,date_signature\n"
ROWS = {
    "23001": "23001,Ahun,pvd-75-23-1,2021-04-07\n",
    "23176": "23176,La Souterraine,pvd-75-23-2,2021-04-07\n",
    "19275": "19275,Ussel,pvd-75-19-3,2021-05-12\n",
}


def _list(tmp_path, name: str, codes: list[str]):
    path = tmp_path / name
    path.write_text(HEADER + "".join(ROWS[c] for c in codes), encoding="utf-8")
    return path


def test_a_group_with_a_project_survives_a_list_that_drops_its_communes(pvd, tmp_path):
    laureates_import(path=_list(tmp_path, "pvd-a.csv", list(ROWS)), programme_slug="pvd")
    groupe = Groupe.objects.get(programme=pvd, code="pvd-75-23-2")
    Projet.objects.create(groupe=groupe, nom="Projet de territoire La Souterraine")
    emptied = Groupe.objects.get(programme=pvd, code="pvd-75-19-3")  # no project: deleted
    later = _list(tmp_path, "pvd-b.csv", ["23001"])

    dry = laureates_import(path=later, programme_slug="pvd", dry_run=True)
    assert "= groupe pvd-75-23-2 gardé sans commune active" in "\n".join(dry.lines())
    assert Laureat.objects.filter(groupe=groupe, statut="actif").exists()  # dry run
    report = laureates_import(path=later, programme_slug="pvd")
    assert "gardés car ils portent un projet de territoire" in "\n".join(report.lines())
    assert Groupe.objects.filter(pk=groupe.pk).exists()
    assert Projet.objects.filter(groupe=groupe).exists()
    assert not Laureat.objects.filter(groupe=groupe, statut="actif").exists()
    assert not Groupe.objects.filter(pk=emptied.pk).exists()


def test_the_database_refuses_to_delete_a_group_with_a_project(pvd, tmp_path):
    laureates_import(path=_list(tmp_path, "pvd-a.csv", list(ROWS)), programme_slug="pvd")
    groupe = Groupe.objects.get(programme=pvd, code="pvd-75-23-1")
    Projet.objects.create(groupe=groupe, nom="Projet")
    with pytest.raises(ProtectedError):
        groupe.delete()

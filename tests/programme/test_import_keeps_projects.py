"""An import never deletes a projet de territoire: a group left without active laureates is
kept when it carries a project or a team, reported in the dry run and the import, and the
database refuses to delete it (PROTECT)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.db.models import ProtectedError
from django.utils import timezone

import factories
from pvd.cli import main
from pvd.programme.audit import Actor, deletion_restore
from pvd.programme.models import Changement, Groupe, Laureat
from pvd.programme.services import laureates_import
from pvd.projects.models import Projet
from pvd.projects.readonly import read_only_reason
from pvd.sources.report import ConfirmationRequired

ROWS = {  # the ANCT cartography layout (insee_com,lib_com,id_pvd,date_signature)
    "23001": ("23001", "Ahun", "pvd-75-23-1", "2021-04-07"),
    "23176": ("23176", "La Souterraine", "pvd-75-23-2", "2021-04-07"),
    "19275": ("19275", "Ussel", "pvd-75-19-3", "2021-05-12"),
}


def _list(tmp_path, name: str, codes: list[str]):
    return factories.laureate_list(tmp_path / name, [ROWS[c] for c in codes])


def test_a_group_with_a_project_survives_a_list_that_drops_its_communes(pvd, tmp_path):
    laureates_import(path=_list(tmp_path, "pvd-a.csv", list(ROWS)), programme_slug="pvd")
    groupe = Groupe.objects.get(programme=pvd, code="pvd-75-23-2")
    factories.project(groupe, nom="Projet de territoire La Souterraine")
    emptied = Groupe.objects.get(programme=pvd, code="pvd-75-19-3")  # no project: deleted
    later = _list(tmp_path, "pvd-b.csv", ["23001"])

    dry = laureates_import(path=later, programme_slug="pvd", dry_run=True)
    assert "= groupe pvd-75-23-2 gardé sans commune active" in "\n".join(dry.lines())
    assert Laureat.objects.filter(groupe=groupe, statut="actif").exists()  # dry run
    report = laureates_import(path=later, programme_slug="pvd", confirm=True)
    assert "gardés car ils portent un projet de territoire" in "\n".join(report.lines())
    assert Groupe.objects.filter(pk=groupe.pk).exists()
    assert Projet.objects.filter(groupe=groupe).exists()
    assert not Laureat.objects.filter(groupe=groupe, statut="actif").exists()
    assert not Groupe.objects.filter(pk=emptied.pk).exists()
    # The deleted group is in the history with its row and its communes: restorable.
    entry = Changement.objects.get(objet="groupe", objet_id=emptied.pk, action="suppression")
    assert entry.changes["communes"] == [["19275"], None]
    assert entry.contenu[0]["fields"]["code"] == "pvd-75-19-3"
    deletion_restore(changement=entry, actor=Actor("cli"))
    assert Groupe.objects.get(pk=emptied.pk).code == "pvd-75-19-3"


def test_the_database_refuses_to_delete_a_group_with_a_project(pvd, tmp_path):
    laureates_import(path=_list(tmp_path, "pvd-a.csv", list(ROWS)), programme_slug="pvd")
    groupe = Groupe.objects.get(programme=pvd, code="pvd-75-23-1")
    factories.project(groupe, nom="Projet")
    with pytest.raises(ProtectedError):
        groupe.delete()


def test_ending_laureates_and_detaching_a_project_needs_a_confirmation(pvd, tmp_path):
    """The loss: a list that drops communes ended them and left their project without an
    active laureate, exit 0, without anyone saying yes. Now the dry run names them and the
    import refuses (nothing written) until confirmed."""
    laureates_import(path=_list(tmp_path, "pvd-a.csv", list(ROWS)), programme_slug="pvd")
    groupe = Groupe.objects.get(programme=pvd, code="pvd-75-23-2")
    factories.project(groupe, nom="Projet de territoire La Souterraine")
    later = _list(tmp_path, "pvd-b.csv", ["23001"])

    dry = "\n".join(laureates_import(path=later, programme_slug="pvd", dry_run=True).lines())
    assert "lauréats qui sortiraient du programme, par nom" in dry
    assert "    - La Souterraine (23176), groupe pvd-75-23-2" in dry
    assert "    - Ussel (19275), groupe pvd-75-19-3" in dry
    assert "projets de territoire qui passeraient en lecture seule" in dry
    assert (
        "    - « Projet de territoire La Souterraine », groupe pvd-75-23-2 "
        "(La Souterraine (23176))" in dry
    )
    with pytest.raises(ConfirmationRequired) as refused:
        laureates_import(path=later, programme_slug="pvd")
    message = str(refused.value)
    assert "2 lauréats qui sortent du programme" in message
    assert "1 projet(s) de territoire qui passent en lecture seule" in message
    assert "La Souterraine (23176), groupe pvd-75-23-2" in message and "--confirmer" in message
    assert Laureat.objects.filter(programme=pvd, statut="actif").count() == 3  # nothing written

    runner = CliRunner()
    refused_cli = runner.invoke(main, ["programme", "import-laureates", str(later)])
    assert refused_cli.exit_code == 1
    assert "Ussel (19275)" in refused_cli.output and "--confirmer" in refused_cli.output
    assert Laureat.objects.filter(programme=pvd, statut="actif").count() == 3
    done = runner.invoke(main, ["programme", "import-laureates", str(later), "--confirmer"])
    assert done.exit_code == 0, done.output
    assert list(
        Laureat.objects.filter(programme=pvd, statut="actif").values_list(
            "commune__code", flat=True
        )
    ) == ["23001"]
    # The project stays, read-only since the day its laureate left.
    souterraine = Laureat.objects.get(programme=pvd, commune__code="23176")
    assert souterraine.date_sortie == timezone.localdate()
    assert read_only_reason(groupe) == (
        "ce projet est en lecture seule : la commune n'est plus lauréate depuis le "
        f"{timezone.localdate():%d/%m/%Y}"
    )
    # Nothing ends on a second run: no confirmation needed.
    again = runner.invoke(main, ["programme", "import-laureates", str(later)])
    assert again.exit_code == 0, again.output

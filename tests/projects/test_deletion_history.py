"""Every deletion in the projects and the registry is recorded with its content, so that an
administrator can restore it: a project with everything in it, a team membership, a line of an
action, a group or an ORT row deleted by an import (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from pvd.cli import main
from pvd.programme.audit import Actor, RestoreError, deletion_restore
from pvd.programme.models import Changement
from pvd.projects import services
from pvd.projects.models import Action, Commentaire, Financement, Indicateur, Membre, Mesure, Projet


@pytest.fixture
def filled(projet23, users):
    chef = users["chef23"]
    action = services.action_create(
        projet=projet23,
        user=chef,
        values={"titre": "Halle", "axe": "commerces", "partenaires": ["Département"]},
    )
    services.line_save(
        action=action,
        kind="budget",
        user=chef,
        values={"annee": 2026, "nature": "investissement", "prevu": 120_000},
    )
    services.line_save(
        action=action,
        kind="financement",
        user=chef,
        values={"financeur": "bdt", "montant_demande": 30_000, "montant_accorde": 20_000},
    )
    indicateur = services.line_save(
        action=action,
        kind="indicateur",
        user=chef,
        values={"libelle": "Cellules occupées", "cible": 12},
    )
    services.measure_record(indicateur=indicateur, user=chef, when=date(2026, 1, 1), valeur=7)
    services.comment_add(
        projet=projet23, user=users["pref23"], texte="Vu en comité.", action=action
    )
    return action


def test_a_deleted_project_is_recorded_with_its_content_and_restored(projet23, users, filled):
    with pytest.raises(services.PermissionDenied):
        services.project_delete(projet=projet23, user=users["chef23"])
    pk = projet23.pk
    services.project_delete(projet=projet23, user=users["admin"])
    assert not Projet.objects.filter(pk=pk).exists()
    assert not Action.objects.exists() and not Mesure.objects.exists()
    entry = Changement.objects.get(objet="projet", action="suppression")
    models = {row["model"] for row in entry.contenu}
    assert {
        "projects.projet",
        "projects.action",
        "projects.lignebudget",
        "projects.financement",
        "projects.indicateur",
        "projects.mesure",
        "projects.commentaire",
    } <= models
    assert entry.contenu[0]["model"] == "projects.projet"  # parents first
    restored = CliRunner().invoke(main, ["programme", "restaurer", str(entry.pk)])
    assert restored.exit_code == 0, restored.output
    action = Action.objects.get(pk=filled.pk)
    assert action.projet_id == pk and action.titre == "Halle"
    assert [p.nom for p in action.partenaires.all()] == ["Département"]
    assert Financement.objects.get(action=action).montant_accorde == 20_000
    assert Mesure.objects.get(indicateur__action=action).valeur == 7
    assert Commentaire.objects.get(projet_id=pk).texte == "Vu en comité."
    assert Changement.objects.filter(libelle__startswith="restauration :").exists()
    with pytest.raises(RestoreError, match="existe déjà"):
        deletion_restore(changement=entry, actor=Actor("cli"))


def test_a_removed_team_membership_is_recorded_and_restored(groups, users):
    membre = Membre.objects.get(user=users["chef23"])
    services.member_remove(membre=membre, user=users["admin"])
    assert not Membre.objects.filter(user=users["chef23"]).exists()
    entry = Changement.objects.get(objet="membre", action="suppression")
    assert (
        entry.changes["user"] == ["chef23", None] and entry.contenu[0]["model"] == "projects.membre"
    )
    deletion_restore(changement=entry, actor=Actor("admin", users["admin"]))
    assert Membre.objects.get(user=users["chef23"]).groupe_id == groups["g23"].pk


def test_a_deleted_indicator_keeps_its_measures(projet23, users, filled):
    indicateur = Indicateur.objects.get(action=filled)
    services.line_delete(
        action=filled, kind="indicateur", user=users["chef23"], line_id=indicateur.pk
    )
    entry = Changement.objects.get(objet="indicateur", action="suppression")
    assert entry.changes["libelle"] == ["Cellules occupées", None]
    deletion_restore(changement=entry, actor=Actor("admin", users["admin"]))
    assert Mesure.objects.get(indicateur_id=indicateur.pk).valeur == 7


def test_a_change_that_is_not_a_deletion_is_not_restored(projet23, users, filled):
    entry = Changement.objects.filter(objet="action", action="creation").first()
    with pytest.raises(RestoreError):
        deletion_restore(changement=entry, actor=Actor("cli"))
    result = CliRunner().invoke(main, ["programme", "restaurer", "999999"])
    assert result.exit_code == 1 and "aucun changement" in result.output


def test_admin_deletions_go_through_the_recorded_services(client, projet23, users, filled):
    client.force_login(users["admin"])
    membre = Membre.objects.get(user=users["chef23"])
    r = client.post(f"/admin/projects/membre/{membre.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Membre.objects.filter(pk=membre.pk).exists()
    assert Changement.objects.get(objet="membre", action="suppression").user == users["admin"]
    r = client.post(f"/admin/projects/projet/{projet23.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Projet.objects.exists()
    entry = Changement.objects.get(objet="projet", action="suppression")
    assert entry.origine == "admin" and len(entry.contenu) > 5
    r = client.post(
        "/admin/programme/changement/",
        {"action": "restaurer", "_selected_action": [entry.pk]},
    )
    assert r.status_code == 302 and Projet.objects.filter(pk=projet23.pk).exists()

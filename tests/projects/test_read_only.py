"""A laureate leaving the programme keeps its projet de territoire, read-only: the pages and
the API refuse edits with the reason (403), the page shows a banner, reading and exports still
work, and the project is editable again when a laureate of its group comes back."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from django.utils.html import escape

from pvd.programme.models import Laureat
from pvd.programme.services import laureate_update
from pvd.projects import services
from pvd.projects.models import Action

BASE = "/projets/pvd/pvd-75-23-1/"
API = "/api/v1/projets/pvd/pvd-75-23-1"


@pytest.fixture
def ended(projet23, users):
    """Project g23 with an action, then its only laureate (La Souterraine) leaves."""
    action = services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )
    lau = Laureat.objects.get(commune__code="23176")
    laureate_update(laureat=lau, user=users["admin"], values={"statut": "sorti"})
    return action


def _reason() -> str:
    today = timezone.localdate()
    return f"ce projet est en lecture seule : la commune n'est plus lauréate depuis le {today:%d/%m/%Y}"


def test_services_refuse_edits_with_the_reason(projet23, users, ended):
    assert Laureat.objects.get(commune__code="23176").date_sortie == timezone.localdate()
    acc = services.access(users["chef23"], projet23.groupe)
    assert acc.read and not acc.edit and not acc.comment and acc.lecture_seule == _reason()
    with pytest.raises(services.PermissionDenied, match=_reason()):
        services.action_update(action=ended, user=users["chef23"], values={"titre": "Marché"})
    with pytest.raises(services.PermissionDenied, match="lecture seule"):
        services.project_update(projet=projet23, user=users["admin"], values={"nom": "X"})
    with pytest.raises(services.PermissionDenied, match="lecture seule"):
        services.comment_add(projet=projet23, user=users["pref23"], texte="Vu.")
    assert Action.objects.get(pk=ended.pk).titre == "Halle"
    # Another role's refusal keeps its own message.
    with pytest.raises(services.PermissionDenied, match="pas les droits"):
        services.action_delete(action=ended, user=users["chef16"])


def test_pages_show_a_banner_refuse_edits_and_keep_reading(client, users, ended):
    client.force_login(users["chef23"])
    page = client.get(BASE)
    html = page.content.decode()
    assert page.status_code == 200 and "Projet en lecture seule" in html
    assert escape(_reason().capitalize()) in html and "Halle" in html
    assert "Nouvelle action" not in html and "Modifier le projet" not in html
    r = client.post(BASE + f"actions/{ended.pk}/modifier/", {"titre": "Marché", "axe": "habitat"})
    assert r.status_code == 403 and escape(_reason()) in r.content.decode()
    r = client.post(BASE + f"actions/{ended.pk}/supprimer/")
    assert r.status_code == 403
    assert Action.objects.get(pk=ended.pk).supprime_le is None
    assert client.get(BASE + "actions.csv").status_code == 200
    assert "Halle" in client.get(BASE + "actions.csv").content.decode("utf-8-sig")
    assert client.get(BASE + "budget/").status_code == 200


def test_api_refuses_edits_with_the_reason_and_keeps_reading(client, users, ended):
    client.force_login(users["chef23"])
    payload = {"titre": "Voie verte", "axe": "mobilite"}
    r = client.post(API + "/actions", json.dumps(payload), content_type="application/json")
    assert r.status_code == 403 and r.json()["detail"] == _reason()
    body = client.get(API + "/actions").json()
    assert [a["titre"] for a in body] == ["Halle"]


def test_editable_again_when_a_laureate_comes_back(projet23, users, ended):
    lau = Laureat.objects.get(commune__code="23176")
    laureate_update(laureat=lau, user=users["admin"], values={"statut": "actif"})
    assert Laureat.objects.get(pk=lau.pk).date_sortie is None
    services.action_update(action=ended, user=users["chef23"], values={"titre": "Marché"})
    assert Action.objects.get(pk=ended.pk).titre == "Marché"

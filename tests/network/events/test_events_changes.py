"""Editing a published event tells its registered and waiting members what changed (unless the
organiser ticks "ne pas prévenir les inscrits"); an organiser removes a registrant (reason
e-mailed, first waiting member promoted); both audited; both refused out of the organiser's
scope, for every role (the services, the pages and the API)."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from pvd import access
from pvd.network import events as svc
from pvd.network.models import Inscription
from pvd.programme.models import Changement

ROLES = ["chef23", "chef01", "pref23", "region75", "region84", "national", "admin", "nobody"]
ORGANISERS = {"region75", "national", "admin"}  # of a regional event of region 75


def _etat(ev, user) -> tuple[str, int | None]:
    ins = Inscription.objects.get(evenement=ev, user=user)
    return ins.etat, ins.place


@pytest.fixture
def full_event(users, make_event):
    """A published event of region 75, 2 seats: chef23 and pref23 seated, chef01 waiting."""
    ev = make_event(capacite=2)
    for name in ("chef23", "pref23", "chef01"):
        svc.registration_register(user=users[name], evenement=ev)
    return ev


def test_an_edit_tells_each_registrant_and_waiting_member_what_changed(
    users, full_event, event_values, when, django_capture_on_commit_callbacks
):
    ev = full_event
    new = event_values(debut=when(21, 10), fin=when(21, 18), lieu="Mairie de Guéret",
                       format="hybride", lien="https://visio.example.fr/pvd-75")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        diff = svc.event_update(user=users["region75"], evenement=ev, values=new)
    assert set(diff) == {"debut", "fin", "lieu", "format", "lien"}
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["chef01@x.fr", "chef23@x.fr", "pref23@x.fr"]  # one message each
    assert all(len(m.to) == 1 for m in mail.outbox)
    seated = by_to["chef23@x.fr"]
    old_day, new_day = f"{when(20):%d/%m/%Y}", f"{when(21):%d/%m/%Y}"
    assert seated.subject == f"Événement modifié : {ev.titre} ({new_day})"
    body = seated.body
    assert f"- Début : {old_day} à 09:00 → {new_day} à 10:00" in body  # Paris time
    assert f"- Fin : {old_day} à 17:00 → {new_day} à 18:00" in body
    assert "- Lieu : Hôtel de région, Poitiers → Mairie de Guéret" in body
    assert "- Format : En présentiel → Hybride (sur place et en ligne)" in body
    assert "- Lien de connexion : (non renseigné) → https://visio.example.fr/pvd-75" in body
    assert f"/reseau/evenements/{ev.pk}/agenda.ics" in body and "Votre inscription est confirmée." in body
    waiting = by_to["chef01@x.fr"].body
    assert "liste d'attente" in waiting and "https://visio.example.fr" not in waiting
    assert "- Lien de connexion : modifié (communiqué aux inscrits)" in waiting
    row = Changement.objects.filter(objet="evenement", objet_id=ev.pk).latest("id")
    assert row.libelle.endswith("(3 personnes prévenues)") and row.user == users["region75"]
    assert row.changes["lieu"] == ["Hôtel de région, Poitiers", "Mairie de Guéret"]


def test_the_programme_is_sent_before_and_after(users, full_event, event_values,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    new = event_values(programme_texte="9 h 30 accueil\n10 h ateliers : commerce")
    with django_capture_on_commit_callbacks(execute=True):
        svc.event_update(user=users["national"], evenement=full_event, values=new)
    body = mail.outbox[0].body
    assert "- Programme modifié." in body
    assert "  Avant :\n    9 h accueil\n    10 h ateliers : commerce, habitat" in body
    assert "  Maintenant :\n    9 h 30 accueil\n    10 h ateliers : commerce" in body


def test_a_cosmetic_edit_can_be_saved_without_telling_anyone(
    users, full_event, event_values, django_capture_on_commit_callbacks
):
    new = event_values(programme_texte="9 h accueil\n10 h ateliers : commerce, habitat.")
    with django_capture_on_commit_callbacks(execute=True):
        diff = svc.event_update(user=users["region75"], evenement=full_event, values=new,
                                notify=False)  # fmt: skip
    assert set(diff) == {"programme_texte"} and mail.outbox == []
    row = Changement.objects.filter(objet="evenement", objet_id=full_event.pk).latest("id")
    assert row.libelle.endswith("(inscrits non prévenus)")
    # A field nobody is told about (the title, the capacity) sends nothing either; the larger
    # capacity promotes the waiting member, who alone is told (of the seat).
    with django_capture_on_commit_callbacks(execute=True):
        svc.event_update(user=users["region75"], evenement=full_event,
                         values={**new, "titre": "Rencontre (Poitiers)", "capacite": 3})  # fmt: skip
    assert [m.to for m in mail.outbox] == [["chef01@x.fr"]]
    assert "Une place s'est libérée" in mail.outbox[0].subject


def test_a_draft_edit_tells_nobody(users, make_event, event_values, when,
                                   django_capture_on_commit_callbacks):  # fmt: skip
    ev = make_event(statut="brouillon")
    with django_capture_on_commit_callbacks(execute=True):
        svc.event_update(user=users["national"], evenement=ev,
                         values=event_values(lieu="Ailleurs", statut="brouillon"))  # fmt: skip
    assert mail.outbox == []


def test_an_organiser_removes_a_registrant_and_the_first_waiting_gets_the_seat(
    users, full_event, django_capture_on_commit_callbacks
):
    ev, chef23, chef01 = full_event, users["chef23"], users["chef01"]
    ins = Inscription.objects.get(evenement=ev, user=chef23)
    with django_capture_on_commit_callbacks(execute=True):
        result = svc.registration_remove(user=users["region75"], evenement=ev,
                                         inscription_id=ins.pk, motif="inscription en double")  # fmt: skip
    assert [p.user for p in result.promoted] == [chef01]
    assert _etat(ev, chef23) == ("desinscrit", None) and _etat(ev, chef01) == ("inscrit", 1)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["chef01@x.fr", "chef23@x.fr"]
    assert by_to["chef23@x.fr"].subject.startswith("Inscription retirée : ")
    assert "Motif : inscription en double" in by_to["chef23@x.fr"].body
    assert "Une place s'est libérée" in by_to["chef01@x.fr"].subject
    rows = Changement.objects.filter(objet="inscription").order_by("-id")[:2]
    promoted_row, removed_row = rows
    assert removed_row.libelle.startswith("retrait par l'organisateur : chef23")
    assert removed_row.changes == {"etat": ["inscrit", "desinscrit"],
                                   "motif": [None, "inscription en double"]}  # fmt: skip
    assert removed_row.user == users["region75"] and promoted_row.libelle.startswith("place libérée")
    # The removed member may register again: the event is full, so the waiting list.
    again = svc.registration_register(user=chef23, evenement=ev)
    assert again.inscription.etat == "attente"
    # A waiting member removed frees no seat; then a seat freed goes to the next waiting.
    with pytest.raises(svc.EventError, match="pas inscrite"):
        svc.registration_remove(user=users["national"], evenement=ev, inscription_id=ins.pk + 999)
    pref = Inscription.objects.get(evenement=ev, user=users["pref23"])
    svc.registration_remove(user=users["national"], evenement=ev, inscription_id=pref.pk)
    assert _etat(ev, chef23) == ("inscrit", 2)


def test_removal_then_registering_again_takes_a_free_seat(users, make_event):
    ev = make_event(capacite=3)
    r = svc.registration_register(user=users["chef23"], evenement=ev)
    svc.registration_remove(user=users["admin"], evenement=ev, inscription_id=r.inscription.pk)
    assert svc.registration_register(user=users["chef23"], evenement=ev).inscription.etat == "inscrit"


@pytest.mark.parametrize("role", ROLES)
def test_edit_notify_and_removal_by_every_role(
    users, full_event, event_values, role, django_capture_on_commit_callbacks
):
    """The services refuse whoever is out of the event's scope (the one PermissionDenied):
    nothing written, nobody told."""
    ev, user = full_event, users[role]
    ins = Inscription.objects.get(evenement=ev, user=users["chef23"])
    before = Changement.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        if role in ORGANISERS:
            svc.event_update(user=user, evenement=ev, values=event_values(lieu="Salle des fêtes"))
            svc.registration_remove(user=user, evenement=ev, inscription_id=ins.pk)
        else:
            with pytest.raises(access.PermissionDenied, match="droits"):
                svc.event_update(user=user, evenement=ev, values=event_values(lieu="Ailleurs"))
            with pytest.raises(access.PermissionDenied, match="organisateurs"):
                svc.registration_remove(user=user, evenement=ev, inscription_id=ins.pk)
    if role in ORGANISERS:
        assert len(mail.outbox) == 3 + 2  # the edit (3), the removal and the promotion
        assert _etat(ev, users["chef23"]) == ("desinscrit", None)
    else:
        assert mail.outbox == [] and Changement.objects.count() == before
        ev.refresh_from_db()
        assert ev.lieu == "Hôtel de région, Poitiers" and _etat(ev, users["chef23"])[0] == "inscrit"


@pytest.fixture
def login(client, users):
    def as_(name):
        client.force_login(users[name])
        return client

    return as_


def _form(ev, event_values, **over) -> dict:
    v = event_values(**over)
    data = {k: ("" if val is None else val) for k, val in v.items() if k != "statut"}
    for k in ("debut", "fin"):
        data[k] = f"{v[k]:%Y-%m-%dT%H:%M}"
    return data


def test_the_edit_page_notifies_unless_the_box_is_ticked(
    login, full_event, event_values, django_capture_on_commit_callbacks
):
    ev = full_event
    c = login("region75")
    page = c.get(f"/reseau/evenements/{ev.pk}/modifier/").content.decode()
    assert "Ne pas prévenir les inscrits" in page
    assert "Ne pas prévenir" not in c.get("/reseau/evenements/nouveau/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/reseau/evenements/{ev.pk}/modifier/",
                   _form(ev, event_values, lieu="Salle 2", sans_notification="on"), follow=True)  # fmt: skip
    assert "sans prévenir les inscrits" in r.content.decode() and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/reseau/evenements/{ev.pk}/modifier/",
                   _form(ev, event_values, lieu="Salle 3"), follow=True)  # fmt: skip
    assert "sont prévenus par e-mail" in r.content.decode() and len(mail.outbox) == 3
    assert "- Lieu : Salle 2 → Salle 3" in mail.outbox[0].body
    # Out of scope: the edit page is refused.
    assert login("region84").get(f"/reseau/evenements/{ev.pk}/modifier/").status_code == 403


def test_the_event_page_removes_a_registrant_for_organisers_only(
    login, users, full_event, django_capture_on_commit_callbacks
):
    ev = full_event
    ins = Inscription.objects.get(evenement=ev, user=users["pref23"])
    url = f"/reseau/evenements/{ev.pk}/retrait/"
    page = login("chef23").get(f"/reseau/evenements/{ev.pk}/").content.decode()
    assert "Retirer" not in page and url not in page
    data = {"inscription": ins.pk, "motif": "x"}
    assert login("chef23").post(url, data).status_code == 403
    assert login("region84").post(url, data).status_code == 403
    assert _etat(ev, users["pref23"]) == ("inscrit", 2)
    c = login("national")
    page = c.get(f"/reseau/evenements/{ev.pk}/").content.decode()
    assert url in page and "Motif d'un retrait" in page
    assert f'form="retrait" name="inscription" value="{ins.pk}">Retirer' in page
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"inscription": ins.pk, "motif": "absente ce jour-là"}, follow=True)
    text = r.content.decode()
    assert "Inscription de pref23 retirée" in text and "a reçu la place" in text
    assert _etat(ev, users["pref23"]) == ("desinscrit", None)
    assert _etat(ev, users["chef01"]) == ("inscrit", 2)
    assert any("absente ce jour-là" in m.body for m in mail.outbox if m.to == ["pref23@x.fr"])
    r = c.post(url, {"inscription": ins.pk, "motif": ""}, follow=True)  # already removed
    assert "pas inscrite" in r.content.decode()
    assert "Choisissez la personne" in c.post(url, {"motif": ""}, follow=True).content.decode()


def test_the_api_removes_a_registrant_for_organisers_only(
    client, users, full_event, django_capture_on_commit_callbacks
):
    ev = full_event
    ins = Inscription.objects.get(evenement=ev, user=users["chef23"])
    url = f"/api/v1/reseau/evenements/{ev.pk}/inscriptions/{ins.pk}/retrait"
    body = json.dumps({"motif": "doublon"})
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
    client.force_login(users["region84"])
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 403 and "organisateurs" in r.json()["detail"]
    client.force_login(users["region75"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json() == {"evenement": ev.pk, "etat": "desinscrit", "place": None, "deja": False,
                        "promus": 1}  # fmt: skip
    assert client.post(url, body, content_type="application/json").status_code == 409

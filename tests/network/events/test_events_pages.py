"""The events' pages, API and CLI: listing and filters, the event page by role, the organiser's
form, registration from the page, status actions, the attendance list (page and French CSV),
the API's public reads and members' registration, `pvd network events ...`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pvd.network import events as svc
from pvd.network.models import Evenement, Inscription


@pytest.fixture
def login(client, users):
    def as_(name):
        client.force_login(users[name])
        return client

    return as_


def test_listing_filters_by_period_region_and_format(client, users, make_event, when):
    make_event(titre="Rencontre Poitiers")
    make_event(titre="Webinaire national", echelle="national", format="en_ligne",
               lieu="", lien="https://webinaire.example.fr/pvd")  # fmt: skip
    make_event(titre="Rencontre Lyon", region="84")
    make_event(titre="Brouillon caché", statut="brouillon")
    past = make_event(titre="Rencontre passée")
    Evenement.objects.filter(pk=past.pk).update(debut=when(-30, 9), fin=when(-30, 17))
    page = client.get("/reseau/evenements/").content.decode()
    assert "Rencontre Poitiers" in page and "Webinaire national" in page and "Rencontre Lyon" in page
    assert "Brouillon caché" not in page and "Rencontre passée" not in page
    assert "3 rencontres à venir" in page
    page = client.get("/reseau/evenements/?region=84").content.decode()
    assert "Rencontre Lyon" in page and "Webinaire national" in page and "Rencontre Poitiers" not in page
    page = client.get("/reseau/evenements/?format=en_ligne").content.decode()
    assert "Webinaire national" in page and "Rencontre Lyon" not in page
    page = client.get("/reseau/evenements/?periode=passes").content.decode()
    assert "Rencontre passée" in page and "Rencontre Poitiers" not in page
    assert client.get("/reseau/evenements/?region=zz&format=zz&page=99").status_code == 200


def test_a_chef_de_projet_registers_from_the_page(login, make_event):
    ev = make_event(capacite=1)
    c = login("chef23")
    page = c.get(f"/reseau/evenements/{ev.pk}/").content.decode()
    assert "M'inscrire" in page and "Ajouter à mon agenda (.ics)" in page
    assert "Liste des participants" not in page  # organisers only
    r = c.post(f"/reseau/evenements/{ev.pk}/inscription/", follow=True)
    assert "Inscription confirmée" in r.content.decode()
    listing = c.get("/reseau/evenements/").content.decode()
    assert "1 inscrit sur 1 place" in listing and "sur 1 places" not in listing
    c = login("chef01")
    r = c.post(f"/reseau/evenements/{ev.pk}/inscription/", follow=True)
    assert "liste d'attente" in r.content.decode() and "position 1" in r.content.decode()
    r = c.post(f"/reseau/evenements/{ev.pk}/desinscription/", follow=True)
    assert "Votre inscription est annulée" in r.content.decode()
    assert Inscription.objects.get(evenement=ev, user__username="chef01").etat == "desinscrit"


def test_anonymous_visitors_read_but_do_not_register(client, make_event):
    ev = make_event()
    page = client.get(f"/reseau/evenements/{ev.pk}/").content.decode()
    assert "Connectez-vous pour vous inscrire" in page
    r = client.post(f"/reseau/evenements/{ev.pk}/inscription/")
    assert r.status_code == 302 and "/programme/connexion/" in r["Location"]
    assert not Inscription.objects.exists()


def test_organisers_create_publish_cancel_delete_and_restore(login, users):
    c = login("region75")
    assert c.get("/reseau/evenements/nouveau/").status_code == 200
    data = {
        "titre": "Club régional", "echelle": "regional", "region": "75",
        "debut": "2031-03-12T09:30", "fin": "2031-03-12T17:00", "format": "presentiel",
        "lieu": "Limoges", "public": "region", "capacite": "40", "programme_texte": "Ateliers",
    }  # fmt: skip
    r = c.post("/reseau/evenements/nouveau/", {**data, "region": "84"})
    assert r.status_code == 200 and "Vous n&#x27;avez pas les droits" in r.content.decode()
    r = c.post("/reseau/evenements/nouveau/", {**data, "fin": "2031-03-12T08:00"})
    assert "Fin : après le début" in r.content.decode()
    r = c.post("/reseau/evenements/nouveau/", data)
    ev = Evenement.objects.get(titre="Club régional")
    assert r.status_code == 302 and ev.statut == "brouillon"
    assert ev.debut.isoformat() == "2031-03-12T08:30:00+00:00"  # 9:30 in Paris (UTC+1 in March)
    c.post(f"/reseau/evenements/{ev.pk}/statut/", {"action": "publier"})
    ev.refresh_from_db()
    assert ev.statut == "publie"
    edit = c.get(f"/reseau/evenements/{ev.pk}/modifier/").content.decode()
    assert 'value="2031-03-12T09:30"' in edit
    c.post(f"/reseau/evenements/{ev.pk}/statut/", {"action": "annuler", "motif": "salle fermée"})
    c.post(f"/reseau/evenements/{ev.pk}/statut/", {"action": "supprimer"})
    ev.refresh_from_db()
    assert ev.statut == "annule" and ev.supprime_le is not None
    assert login("chef23").get(f"/reseau/evenements/{ev.pk}/").status_code == 404
    c = login("region75")
    c.post(f"/reseau/evenements/{ev.pk}/statut/", {"action": "restaurer"})
    ev.refresh_from_db()
    assert ev.supprime_le is None
    # Other regions' staff and project teams may not.
    for name in ("region84", "chef23"):
        other = login(name)
        assert other.get(f"/reseau/evenements/{ev.pk}/modifier/").status_code == 403
        r = other.post(f"/reseau/evenements/{ev.pk}/statut/", {"action": "supprimer"})
        assert r.status_code == 403
    assert login("chef23").get("/reseau/evenements/nouveau/").status_code == 403


def test_the_attendance_list_for_organisers(login, users, make_event):
    users["chef23"].first_name, users["chef23"].last_name = "Claire", "Martin"
    users["chef23"].save()
    ev = make_event(capacite=1)
    svc.registration_register(user=users["chef23"], evenement=ev)
    svc.registration_register(user=users["chef01"], evenement=ev)
    page = login("region75").get(f"/reseau/evenements/{ev.pk}/").content.decode()
    assert "Liste des participants (1 inscrit, 1 en attente)" in page and "Claire Martin" in page
    r = login("region75").get(f"/reseau/evenements/{ev.pk}/participants.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    lines = r.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "etat;place;rang_attente;nom;prenom;identifiant;email;groupes;fonction;demande_le"
    assert lines[1].startswith("Inscrit;1;;Martin;Claire;chef23;chef23@x.fr;La Souterraine;Chef de projet;")
    assert lines[2].startswith("Liste d'attente;;1;;;chef01;chef01@x.fr;")
    r = login("region75").get(f"/reseau/evenements/{ev.pk}/participants.csv?csv=international")
    assert r.content.decode().startswith("etat,place,rang_attente")
    assert login("chef23").get(f"/reseau/evenements/{ev.pk}/participants.csv").status_code == 403


def test_api_reads_and_registration(client, users, make_event):
    ev = make_event(capacite=1)
    make_event(titre="Brouillon", statut="brouillon")
    rows = client.get("/api/v1/reseau/evenements").json()
    assert [r["titre"] for r in rows] == [ev.titre]
    assert rows[0]["capacite"] == 1 and rows[0]["inscrits"] == 0
    assert rows[0]["ics"].endswith(f"/reseau/evenements/{ev.pk}/agenda.ics")
    assert client.get(f"/api/v1/reseau/evenements/{ev.pk}").json()["region"] == "75"
    assert client.get(f"/api/v1/reseau/evenements/{ev.pk + 1}").status_code == 404
    assert client.post(f"/api/v1/reseau/evenements/{ev.pk}/inscription").status_code == 401
    client.force_login(users["chef23"])
    r = client.post(f"/api/v1/reseau/evenements/{ev.pk}/inscription")
    assert r.status_code == 200 and r.json() == {
        "evenement": ev.pk, "etat": "inscrit", "place": 1, "deja": False, "promus": 0
    }
    client.force_login(users["chef01"])
    assert client.post(f"/api/v1/reseau/evenements/{ev.pk}/inscription").json()["etat"] == "attente"
    client.force_login(users["chef23"])
    r = client.delete(f"/api/v1/reseau/evenements/{ev.pk}/inscription")
    assert r.json()["etat"] == "desinscrit" and r.json()["promus"] == 1
    client.force_login(users["nobody"])
    r = client.post(f"/api/v1/reseau/evenements/{ev.pk}/inscription")
    assert r.status_code == 409 and "réservé" in r.json()["detail"]


def test_cli_list_and_export(users, make_event, tmp_path):
    from pvd.network.cli import network

    ev = make_event()
    svc.registration_register(user=users["chef23"], evenement=ev)
    runner = CliRunner()
    r = runner.invoke(network, ["events", "list", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)[0]["inscrits"] == 1
    out = tmp_path / "p.csv"
    r = runner.invoke(network, ["events", "export-attendance", str(ev.pk), "-o", str(out), "--fr"])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith("\ufeffetat;place".encode())
    r = runner.invoke(network, ["events", "export-attendance", "999999"])
    assert r.exit_code == 1 and "aucune rencontre" in r.output
    r = runner.invoke(network, ["events", "remind", "--dry-run"])
    assert r.exit_code == 0 and "Rappels" in r.output


def test_api_listing_pages_and_refuses_bad_parameters(client, make_event):
    for i in range(3):
        make_event(titre=f"Rencontre {i}")
    assert len(client.get("/api/v1/reseau/evenements?limit=2").json()) == 2
    assert len(client.get("/api/v1/reseau/evenements?limit=2&offset=2").json()) == 1
    r = client.get("/api/v1/reseau/evenements?limit=0")
    assert r.status_code == 422 and r.json()["erreurs"][0]["champ"] == "limit"
    assert client.get("/api/v1/reseau/evenements?periode=demain").status_code == 422



def test_times_are_written_as_french_typography_writes_them(client, make_event, when):
    """« 9 h 30–17 h », not « 09h30–17h00 »."""
    ev = make_event(debut=when(20, 9).replace(minute=30), fin=when(20, 17))
    nbsp = "\u00a0"
    for url in (f"/reseau/evenements/{ev.pk}/", "/reseau/evenements/"):
        page = client.get(url).content.decode()
        assert f"9{nbsp}h{nbsp}30–17{nbsp}h{nbsp}00" in page, url
        assert "09h30" not in page

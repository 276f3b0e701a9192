"""Editing rights: scopes per department, region and nation; CSRF; history of web edits."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from pvd.programme.models import Changement, Laureat
from pvd.programme.services import PermissionDenied, can_edit, laureate_update

EDIT = "/programme/pvd/communes/{code}/modifier/"
FORM = {
    "statut": "actif",
    "date_selection": "",
    "date_convention_adhesion": "2021-04-07",
    "date_chef_projet": "2021-10-01",
    "date_convention_cadre": "2022-10-18",
    "notes": "Chef de projet recruté en octobre.",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_department_user_cannot_edit_another_department(imported, make_user):
    creuse = make_user("creuse", niveau="departement", code="23")
    ahun = Laureat.objects.get(programme=imported, commune__code="23001")  # Creuse (23)
    ussel = Laureat.objects.get(programme=imported, commune__code="19275")  # Corrèze (19)
    client = _client(creuse)
    assert client.get(EDIT.format(code="23001")).status_code == 200
    response = client.post(EDIT.format(code="19275"), FORM)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    ussel.refresh_from_db()
    assert ussel.date_chef_projet is None and ussel.notes == ""
    with pytest.raises(PermissionDenied):
        laureate_update(laureat=ussel, user=creuse, values={"notes": "non"})
    # Its own department: saved, with the history naming the user.
    response = client.post(EDIT.format(code="23001"), FORM)
    assert response.status_code == 302
    ahun.refresh_from_db()
    assert ahun.date_chef_projet == date(2021, 10, 1)
    entry = Changement.objects.filter(objet="laureat", objet_id=ahun.pk, origine="web").get()
    assert entry.user == creuse and entry.qui == "creuse"
    assert entry.changes["date_chef_projet"] == [None, "2021-10-01"]
    page = client.get("/programme/pvd/communes/23001/").content.decode()
    assert "Chef de projet recruté en octobre." in page and "creuse" in page


def test_region_and_national_scopes(imported, make_user):
    naq = make_user("naq", niveau="region", code="75")
    corse = make_user("corse", niveau="region", code="94")
    national = make_user("national", niveau="national")
    nobody = make_user("personne")
    for user, expected in ((naq, True), (corse, False), (national, True), (nobody, False)):
        assert can_edit(user, departement_id="19", region_id="75") is expected
    assert _client(corse).get(EDIT.format(code="19275")).status_code == 403
    assert _client(nobody).post(EDIT.format(code="19275"), FORM).status_code == 403
    assert _client(naq).post(EDIT.format(code="19275"), FORM).status_code == 302


def test_anonymous_is_sent_to_login_and_reads_public_pages(imported):
    client = Client()
    response = client.get(EDIT.format(code="23001"))
    assert response.status_code == 302 and "/programme/connexion/" in response["Location"]
    assert client.post(EDIT.format(code="23001"), FORM).status_code == 302
    assert Laureat.objects.get(programme=imported, commune__code="23001").notes == ""
    page = client.get("/programme/pvd/communes/23001/").content.decode()
    assert "Modifier" not in page and "Historique" not in page


def test_csrf_is_enforced(imported, make_user):
    user = make_user("creuse2", niveau="departement", code="23")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(EDIT.format(code="23001"), FORM).status_code == 403
    page = client.get(EDIT.format(code="23001"))
    token = page.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(EDIT.format(code="23001"), {**FORM, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_invalid_dates_are_refused(imported, make_user):
    client = _client(make_user("n", niveau="national"))
    bad = {**FORM, "date_convention_cadre": "2020-01-01"}  # before the convention d'adhésion
    response = client.post(EDIT.format(code="23001"), bad)
    assert response.status_code == 200
    assert "précède" in response.content.decode()


def test_login_page(imported, make_user):
    make_user("agent", niveau="departement", code="23")
    client = Client()
    assert client.get("/programme/connexion/").status_code == 200
    response = client.post(
        "/programme/connexion/?next=/programme/pvd/communes/23001/",
        {
            "username": "agent",
            "password": "motdepasse-42",
            "next": "/programme/pvd/communes/23001/",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/communes/23001/")
    assert "Modifier" in client.get("/programme/pvd/communes/23001/").content.decode()


def test_admin_edit_goes_through_scope_and_history(imported, make_user):
    admin_user = make_user("staff23", niveau="departement", code="23")
    admin_user.is_staff = True
    admin_user.save()
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programme", codename__in=["view_laureat", "change_laureat"]
        )
    )
    client = _client(admin_user)
    ahun = Laureat.objects.get(programme=imported, commune__code="23001")
    ussel = Laureat.objects.get(programme=imported, commune__code="19275")
    url = f"/admin/programme/laureat/{ahun.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "statut": "actif",
        "date_selection": "",
        "date_convention_adhesion": "2021-04-07",
        "date_chef_projet": "2021-11-02",
        "date_convention_cadre": "2022-10-18",
        "notes": "via l'administration",
    }
    assert client.post(url, data).status_code == 302
    ahun.refresh_from_db()
    assert ahun.date_chef_projet == date(2021, 11, 2)
    assert Changement.objects.filter(objet_id=ahun.pk, origine="admin", user=admin_user).exists()
    response = client.post(f"/admin/programme/laureat/{ussel.pk}/change/", data)
    assert response.status_code == 403
    ussel.refresh_from_db()
    assert ussel.notes == ""

"""Opting out of the weekly digest: the signed one-click link (GET confirms, POST acts, RFC 8058
one-click POST without CSRF token, the way back in; tampered and expired links refused) and the
box of « Mon profil réseau »; every change audited."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.test import Client

from pvd.network import digest_optout
from pvd.network.models import ProfilReseau
from pvd.programme.models import Changement


@pytest.fixture
def chef(users):
    return users["chef23"]


def _path(user_id: int) -> str:
    url = digest_optout.unsubscribe_url(user_id)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_get_only_confirms_post_unsubscribes_and_back_in(chef):
    browser = Client(enforce_csrf_checks=True)
    path = _path(chef.pk)
    r = browser.get(path)  # what a mail scanner prefetching the link does
    assert r.status_code == 200
    assert "Ne plus recevoir la lettre" in r.content.decode()
    assert digest_optout.subscribed(chef)
    r = browser.post(path, {"action": "desabonner"})
    assert r.status_code == 200 and "Vous ne recevrez plus" in r.content.decode()
    assert not digest_optout.subscribed(chef)
    assert "Me réabonner" in r.content.decode()
    r = browser.post(path, {"action": "reabonner"})
    assert "Vous recevrez de nouveau" in r.content.decode() and digest_optout.subscribed(chef)
    rows = Changement.objects.filter(objet="profil_reseau").order_by("id")
    assert [(c.origine, c.user_id, c.changes) for c in rows] == [
        ("lien", chef.pk, {"lettre_hebdo": [True, False]}),
        ("lien", chef.pk, {"lettre_hebdo": [False, True]}),
    ]


def test_one_click_post_of_a_mail_client(chef):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", without cookie nor token."""
    r = Client(enforce_csrf_checks=True).post(
        _path(chef.pk), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert r.status_code == 200
    assert ProfilReseau.objects.get(user=chef).lettre_hebdo is False
    # Again: nothing changes, nothing more audited.
    Client().post(_path(chef.pk), "List-Unsubscribe=One-Click",
                  content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert Changement.objects.filter(objet="profil_reseau").count() == 1


def test_tampered_and_foreign_links_are_refused(chef, users, client):
    path = _path(chef.pk)
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = signing.dumps({"u": users["chef16"].pk}, salt="autre-usage", compress=True)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), other, "x"):
        r = client.post(f"/reseau/lettre/desabonnement/{bad}/")
        assert r.status_code == 400 and "pas valide ou a expiré" in r.content.decode()
    assert digest_optout.subscribed(chef) and digest_optout.subscribed(users["chef16"])


def test_expired_link(chef, client, monkeypatch):
    old = time.time() - digest_optout.MAX_AGE.total_seconds() - 60
    monkeypatch.setattr(signing.time, "time", lambda: old)
    path = _path(chef.pk)
    monkeypatch.undo()
    assert client.post(path).status_code == 400 and digest_optout.subscribed(chef)
    # a link a little younger than the limit works
    monkeypatch.setattr(signing.time, "time", lambda: old + 120)
    path = _path(chef.pk)
    monkeypatch.undo()
    assert client.post(path).status_code == 200 and not digest_optout.subscribed(chef)


def test_inactive_account(chef, client):
    path = _path(chef.pk)
    chef.is_active = False
    chef.save()
    assert client.get(path).status_code == 400


def test_profile_box(chef, client):
    client.force_login(chef)
    r = client.get("/reseau/profil/")
    assert 'name="lettre_hebdo" checked' in r.content.decode()  # subscribed by default
    r = client.post("/reseau/profil/", {"email_public": "", "telephone_public": ""})
    assert r.status_code == 302
    assert ProfilReseau.objects.get(user=chef).lettre_hebdo is False
    assert 'name="lettre_hebdo" checked' not in client.get("/reseau/profil/").content.decode()
    client.post("/reseau/profil/", {"lettre_hebdo": "on"})
    assert ProfilReseau.objects.get(user=chef).lettre_hebdo is True

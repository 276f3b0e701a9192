"""The project team managed in the pages by its managers: invite by e-mail (an existing
account, or a new inactive account with a set-password link), change a role, remove; a project
keeps at least one manager; permissions per role; every change in the history."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from pvd.programme.models import Changement
from pvd.projects import services
from pvd.projects.models import Membre

BASE = "/projets/pvd/pvd-75-23-1/"
TEAM = BASE + "equipe/"


@pytest.fixture
def team(users, groups, make_user):
    """g23's team: chef23 (manager, from the fixtures), a contributor and a reader."""
    contrib = make_user("contrib23")
    contrib.email = "contrib@souterraine.fr"
    contrib.save()
    reader = make_user("lecteur23")
    services.member_add(groupe=groups["g23"], user=contrib, role="contributeur")
    services.member_add(groupe=groups["g23"], user=reader, role="lecteur")
    return {"chef": users["chef23"], "contrib": contrib, "reader": reader}


def _membre(user):
    return Membre.objects.get(user=user)


@pytest.mark.parametrize(
    ("who", "read", "comment", "edit", "manage"),
    [
        ("chef", True, True, True, True),
        ("contrib", True, True, True, False),
        ("reader", True, True, False, False),
    ],
)
def test_rights_follow_the_role(team, groups, who, read, comment, edit, manage):
    acc = services.access(team[who], groups["g23"])
    assert (acc.read, acc.comment, acc.edit, acc.manage) == (read, comment, edit, manage)


@pytest.mark.parametrize(
    ("who", "page", "invite"),
    [
        ("chef", 200, 302),
        ("contrib", 200, 403),
        ("reader", 200, 403),
        ("pref23", 200, 403),
        ("chef16", 403, 403),
        ("nobody", 403, 403),
        ("admin", 200, 302),
    ],
)
def test_team_page_and_invitation_by_role(client, users, team, who, page, invite, mailoutbox):
    user = team.get(who) or users[who]
    client.force_login(user)
    r = client.get(TEAM)
    assert r.status_code == page
    if page == 200:
        html = r.content.decode()
        assert "contrib@souterraine.fr" in html and "Lecteur" in html
        assert ("Inviter une personne" in html) == (invite == 302)
    r = client.post(TEAM + "inviter/", {"email": f"x-{who}@mairie.fr", "role": "lecteur"})
    assert r.status_code == invite
    if who in ("contrib", "reader"):
        assert "Seuls les gestionnaires" in r.content.decode()
    assert Membre.objects.filter(user__email=f"x-{who}@mairie.fr").exists() == (invite == 302)


def test_inviting_an_existing_account_adds_it_and_tells_it(
    client, team, groups, make_user, mailoutbox
):
    other = make_user("agent")
    other.email = "Agent@Creuse.fr"
    other.save()
    client.force_login(team["chef"])
    r = client.post(
        TEAM + "inviter/",
        {"email": "agent@creuse.fr", "role": "contributeur", "fonction": "Commerce"},
    )
    assert r.status_code == 302
    m = Membre.objects.get(groupe=groups["g23"], user=other)
    assert (m.role, m.fonction) == ("contributeur", "Commerce")
    assert get_user_model().objects.filter(email__iexact="agent@creuse.fr").count() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["agent@creuse.fr"]
    assert "La Souterraine" in mailoutbox[0].subject and BASE in mailoutbox[0].body
    ch = Changement.objects.get(objet="membre", objet_id=m.pk, action="creation")
    assert ch.groupe_id == groups["g23"].pk and "agent@creuse.fr" in ch.libelle


def test_inviting_a_new_address_creates_an_inactive_account_with_a_set_password_link(
    client, team, groups, mailoutbox
):
    client.force_login(team["chef"])
    r = client.post(TEAM + "inviter/", {"email": "nouvelle@mairie.fr", "role": "gestionnaire"})
    assert r.status_code == 302
    user = get_user_model().objects.get(email="nouvelle@mairie.fr")
    assert not user.is_active and not user.has_usable_password()
    assert _membre(user).role == "gestionnaire"
    assert "invitation en attente" in client.get(TEAM).content.decode()
    link = re.search(r"http://testserver(/projets/activer/\S+/)", mailoutbox[0].body).group(1)
    client.logout()
    r = client.get(link)  # Django moves the token into the session, then shows the form
    assert r.status_code == 302
    form_url = r["Location"]
    assert "Choisir votre mot de passe" in client.get(form_url).content.decode()
    r = client.post(
        form_url,
        {"new_password1": "Halle-de-1902-couverte", "new_password2": "Halle-de-1902-couverte"},
    )
    assert r.status_code == 302 and r["Location"] == "/programme/connexion/"
    user.refresh_from_db()
    assert user.is_active and user.check_password("Halle-de-1902-couverte")
    # The link is spent.
    r = client.get(link, follow=True)
    assert "plus valable" in r.content.decode()


def test_a_bad_address_is_said_next_to_the_field(client, team):
    client.force_login(team["chef"])
    r = client.post(TEAM + "inviter/", {"email": "pas-une-adresse", "role": "lecteur"})
    assert r.status_code == 400 and "fr-error-text" in r.content.decode()


def test_role_change_and_removal_keep_one_manager(client, team, groups):
    client.force_login(team["chef"])
    chef = _membre(team["chef"])
    url = TEAM + f"{chef.pk}/"
    # The only manager cannot step down nor leave.
    r = client.post(url, {"role": "lecteur"}, follow=True)
    assert "au moins un gestionnaire" in r.content.decode()
    assert _membre(team["chef"]).role == "gestionnaire"
    client.post(url, {"retirer": "1"})
    assert Membre.objects.filter(pk=chef.pk).exists()
    # With a second manager, both are allowed.
    contrib = _membre(team["contrib"])
    client.post(TEAM + f"{contrib.pk}/", {"role": "gestionnaire"})
    assert _membre(team["contrib"]).role == "gestionnaire"
    ch = Changement.objects.get(objet="membre", objet_id=contrib.pk, action="modification")
    assert ch.changes == {"role": ["contributeur", "gestionnaire"]}
    client.post(url, {"retirer": "1"})
    assert not Membre.objects.filter(pk=chef.pk).exists()
    removed = Changement.objects.get(objet="membre", objet_id=chef.pk, action="suppression")
    assert removed.contenu and removed.groupe_id == groups["g23"].pk
    # chef23 is no longer in the team: no access any more.
    assert client.get(TEAM).status_code == 403


def test_a_member_of_another_team_cannot_be_changed(client, team, users):
    client.force_login(team["chef"])
    other = _membre(users["chef16"])
    r = client.post(TEAM + f"{other.pk}/", {"role": "lecteur"})
    assert r.status_code == 404
    assert _membre(users["chef16"]).role == "gestionnaire"


def test_the_responsable_of_an_action_is_a_team_member(projet23, team, users):
    a = services.action_create(
        projet=projet23,
        user=team["chef"],
        values={"titre": "Halle", "axe": "commerces", "responsable": team["contrib"]},
    )
    assert a.responsable == team["contrib"]
    with pytest.raises(ValueError, match="ne fait pas partie"):
        services.action_update(action=a, user=team["chef"], values={"responsable": users["chef16"]})

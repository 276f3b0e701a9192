"""The directory: public without personal data unless consented, names and functions for
programme members, filters and pagination, « Mon profil réseau »; peers of a town on a theme."""

from __future__ import annotations

import pytest

from pvd.network import directory


def _page(client, query: str = "") -> str:
    r = client.get(f"/reseau/{query}")
    assert r.status_code == 200
    return r.content.decode()


def test_public_directory_shows_no_personal_data_without_consent(client, users, groups):
    page = _page(client, "?q=23176")
    assert "23176" in page
    for leak in ("Chef23", "Testeuse", "chef23@mairie.fr", "chef23"):
        assert leak not in page


def test_consent_shows_the_public_contact_set_by_herself(client, users, groups, actor_of):
    directory.profile_update(
        actor=actor_of(users["chef23"]),
        consentement=True,
        email_public="contact@ville.fr",
        telephone_public="05 55 00 00 00",
    )
    page = _page(client, "?q=23176")
    assert "Chef23 Testeuse" in page and "contact@ville.fr" in page and "05 55 00 00 00" in page
    assert "chef23@mairie.fr" not in page  # the account's address is never shown


def test_members_see_names_not_contacts_without_consent(client, users, groups, actor_of):
    directory.profile_update(
        actor=actor_of(users["chef23"]),
        consentement=False,
        email_public="contact@ville.fr",
        telephone_public="",
    )
    client.force_login(users["chef16"])
    page = _page(client, "?q=23176")
    assert "Chef23 Testeuse, Chef de projet" in page
    assert "contact@ville.fr" not in page


def test_profile_page_is_the_owners(client, users):
    from pvd.programme.models import Changement

    assert client.get("/reseau/profil/").status_code == 302  # login first
    client.force_login(users["chef23"])
    r = client.post(
        "/reseau/profil/",
        {"consentement": "on", "email_public": "cp@ville.fr", "telephone_public": "0555"},
    )
    assert r.status_code == 200 and "Numéro de téléphone invalide" in r.content.decode()
    client.post("/reseau/profil/", {"consentement": "on", "email_public": "cp@ville.fr"})
    profil = users["chef23"].profil_reseau
    assert (profil.consentement, profil.email_public) == (True, "cp@ville.fr")
    assert Changement.objects.filter(objet="profil_reseau", user=users["chef23"]).exists()


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({"q": "23176"}, {"23176"}),
        ({"departement": "16"}, {"16005", "16015"}),
        ({"region": "84"}, {"01004"}),
        ({"axe": "commerces"}, {"23176", "16005", "16015"}),
        ({"axe": "services_publics"}, {"01004"}),
        ({"axe": "habitat"}, set()),
    ],
)
def test_filters(filters, codes, actions):
    assert {t.code for t in directory.search(directory.Filters(**filters))} == codes


def test_search_ignores_accents_and_case(groups):
    from pvd.territories.models import Commune

    nom = Commune.objects.get(code="23176", type="COM").nom
    found = directory.search(directory.Filters(q=nom.upper()))
    assert [t.code for t in found] == ["23176"]


def test_pagination(client, pvd):
    from pvd.programme.models import Laureat
    from pvd.territories.models import Commune

    communes = Commune.objects.filter(type="COM", departement_id="23").order_by("code")[:60]
    Laureat.objects.bulk_create(Laureat(programme=pvd, commune=c) for c in communes)
    first = _page(client)
    assert "60 villes lauréates" in first and "Page 1 sur 2" in first
    assert first.count("<tr>") == 1 + directory.PAGE_SIZE  # header + one page
    assert _page(client, "?page=2").count("<tr>") == 1 + 10


def test_peers_similar_first_then_department_then_region(client, users, groups, actions, factories):
    from pvd.diagnostics.models import TerritoryValues
    from pvd.network.peers import peers_of
    from pvd.territories.models import Commune

    make_group, make_action = factories
    # A town of the Creuse similar to 23176 (stored similar towns), and one of its department.
    creuse = list(
        Commune.objects.filter(type="COM", departement_id="23")
        .exclude(code="23176")
        .order_by("-population")[:2]
    )
    similar, same_dept = creuse
    g_sim = make_group(groups["g23"].programme, "pvd-75-23-2", [similar.code])
    g_dep = make_group(groups["g23"].programme, "pvd-75-23-3", [same_dept.code])
    make_action(g_sim, "Commerce éphémère", "commerces", phase="operation")
    make_action(g_dep, "Marché de producteurs", "commerces")
    make_action(g_dep, "Piste cyclable", "mobilite")  # another theme: not listed
    # A build stored by an earlier test of the session may already hold this row: set its peers.
    TerritoryValues.objects.update_or_create(
        level="COM",
        code="23176",
        defaults={"peers": {"c": [similar.code], "d": [0.5], "r": [""]}},
        create_defaults={
            "values": {},
            "peers": {"c": [similar.code], "d": [0.5], "r": [""]},
        },
    )
    town = Commune.objects.get(code="23176", type="COM")
    result = peers_of(commune=town, axe="commerces")
    assert [(p.town.code, p.tier) for p in result.peers] == [
        (similar.code, "similaire"),
        (same_dept.code, "departement"),
        ("16005", "region"),  # the Charente group, once (its two towns share a project)
    ]
    assert [(a.titre, a.phase) for a in result.peers[0].actions] == [
        ("Commerce éphémère", "Opération")
    ]
    assert [a.titre for a in result.peers[1].actions] == ["Marché de producteurs"]
    # the page: members only
    assert client.get("/reseau/pareil/23176/?axe=commerces").status_code == 302
    client.force_login(users["nobody"])
    assert client.get("/reseau/pareil/23176/?axe=commerces").status_code == 403
    client.force_login(users["chef23"])
    page = client.get("/reseau/pareil/23176/?axe=commerces").content.decode()
    assert "3 villes avec des actions « Commerces et services »" in page
    assert "Commerce éphémère" in page and "Piste cyclable" not in page

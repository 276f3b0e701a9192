"""Practices' search by words (accents, case, hyphens and apostrophes ignored, words in any
order) and what a network write invalidates: its own version, not every cached page."""

from __future__ import annotations

import pytest

from pvd import caching
from pvd.network import directory
from pvd.network import practices as S
from pvd.network import practices_search as Q


def _publish(actor_of, users, chef, action, **values):
    p = S.practice_create(actor=actor_of(chef), action=action, values=values)
    S.practice_submit(actor=actor_of(chef), pratique=p)
    S.practice_review(actor=actor_of(users["national"]), pratique=p, publish=True)
    return p


@pytest.fixture
def chely(pvd, factories, make_user, users, actor_of):
    """A published practice of Saint-Chély-d'Apcher (48140) and one of the Creuse town."""
    make_group, make_action = factories
    groupe = make_group(pvd, "pvd-76-48-1", ["48140"])
    chef = make_user("chef48", groupe=groupe)
    action = make_action(groupe, "Halle couverte", "commerces")
    return _publish(actor_of, users, chef, action, titre="Une halle couverte")


@pytest.fixture
def boutiques(actions, users, actor_of):
    return _publish(
        actor_of,
        users,
        users["chef23"],
        actions["a23"],
        titre="Boutiques à l'essai pour le centre-bourg",
        realisation="Trois locaux loués six mois à prix réduit.",
    )


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("chely", ["chely"]),
        ("CHÉLY", ["chely"]),
        ("st chely d apcher", ["chely"]),
        ("Saint-Chély-d'Apcher", ["chely"]),
        ("48140", ["chely"]),
        ("BOUTIQUES A L'ESSAI", ["boutiques"]),
        ("centre bourg", ["boutiques"]),
        ("bourg centre", ["boutiques"]),
        ("centre-bourg boutiques", ["boutiques"]),
        ("LOCAUX LOUES", ["boutiques"]),
        ("boutique", ["boutiques"]),  # words match as prefixes
        ("outiques", []),  # not inside a word
        ("boutiques halle", []),  # every word must match
        ("halle", ["chely"]),
        ("  ", ["boutiques", "chely"]),
        ("« » -", ["boutiques", "chely"]),  # no word: no filter
    ],
)
def test_words_ignore_accents_case_order_and_punctuation(q, found, chely, boutiques):
    names = {chely.pk: "chely", boutiques.pk: "boutiques"}
    got = sorted(names[p.pk] for p in Q.search(Q.PracticeFilters(q=q)))
    assert got == found


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("halle", ["chely", "marche"]),  # 2 of 3: the others are excluded
        ("une halle couverte", ["chely"]),  # 1 of 3: the matching ones are kept
        ("halle boutiques", []),
    ],
)
def test_words_matching_most_practices(q, found, chely, boutiques, actions, users, actor_of):
    marche = _publish(
        actor_of, users, users["chef23"], actions["a23"], titre="Une halle pour le marché"
    )
    names = {chely.pk: "chely", boutiques.pk: "boutiques", marche.pk: "marche"}
    assert sorted(names[p.pk] for p in Q.search(Q.PracticeFilters(q=q))) == found
    region = Q.PracticeFilters(q=q, region=chely.region_id)
    assert [names[p.pk] for p in Q.search(region)] == [n for n in found if n == "chely"]


def test_search_page_with_accents_and_case(chely, boutiques, client):
    page = client.get("/reseau/pratiques/", {"q": "BOUTIQUES A L'ESSAI"}).content.decode()
    assert "Boutiques à l" in page and "Une halle couverte" not in page
    page = client.get("/reseau/pratiques/", {"q": "chely"}).content.decode()
    assert "Une halle couverte" in page and "Boutiques à l" not in page


def test_a_network_write_keeps_the_data_version_and_shows_at_once(
    boutiques, actions, users, actor_of, client
):
    """A practice or a profile saved replaces the network's version only: the pages cached
    by data version (results, portraits, dashboards) stay; the network's pages show it."""
    assert [p.pk for p in Q.search(Q.PracticeFilters(q="halle"))] == []  # keys now memoised
    data, network = caching.data_version(), caching.network_version()
    p = _publish(actor_of, users, users["chef16"], actions["a16"], titre="Halle du marché rénovée")
    assert caching.data_version() == data
    assert caching.network_version() != network
    assert [x.pk for x in Q.search(Q.PracticeFilters(q="halle marche"))] == [p.pk]
    assert "Halle du marché rénovée" in client.get("/reseau/pratiques/?q=halle").content.decode()

    directory.towns()  # the directory's rows, cached for the data version
    network = caching.network_version()
    directory.profile_update(
        actor=actor_of(users["chef23"]),
        consentement=True,
        email_public="chef23@mairie.fr",
        telephone_public="",
        presentation="",
    )
    assert caching.data_version() == data
    assert caching.network_version() != network
    page = client.get("/reseau/", {"q": "23176"}).content.decode()
    assert "chef23@mairie.fr" in page


def test_network_version_without_a_cache(settings, boutiques):
    """PVD_CACHE=none: nothing kept, every search reads the practices again."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert caching.network_version() == caching.UNCACHED
    assert [p.pk for p in Q.search(Q.PracticeFilters(q="centre bourg"))] == [boutiques.pk]

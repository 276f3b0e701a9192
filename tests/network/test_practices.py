"""Practices: the workflow (draft → review → published, or back with a comment), history,
audit rows, soft delete and restore, search filters, Atom feed and exports."""

from __future__ import annotations

import json
import re

import pytest

from pvd.network import practices as S
from pvd.network import practices_search as Q


@pytest.fixture
def published(actions, users, actor_of):
    chef = actor_of(users["chef23"])
    p = S.practice_create(
        actor=chef,
        action=actions["a23"],
        values={
            "titre": "Boutique à l'essai en centre-bourg",
            "realisation": "Un local loué six mois à prix réduit.",
            "cout": 45000,
            "financeurs": ["bdt", "region"],
        },
        indicators=[S.Indicator("Commerces ouverts", 3, "commerces")],
    )
    S.practice_submit(actor=chef, pratique=p)
    S.practice_review(actor=actor_of(users["region75"]), pratique=p, publish=True)
    return p


def test_workflow_history_and_audit(published, users, actor_of):
    from pvd.programme.models import Changement

    p = published
    assert p.statut == "publiee" and p.publiee_le is not None
    assert [(e.de, e.vers) for e in p.etapes.all()] == [
        ("", "brouillon"),
        ("brouillon", "relecture"),
        ("relecture", "publiee"),
    ]
    rows = Changement.objects.filter(objet="pratique", objet_id=p.pk).order_by("at", "id")
    assert [r.action for r in rows] == ["creation", "modification", "modification"]
    assert rows.last().user == users["region75"]
    assert rows.first().commune_code == "23176"
    assert p.financeurs_list == ["bdt", "region"]
    assert [(i.libelle, i.valeur) for i in p.indicateurs.all()] == [("Commerces ouverts", 3.0)]


def test_send_back_needs_a_comment_and_keeps_it(actions, users, actor_of):
    chef, reviewer = actor_of(users["chef23"]), actor_of(users["national"])
    p = S.practice_create(actor=chef, action=actions["a23"], values={})
    S.practice_submit(actor=chef, pratique=p)
    with pytest.raises(S.PracticeError, match="commentaire obligatoire"):
        S.practice_review(actor=reviewer, pratique=p, publish=False)
    S.practice_review(actor=reviewer, pratique=p, publish=False, comment="Ajoutez le coût.")
    p.refresh_from_db()
    assert (p.statut, p.commentaire_relecture) == ("brouillon", "Ajoutez le coût.")
    assert p.etapes.last().commentaire == "Ajoutez le coût."


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("chef16", "équipe du projet"),
        ("lecteur23", "équipe du projet"),
        ("pref23", "équipe du projet"),
    ],
)
def test_only_the_team_writes(who, message, actions, users, actor_of):
    with pytest.raises(S.PracticeError, match=message):
        S.practice_create(actor=actor_of(users[who]), action=actions["a23"], values={})


def test_department_scope_cannot_publish(actions, users, actor_of):
    chef = actor_of(users["chef23"])
    p = S.practice_create(actor=chef, action=actions["a23"], values={})
    S.practice_submit(actor=chef, pratique=p)
    with pytest.raises(S.PracticeError, match="relecture"):
        S.practice_review(actor=actor_of(users["pref23"]), pratique=p, publish=True)


def test_soft_delete_and_restore(published, users, actor_of, client):
    S.practice_delete(actor=actor_of(users["chef23"]), pratique=published)
    assert list(Q.search(Q.PracticeFilters())) == []
    assert client.get(f"/reseau/pratiques/{published.pk}/").status_code == 404
    S.practice_restore(actor=actor_of(users["region75"]), pratique=published)
    assert list(Q.search(Q.PracticeFilters())) == [published]


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({}, True),
        ({"axe": "commerces"}, True),
        ({"axe": "habitat"}, False),
        ({"region": "75"}, True),
        ({"region": "84"}, False),
        ({"financeur": "bdt"}, True),
        ({"financeur": "anah"}, False),
        ({"q": "boutique"}, True),
        ({"q": "23176"}, True),
    ],
)
def test_search_filters(filters, found, published):
    assert (published in Q.search(Q.PracticeFilters(**filters))) is found


def test_population_band_filter(published):
    from pvd.domain.network import band_of

    band = band_of(published.commune.population)
    assert published in Q.search(Q.PracticeFilters(tranche=band))
    other = "10000-plus" if band != "10000-plus" else "moins-2500"
    assert published not in Q.search(Q.PracticeFilters(tranche=other))


def test_drafts_are_not_public(actions, users, actor_of, client):
    p = S.practice_create(actor=actor_of(users["chef23"]), action=actions["a23"], values={})
    assert client.get(f"/reseau/pratiques/{p.pk}/").status_code == 404
    assert p not in Q.search(Q.PracticeFilters())
    client.force_login(users["chef23"])
    assert client.get(f"/reseau/pratiques/{p.pk}/").status_code == 200


def test_feed_and_exports(published, client):
    feed = client.get("/reseau/pratiques/flux.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    assert "Boutique à l&#x27;essai en centre-bourg" in feed.content.decode() or (
        "Boutique à l'essai en centre-bourg" in feed.content.decode()
    )
    rows = json.loads(client.get("/reseau/export/pratiques.json").content)
    assert [(r["titre"], r["code_commune"], r["cout"], r["financeurs"]) for r in rows] == [
        ("Boutique à l'essai en centre-bourg", "23176", 45000, "Banque des Territoires;Région")
    ]
    csv_text = client.get("/reseau/export/pratiques.csv").content.decode("utf-8-sig")
    header, line = csv_text.splitlines()[:2]
    assert header.startswith("id;titre;thematique;commune;code_commune")
    assert ";23176;" in line


def test_pages_of_the_workflow(actions, users, client):
    client.force_login(users["chef23"])
    r = client.post(
        f"/reseau/pratiques/nouvelle/{actions['a23'].pk}/",
        {
            "titre": "Halle rénovée",
            "cout": "120000",
            "indicateurs": "Visiteurs ; 1 200 ; par semaine",
        },
    )
    assert r.status_code == 302
    pk = int(r["Location"].rstrip("/").rsplit("/", 1)[1])
    client.post(f"/reseau/pratiques/{pk}/statut/", {"faire": "soumettre"})
    client.force_login(users["region75"])
    page = client.get(f"/reseau/pratiques/{pk}/").content.decode()
    assert "Publier la fiche" in page
    assert "Halle rénovée" in client.get("/reseau/pratiques/").content.decode()  # review queue
    client.post(f"/reseau/pratiques/{pk}/statut/", {"faire": "publier"})
    client.logout()
    page = client.get(f"/reseau/pratiques/{pk}/").content.decode()
    assert "Publiée" in page
    cell = page[page.find("<td>Visiteurs</td>") :][:60]
    assert re.match(r"<td>Visiteurs</td><td>1\s?200</td><td>par semaine</td>", cell), cell

"""Found in the review of issue 15 as a new user: "la même thématique que Aigre", "du projet de
Aigre". Town names after "de"/"que" are elided ("qu'Aigre", "d'Aigre") and contracted ("du Mans")."""

from __future__ import annotations

import pytest

from pvd.domain import wording
from pvd.network import practices as S


@pytest.mark.parametrize(
    ("word", "name", "expected"),
    [
        ("que", "Aigre", "qu'Aigre"),
        ("de", "Aigre – Ambérac", "d'Aigre – Ambérac"),
        ("de", "Égletons", "d'Égletons"),
        ("de", "Yssingeaux", "d'Yssingeaux"),
        ("de", "Le Mans", "du Mans"),
        ("de", "Les Andelys", "des Andelys"),
        ("de", "La Souterraine", "de La Souterraine"),
        ("que", "Le Blanc", "que Le Blanc"),
        ("de", "Hendaye", "de Hendaye"),
        ("de", "Saint-Chély-d'Apcher", "de Saint-Chély-d'Apcher"),
    ],
)
def test_after(word, name, expected):
    assert wording.after(word, name) == expected


def test_pages_elide_the_town_names(client, users, actions, actor_of):
    client.force_login(users["chef16"])
    page = client.get("/reseau/pareil/16005/?axe=commerces").content.decode()
    assert "même thématique qu&#x27;Aigre (Charente)" in page and "que Aigre" not in page
    p = S.practice_create(actor=actor_of(users["chef16"]), action=actions["a16"], values={})
    page = client.get(f"/reseau/pratiques/{p.pk}/").content.decode()
    assert f"du projet d&#x27;{p.groupe.nom}" in page and "du projet de Aigre" not in page


def test_zero_is_singular(client, users, groups):
    """« 0 villes avec des actions « Mobilité » », « 0 fiches publiées »: French says 0 ville."""
    client.force_login(users["chef16"])
    page = client.get("/reseau/pareil/16005/?axe=mobilite").content.decode()
    assert "0 ville avec des actions « Mobilité »" in page
    assert "0 fiche publiée." in client.get("/reseau/pratiques/?q=introuvable").content.decode()
    assert "0 ville lauréate." in client.get("/reseau/?q=introuvable").content.decode()
    assert "2 villes lauréates." in client.get("/reseau/?departement=16").content.decode()

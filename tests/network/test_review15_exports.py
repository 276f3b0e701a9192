"""Found in the review of issue 15: a practice's result indicators (its figures) were on its page
but in none of its exports (CSV, JSON, API)."""

from __future__ import annotations

import json

from pvd.network import practices as S


def test_exports_carry_the_result_indicators(client, users, actions, actor_of):
    chef = actor_of(users["chef23"])
    p = S.practice_create(
        actor=chef,
        action=actions["a23"],
        values={"titre": "Boutique test", "realisation": "Ouverte."},
        indicators=[
            S.Indicator("Commerces rouverts", 4.0, "commerces"),
            S.Indicator("Taux de vacance", 12.5, "%"),
            S.Indicator("Avis recueillis", None, ""),
        ],
    )
    S.practice_submit(actor=chef, pratique=p)
    S.practice_review(actor=actor_of(users["national"]), pratique=p, publish=True)
    expected = "Commerces rouverts : 4 commerces | Taux de vacance : 12,5 % | Avis recueillis :"
    csv = client.get("/reseau/export/pratiques.csv").content.decode("utf-8-sig").splitlines()
    header = csv[0].split(";")
    assert header[header.index("resultats") + 1] == "indicateurs"
    assert expected in csv[1]
    (row,) = json.loads(client.get("/reseau/export/pratiques.json").content)
    assert row["indicateurs"] == expected
    assert client.get("/api/v1/reseau/pratiques").json()["items"][0]["indicateurs"] == expected
    assert client.get(f"/api/v1/reseau/pratiques/{p.pk}").json()["indicateurs"] == expected

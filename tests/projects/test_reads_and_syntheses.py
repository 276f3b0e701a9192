"""Regression tests of issue 10: reading a project never creates it, and the department
synthesis splits the co-financing by group (the parts add up to the total)."""

from __future__ import annotations

import re

import pytest

from pvd.programme.models import Changement
from pvd.projects import selectors, services
from pvd.projects.models import Projet

BASE = "/projets/pvd/pvd-75-23-1/"
PAGES = (
    "",
    "calendrier/",
    "budget/",
    "indicateurs/",
    "modifier/",
    "actions/nouvelle/",
    "actions.csv",
    "export-schema.zip",
    "rapport.pdf",
    "financements.xlsx",
)
DOWNLOADS = ("actions.csv", "export-schema.zip", "rapport.pdf", "financements.xlsx")


@pytest.mark.parametrize("role", ["chef23", "pref23", "national", "admin"])
def test_gets_never_create_a_project(client, users, groups, role):
    client.force_login(users[role])
    before = (Projet.objects.count(), Changement.objects.count())
    for _ in range(5):
        for page in PAGES:
            r = client.get(BASE + page)
            if page in ("modifier/", "actions/nouvelle/") and role in ("pref23", "national"):
                assert r.status_code == 403  # editing pages: the project team only
                continue
            if page in DOWNLOADS:
                # A file of a project that does not exist: 404 with a clear message, never
                # the HTML page with status 200 (issue 10 review).
                assert r.status_code == 404, page
                assert "pas encore de projet de territoire" in r.content.decode(), page
            elif page:
                # Every other page of a project that does not exist leads to its empty state.
                assert r.status_code == 302 and r["Location"] == BASE, page
    assert (Projet.objects.count(), Changement.objects.count()) == before
    html = client.get(BASE).content.decode()
    assert "n'a pas encore de projet de territoire" in html
    can_create = role in ("chef23", "admin")
    assert ("Créer le projet de territoire" in html) is can_create
    assert (f'action="{BASE}creer/"' in html) is can_create


def test_api_reads_never_create_a_project(client, users, groups):
    client.force_login(users["pref23"])
    url = "/api/v1/projets/pvd/pvd-75-23-1"
    for _ in range(5):
        r = client.get(url)
        assert r.status_code == 404 and "pas encore de projet" in r.json()["detail"]
        assert client.get(url + "/actions").json() == []
    assert Projet.objects.count() == 0


def test_create_button_is_a_post_for_the_team_only(client, users, groups):
    client.force_login(users["pref23"])
    assert client.post(BASE + "creer/").status_code == 403
    assert client.get(BASE + "creer/").status_code == 405
    assert Projet.objects.count() == 0
    client.force_login(users["chef23"])
    r = client.post(BASE + "creer/")
    assert r.status_code == 302 and r["Location"] == BASE
    projet = Projet.objects.get()
    assert projet.groupe == groups["g23"]
    assert Changement.objects.filter(objet="projet", objet_id=projet.pk).count() == 1
    client.post(BASE + "creer/")  # idempotent: still one project, one history line
    assert Projet.objects.count() == 1
    assert Changement.objects.filter(objet="projet", objet_id=projet.pk).count() == 1
    html = client.get(BASE).content.decode()
    assert "Nouvelle action" in html and "pas encore de projet" not in html


def _funded_action(projet, user, titre: str, granted: int) -> None:
    action = services.action_create(
        projet=projet, user=user, values={"titre": titre, "axe": "commerces"}
    )
    services.line_save(
        action=action,
        kind="financement",
        user=user,
        values={"financeur": "dsil", "montant_demande": granted, "montant_accorde": granted},
    )


def test_department_synthesis_splits_funding_by_group(client, users, groups, group_factory):
    second = group_factory(groups["g23"].programme, "pvd-75-23-2", ["23001"])  # Ahun
    admin = users["admin"]
    p1 = services.project_create(groupe=groups["g23"], user=admin)
    p2 = services.project_create(groupe=second, user=admin)
    _funded_action(p1, admin, "Halle", 400_000)
    _funded_action(p2, admin, "Maison de santé", 150_000)
    _funded_action(p2, admin, "Voie verte", 50_000)

    data = selectors.scope_aggregate(departement="23")
    assert data["key"] == "group"
    granted = {k: agg.cofinancing["granted"] for k, agg in data["parts"].items()}
    assert granted == {"pvd-75-23-1": 400_000, "pvd-75-23-2": 200_000}
    assert data["total"].cofinancing["granted"] == 600_000 == sum(granted.values())
    assert data["parts"]["pvd-75-23-2"].funding_by_funder["dsil"]["requested"] == 200_000
    # The region and the nation split along departments and regions, adding up too.
    for scope in ({"region": "75"}, {}):
        agg = selectors.scope_aggregate(**scope)
        parts = [p.cofinancing["granted"] for p in agg["parts"].values()]
        assert sum(parts) == agg["total"].cofinancing["granted"] == 600_000

    client.force_login(users["pref23"])
    html = client.get("/projets/synthese/departements/23/").content.decode()
    table = html[
        html.index('id="territoires"') : html.index("</table>", html.index('id="territoires"'))
    ]
    cells = [re.sub(r"\D", "", c) for c in re.findall(r"<td>([^<]*)</td></tr>", table)]
    assert cells == ["400000", "200000"]  # the last column: co-financing granted, per group

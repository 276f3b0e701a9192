"""The projects list of a prefecture or region agent (issue 13): search, filters (department,
project state, late actions, ORT signed), natural sort, pagination, and the figures of each row
(towns, team, actions by state, funding granted/requested, last activity)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from pvd.projects import listing, services


@pytest.fixture
def followed(groups, users, projet23):
    """g23 has a project with one late action and funding; g16 a project without actions;
    g01 no project. The Creuse laureate's convention-cadre (ORT) is signed."""
    from pvd.programme.models import Laureat

    chef = users["chef23"]
    late = services.action_create(
        projet=projet23,
        user=chef,
        values={
            "titre": "Halle",
            "axe": "commerces",
            "statut": "en_cours",
            "date_debut": date(2024, 1, 1),
            "date_fin_prevue": date(2025, 1, 31),  # past: late
        },
    )
    services.action_create(
        projet=projet23,
        user=chef,
        values={"titre": "Étude", "axe": "habitat", "statut": "livree"},
    )
    services.line_save(
        action=late,
        kind="financement",
        user=chef,
        values={"financeur": "dsil", "montant_demande": 100_000, "montant_accorde": 80_000},
    )
    services.project_get_or_create(groupe=groups["g16"])
    Laureat.objects.filter(groupe=groups["g23"]).update(date_convention_cadre=date(2023, 5, 2))
    return groups


def _rows(user, **filters):
    from pvd.projects.selectors import readable_groups

    base = {k: "" for k in listing.FILTERS} | {"tri": "nom"} | filters
    return listing.project_rows(readable_groups(user), base, day=date(2026, 12, 3))


def test_rows_carry_the_figures_of_each_project(followed, users):
    rows = {r.groupe.code: r for r in _rows(users["region75"])}
    assert set(rows) == {"pvd-75-23-1", "pvd-75-16-1"}  # the region's groups only
    g23 = rows["pvd-75-23-1"]
    assert g23.by_status == {"en_retard": 1, "livree": 1} and g23.alerts == 1
    assert (g23.granted, g23.requested) == (80_000, 100_000)
    assert g23.ort_signed and not g23.read_only
    assert [m.split(" (")[0] for m in g23.managers] == ["chef23"]
    assert g23.last_activity is not None
    g16 = rows["pvd-75-16-1"]
    assert g16.actions == 0 and g16.alerts == 0 and not g16.ort_signed


def test_filters_and_search(followed, users):
    national = users["national"]
    codes = lambda rows: [r.groupe.code for r in rows]  # noqa: E731
    assert len(_rows(national)) == 3
    assert codes(_rows(national, retard="1")) == ["pvd-75-23-1"]
    assert codes(_rows(national, ort="1")) == ["pvd-75-23-1"]
    assert set(codes(_rows(national, ort="0"))) == {"pvd-75-16-1", "pvd-84-01-1"}
    assert codes(_rows(national, statut="sans_projet")) == ["pvd-84-01-1"]
    assert set(codes(_rows(national, statut="avec_projet"))) == {"pvd-75-23-1", "pvd-75-16-1"}
    assert codes(_rows(national, departement="16")) == ["pvd-75-16-1"]
    town = followed["g16"].laureats.first().commune
    assert codes(_rows(national, q=town.nom.upper())) == ["pvd-75-16-1"]
    assert codes(_rows(national, q=town.code)) == ["pvd-75-16-1"]
    assert _rows(national, q="zzzz-nulle-part") == []


def test_natural_sort_ignores_accents_and_reads_numbers():
    names = ["Groupe 10", "Évaux-les-Bains", "eymoutiers", "Groupe 2", "Aubusson"]
    assert sorted(names, key=listing.natural_key) == [
        "Aubusson",
        "Évaux-les-Bains",
        "eymoutiers",
        "Groupe 2",
        "Groupe 10",
    ]


def test_read_only_project_is_flagged(followed, users):
    from pvd.programme.models import Laureat

    Laureat.objects.filter(groupe=followed["g16"]).update(
        statut=Laureat.Statut.SORTI, date_sortie=date(2026, 1, 1)
    )
    rows = _rows(users["national"], statut="lecture_seule")
    assert [r.groupe.code for r in rows] == ["pvd-75-16-1"]


def test_list_page_filters_paginates_and_keeps_the_query(followed, users, client, group_factory):
    from pvd.programme.services import programme_get
    from pvd.territories.models import Commune

    pvd = programme_get(slug="pvd")
    extra = Commune.objects.filter(type="COM", departement_id="23").exclude(
        code__in=["23176"]
    )[: listing.PAGE_SIZE + 2]
    for i, c in enumerate(extra):
        group_factory(pvd, f"pvd-75-23-x{i}", [c.code])
    client.force_login(users["pref23"])
    html = client.get("/projets/").content.decode()
    total = 1 + len(extra)
    assert f"{total} projets ; page 1 sur 2" in html
    assert 'aria-current="page"' in html and "page=2" in html
    # Late filter: one project, its row with the figures.
    r = client.get("/projets/", {"retard": "1", "departement": "23"})
    html = r.content.decode()
    assert r.status_code == 200
    assert f"1 projet sur {total} correspond aux filtres" in html
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    assert row.count("<tr>") == 1
    assert "1 en retard" in row and "1 livrée" in row and "ORT signée" in row
    assert re.search(r"80\s000 € / 100\s000 €", row)
    # Ordinary bad input: no error.
    for bad in ({"page": "abc"}, {"page": "99999"}, {"tri": "<script>"}, {"q": "x" * 500}):
        assert client.get("/projets/", bad).status_code == 200


def test_laureate_page_links_to_the_town_project(followed, users, client, projet23):
    url = "/programme/pvd/communes/23176/"
    assert "pas encore de projet" in client.get("/programme/pvd/communes/01004/").content.decode()
    public = client.get(url).content.decode()
    assert "accès réservé" in public and "/projets/pvd/pvd-75-23-1/" not in public
    client.force_login(users["region84"])  # another region: no access
    assert "/projets/pvd/pvd-75-23-1/" not in client.get(url).content.decode()
    client.force_login(users["pref23"])
    html = client.get(url).content.decode()
    assert f'href="/projets/pvd/pvd-75-23-1/">{projet23.nom}</a>' in html

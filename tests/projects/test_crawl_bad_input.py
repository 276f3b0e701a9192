"""No HTTP 500 on ordinary bad input (issue 18): every URL pattern of the site and the API
(the Django admin aside) is requested with its path filled from real data, then with hostile
query parameters (letters for numbers, huge or negative numbers, ``1e309``, NUL, ...), logged
in as a superuser (every page open). Each answer must be below 500; under ``/api/`` every
error is JSON. Marked ``heavy``: a few thousand requests."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from pvd.projects.selectors import FILTERS
from pvd.selection.params import FLOAT_KEYS, INT_KEYS

pytestmark = [pytest.mark.heavy, pytest.mark.django_db]

# Every query parameter the views and the API read (grep of request.GET, the API signatures,
# the action-table filters and the scenario rules), plus a few any crawler would try.
PARAMS = sorted(
    {
        *FILTERS,
        *INT_KEYS,
        *FLOAT_KEYS,
        *"a b base carte departement format mesure niveau niveaux page q region scenario".split(),
        *"tout tri csv offset limit appris couverture programme source statut next".split(),
        *"fragilite_manquante centralite_source millesime annee id pk".split(),
    }
)
VALUES = ["abc", "-1", "99999999999999999999999", "1e309", "nan", "\x00", "", "é" * 300]
PARAM_RE = re.compile(r"<(?:(\w+):)?(\w+)>")


def patterns(resolvers=None, prefix: str = ""):
    for p in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if not route.startswith("admin/"):
                yield from patterns(p.url_patterns, route)
        elif isinstance(p, URLPattern) and "(?P" not in route and not route.startswith("^"):
            yield "/" + route


def fill(route: str, data: dict) -> str:
    def value(m: re.Match) -> str:
        name = m.group(2)
        before = route[: m.start()]
        if name == "code":
            if "projets/" in before and "synthese" not in before:
                return data["groupe"]
            if "groupes/" in before:
                return data["groupe"]
            if "regions/" in before:
                return "75"
            if "departements/" in before:
                return "23"
            if "territoires/" in before:
                return "23"
            return "23176"
        return {
            "slug": "pvd",
            "pk": str(data["action"]),
            "kind": "budget" if route.endswith("<str:kind>/") else "actions",
            "fmt": "csv",
            "siren": data["siren"],
            "niveau": "departement",
        }.get(name, "x")

    return PARAM_RE.sub(value, route)


@pytest.fixture
def data(groups, users, projet23):
    from pvd.projects import services

    a = services.action_create(
        projet=projet23,
        user=users["chef23"],
        values={"titre": "Halle", "axe": "commerces", "date_debut": "2024-01-01"},
    )
    services.line_save(
        action=a,
        kind="budget",
        user=users["chef23"],
        values={"annee": 2024, "nature": "investissement", "prevu": 1000},
    )
    return {"groupe": groups["g23"].code, "action": a.pk, "siren": groups["g23"].epci_id}


def test_no_server_error_on_bad_query_parameters(client, users, data):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    routes = sorted({fill(r, data) for r in patterns()})
    assert len(routes) > 60
    chunks = [PARAMS[i::4] for i in range(4)]
    errors, sent = [], 0
    for url in routes:
        if url.endswith("rapport.pdf"):
            queries = [{"format": "html", **{k: v for k in PARAMS}} for v in VALUES[:3]]
        else:
            # Every parameter at once with each value, then each quarter of them with letters
            # (a parameter refused first cannot hide another one's crash).
            queries = [{}] + [{k: v for k in PARAMS} for v in VALUES]
            queries += [{k: "abc" for k in chunk} for chunk in chunks]
        for query in queries:
            r = client.get(url, query)
            sent += 1
            if r.status_code >= 500:
                errors.append((url, query and next(iter(query.values())), r.status_code))
            elif url.startswith("/api/") and r.status_code >= 400:
                if not r["Content-Type"].startswith("application/json"):
                    errors.append((url, "non-JSON error", r.status_code))
    print(f"\n{len(routes)} routes, {sent} requests, {len(errors)} errors")
    assert not errors, errors[:30]


def test_no_server_error_on_bad_form_values(client, users, data):
    """The project's forms posted with hostile values: refused (4xx or the form again), never
    a 500, nothing written."""
    client.raise_request_exception = False
    client.force_login(users["admin"])
    base = f"/projets/pvd/{data['groupe']}/actions/{data['action']}/"
    posts = (
        [(base + "budget/", {"supprimer": v}) for v in VALUES]
        + [(base + "jalon/", {"atteint": v}) for v in VALUES]
        + [
            (base + "mesures/", {"indicateur": v, "date": "2024-01-01", "valeur": "1"})
            for v in VALUES
        ]
        + [
            (
                base + "budget/",
                {"budget-annee": v, "budget-nature": "investissement", "budget-prevu": v},
            )
            for v in VALUES
        ]
        + [
            (f"/projets/pvd/{data['groupe']}/commentaires/", {"texte": "x", "action": v})
            for v in VALUES
        ]
        + [
            (base + "indicateur/", {"indicateur-libelle": "x", "indicateur-valeur_initiale": v})
            for v in VALUES
        ]
    )
    bad = []
    for url, form in posts:
        r = client.post(url, form)
        if r.status_code >= 500:
            bad.append((url, form, r.status_code))
    assert not bad, bad

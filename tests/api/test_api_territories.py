"""REST API v1 of the territorial referential, on the real data."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def codes(hits: list[dict]) -> list[str]:
    return [h["code"] for h in hits]


def test_search_le_mont_dore_finds_both_communes(client):
    hits = get(client, "/api/v1/communes/search?q=le+mont+dore")
    assert {"63236", "98817"} <= set(codes(hits))
    mont_dore = next(h for h in hits if h["code"] == "63236")
    assert mont_dore == {
        "code": "63236",
        "type": "COM",
        "type_libelle": "Commune",
        "nom": "Mont-Dore",
        "departement": "63",
        "departement_nom": "Puy-de-Dôme",
        "population": 1163,
        "parent_code": None,
        "parent_nom": None,
        "match": "nom",
        "url": "http://testserver/communes/63236/",
    }


def test_search_abbreviations_postal_codes_and_limit(client):
    assert codes(get(client, "/api/v1/communes/search?q=st+chely+d+apcher"))[0] == "48140"
    by_postal = get(client, "/api/v1/communes/search?q=63240")
    assert by_postal[0]["code"] == "63236" and by_postal[0]["match"] == "code postal"
    assert len(get(client, "/api/v1/communes/search?q=saint&limit=3")) == 3


def test_search_commune_associee_points_to_parent_page(client):
    hit = get(client, "/api/v1/communes/search?q=Cordieux")[0]
    assert hit["type"] == "COMA" and hit["parent_code"] == "01262" and hit["population"] is None
    assert hit["url"].endswith("/communes/01262/")


@pytest.mark.parametrize("query", ["", "?q=", "?q=mont&limit=0", "?q=mont&limit=51"])
def test_search_rejects_invalid_queries(client, query):
    get(client, f"/api/v1/communes/search{query}", status=422)


def test_commune_detail(client):
    c = get(client, "/api/v1/communes/63236")
    assert c["nom"] == "Mont-Dore" and c["type"] == "COM" and c["siren"] == "216302364"
    assert c["departement"] == {"code": "63", "nom": "Puy-de-Dôme"}
    assert c["region"] == {"code": "84", "nom": "Auvergne-Rhône-Alpes"}
    assert c["arrondissement"] == {"code": "633", "nom": "Issoire"}
    assert c["epci"]["nom"] == "CC du Massif du Sancy" and c["epci"]["siren"] == "246300966"
    assert c["codes_postaux"] == ["63240"]
    assert c["population"] == {"millesime": 2023, "population": 1163}
    assert [p["millesime"] for p in c["populations"]] == [2019, 2020, 2022, 2023]
    assert "Licence Ouverte" in c["source"]["licence"]
    assert "COG 2026" in c["source"]["vintage"]
    assert c["source"]["title"] and c["source"]["publisher"]


def test_commune_detail_with_subdivisions_and_parent(client):
    paris = get(client, "/api/v1/communes/75056")
    assert "75101" in codes(paris["subdivisions"])
    assert get(client, "/api/v1/communes/75101")["parent"] == {"code": "75056", "nom": "Paris"}
    arboys = get(client, "/api/v1/communes/01015")
    assert {"code": "01015", "type": "COMD"}.items() <= arboys["subdivisions"][0].items()


def test_unknown_codes_answer_404_with_french_message(client):
    assert (
        "aucune commune n'a le code INSEE « 99999 »"
        in get(client, "/api/v1/communes/99999", status=404)["detail"]
    )
    assert "Montluel" in get(client, "/api/v1/communes/01120", status=404)["detail"]
    assert "Département inconnu" in get(client, "/api/v1/departements/999", status=404)["detail"]
    assert "Région inconnue" in get(client, "/api/v1/regions/999", status=404)["detail"]
    assert "EPCI inconnu" in get(client, "/api/v1/epci/000000000", status=404)["detail"]


def test_departements_list_and_detail(client):
    deps = get(client, "/api/v1/departements")
    by_code = {d["code"]: d for d in deps}
    assert {"2A", "2B", "63", "976", "988"} <= set(by_code)
    assert all(isinstance(d["code"], str) for d in deps)
    assert by_code["63"]["totaux"] == {
        "nb_communes": 463,
        "population": 664453,
        "population_millesimes": [2023],
    }
    assert by_code["976"]["totaux"]["population_millesimes"] == [2017]
    d = get(client, "/api/v1/departements/63?tri=-population")
    assert d["region"]["code"] == "84" and len(d["communes"]) == 463
    assert d["communes"][0]["nom"] == "Clermont-Ferrand"
    assert "Licence Ouverte" in d["source"]["licence"]
    get(client, "/api/v1/departements/63?tri=bogus", status=422)


def test_regions_list_and_detail(client):
    regions = {r["code"]: r for r in get(client, "/api/v1/regions")}
    assert regions["84"]["nom"] == "Auvergne-Rhône-Alpes"
    r = get(client, "/api/v1/regions/84")
    assert "63" in codes(r["departements"])
    assert r["totaux"]["nb_communes"] == sum(d["totaux"]["nb_communes"] for d in r["departements"])


def test_epci_detail_with_members(client):
    e = get(client, "/api/v1/epci/246300966")
    assert e["nom"] == "CC du Massif du Sancy" and e["type"] == "CC"
    assert "63236" in codes(e["membres"]) and e["totaux"]["nb_communes"] == len(e["membres"])
    assert e["totaux"]["population"] == sum(m["population"] for m in e["membres"])


def test_openapi_schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/communes/search",
        "/api/v1/communes/{code}",
        "/api/v1/departements",
        "/api/v1/departements/{code}",
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/epci/{siren}",
    ):
        assert path in paths, path
    detail = paths["/api/v1/communes/{code}"]["get"]["responses"]
    assert {"200", "404"} <= set(detail)
    commune = schema["components"]["schemas"]["CommuneOut"]["properties"]
    assert commune["code"]["type"] == "string"

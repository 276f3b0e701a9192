"""The search endpoint renders its hits itself (no second validation by ninja): the body must be
byte for byte what ninja renders after validating the same hits against the documented schema,
with ninja's content type."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from pvd.api.territories_schemas import CommuneHitOut

QUERIES = ["le mont dore", "st chely d apcher", "63240", "2A004", "Cordieux", "marseille 1er",
           "75115", "saint", "zzzzqq"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_body_is_what_ninja_would_render(db, client, query):
    response = client.get("/api/v1/communes/search", {"q": query, "limit": 20})
    assert response.status_code == 200
    assert response["Content-Type"] == client.get("/api/v1/regions")["Content-Type"]
    hits = json.loads(response.content)
    validated = TypeAdapter(list[CommuneHitOut]).validate_python(hits)
    expected = json.dumps([h.model_dump() for h in validated], cls=NinjaJSONEncoder)
    assert response.content.decode() == expected
    if query != "zzzzqq":
        assert hits
    for h in hits:  # as reverse("web:commune") gives it, the parent's page for a COMD/COMA
        page = h["parent_code"] if h["type"] in ("COMD", "COMA") and h["parent_code"] else h["code"]
        assert h["url"] == "http://testserver" + reverse("web:commune", args=[page])

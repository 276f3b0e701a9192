"""The API's documentation as a DSFR page, in French, read from the OpenAPI schema itself.

Swagger UI (django-ninja's default page) has no page language and fails RGAA checks by the
hundred; it stays available as an interactive console for developers (``/api/v1/console``),
while this page is the accessible reference: every operation with its parameters and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCATIONS = {"path": "chemin", "query": "paramètre d'adresse", "header": "en-tête"}
TYPES = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "array": "liste",
    "object": "objet",
}


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Parameter] = field(default_factory=list)
    body: bool = False
    responses: list[tuple[str, str]] = field(default_factory=list)


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " ou ".join(kinds) or "—"
    if "enum" in schema:
        return "un de : " + ", ".join(str(v) for v in schema["enum"])
    return TYPES.get(schema.get("type", ""), schema.get("type", "—"))


def operations(schema: dict) -> list[tuple[str, list[Operation]]]:
    """Operations grouped by their first path segment after the version ("communes",
    "programmes"...), in the schema's order."""
    groups: dict[str, list[Operation]] = {}
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [
                Parameter(
                    name=p["name"],
                    where=LOCATIONS.get(p["in"], p["in"]),
                    required=bool(p.get("required")),
                    type=_type(p.get("schema", {})),
                    description=p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            responses = [
                (code, answer.get("description", "")) for code, answer in op["responses"].items()
            ]
            group = path.removeprefix("/api/v1/").split("/", 1)[0]
            groups.setdefault(group, []).append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    anchor=op.get("operationId", f"{method}-{path}"),
                    parameters=params,
                    body="requestBody" in op,
                    responses=responses,
                )
            )
    return list(groups.items())


def api_docs(request: HttpRequest) -> HttpResponse:
    from pvd.api.api import api

    schema = api.get_openapi_schema()
    return render(
        request,
        "web/api_docs.html",
        {
            "info": schema["info"],
            "groups": operations(schema),
            "breadcrumb_data": {"current": "Documentation de l'API"},
        },
    )

"""Errors of the API: always JSON, always documented (issue 18).

- Every error answers ``{"detail": "<French message>"}``; an invalid input (422) adds
  ``erreurs``: one ``{"champ", "message"}`` per refused field. Never Django's HTML pages, not
  even for an unknown path (404), a wrong method (405) or an unexpected failure (500, logged
  with its traceback).
- The OpenAPI schema documents these answers on every operation (:class:`PvdAPI`): 422 where
  the operation reads parameters or a body, 401 and 403 where it needs a login, 404 where its
  path names something, 400 for a malformed body.
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("django.request")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    champ: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    erreurs: list[FieldErrorOut] = []


MESSAGES = {
    400: "Requête mal formée.",
    401: "Connexion requise : cette ressource est réservée aux utilisateurs connectés.",
    403: "Accès refusé.",
    404: "Ressource introuvable.",
    405: "Méthode non permise sur cette adresse.",
    422: "Données invalides.",
    500: "Erreur interne du serveur : l'incident est journalisé.",
}
DESCRIPTIONS = {
    400: "Requête mal formée (corps illisible)",
    401: "Connexion requise",
    403: "Accès refusé",
    404: "Introuvable",
    422: "Données invalides (un message par champ)",
}


def _field(loc) -> str:
    # ("query", "limit") -> "limit"; ("body", "payload", "titre") -> "titre"
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "payload")]
    return ".".join(parts) or ".".join(str(p) for p in loc)


def _french(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "ce champ est obligatoire"
    if kind == "string_too_short":
        return "ce champ est obligatoire" if ctx.get("min_length") == 1 else "texte trop court"
    if kind == "string_too_long":
        return f"{ctx.get('max_length')} caractères au plus"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "nombre entier attendu"
    if kind in ("greater_than_equal", "greater_than"):
        return f"valeur trop petite (minimum {ctx.get('ge', ctx.get('gt'))})"
    if kind in ("less_than_equal", "less_than"):
        return f"valeur trop grande (maximum {ctx.get('le', ctx.get('lt'))})"
    if kind.startswith("date"):
        return "date invalide (format attendu AAAA-MM-JJ)"
    if kind == "enum":
        return f"valeur inconnue (valeurs admises : {ctx.get('expected', '')})"
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", ""))
    return str(error.get("msg", "valeur invalide"))


def validation_body(errors: list[dict]) -> dict:
    items = [{"champ": _field(e.get("loc", ())), "message": _french(e)} for e in errors]
    summary = "; ".join(f"{i['champ']} : {i['message']}" for i in items[:5])
    return {"detail": f"{MESSAGES[422]} {summary}".strip(), "erreurs": items}


def json_error(status: int, detail: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"detail": detail or MESSAGES.get(status, "Erreur.")},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def install(api: NinjaAPI) -> None:
    """JSON handlers for every error the API can raise."""

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, validation_body(exc.errors), status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": MESSAGES[401]}, status=401)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        detail = str(exc)
        if status == 400 and "parse" in detail.lower():
            detail = "Corps de requête illisible : du JSON est attendu."
        elif status == 403 and "csrf" in detail.lower():
            detail = "Vérification CSRF échouée : envoyez le jeton CSRF (en-tête X-CSRFToken)."
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or MESSAGES[404]}, status=404)

    @api.exception_handler(BadRequest)
    def _bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        errors = getattr(exc, "errors", None)
        if errors:  # the rules of pvd.projects.validation: an invalid input
            items = [{"champ": k, "message": v} for k, v in errors.items()]
            body = {"detail": f"{MESSAGES[422]} {exc}", "erreurs": items}
            return api.create_response(request, body, status=422)
        return api.create_response(request, {"detail": MESSAGES[400]}, status=400)

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Erreur interne sur %s", request.path, exc_info=exc)
        return api.create_response(request, {"detail": MESSAGES[500]}, status=500)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def document_errors(schema: dict) -> dict:
    """Add the error answers each operation can give to an OpenAPI ``schema`` (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.json_schema()
    validation = ValidationErrorOut.json_schema()
    components.update(validation.pop("$defs", {}))
    components["ValidationErrorOut"] = validation
    for item in schema.get("paths", {}).values():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = op.get("parameters", [])
            statuses = {400: bool(op.get("requestBody"))}
            statuses[422] = bool(params or op.get("requestBody"))
            statuses[401] = statuses[403] = bool(op.get("security"))
            # A path or a query parameter can name what does not exist (scenario, region), and
            # a resource can be missing altogether (no learned model yet).
            statuses[404] = True
            responses = op.setdefault("responses", {})
            for status, needed in statuses.items():
                if not needed:
                    continue
                body = _ref("ValidationErrorOut" if status == 422 else "ErrorOut")
                responses[str(status)] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": body}},
                }
    return schema


class PvdAPI(NinjaAPI):
    """The API with its errors in JSON and documented (see the module's docstring)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


class ApiJsonErrorsMiddleware:
    """Under ``/api/``, error answers that Django or ninja would give as HTML or plain text
    (unknown path 404, wrong method 405, an exception outside the API's handlers 500) become
    the API's JSON errors."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        replaced = json_error(response.status_code)
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not request.path.startswith("/api/") or isinstance(exc, Http404):
            return None
        logger.error("Erreur interne sur %s", request.path, exc_info=exc)
        return json_error(500)

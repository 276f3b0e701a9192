"""The 400 page: a request Django refuses (``BadRequest``, e.g. a filter ``?priorite=abc`` or a
form value that names nothing) says why in French instead of failing with a 500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Only the platform's own messages (InvalidInput) are shown; Django's are technical.
    message = ""
    if exception is not None and getattr(exception, "errors", None):
        message = (
            "Valeur refusée : " + "; ".join(f"{k} : {v}" for k, v in exception.errors.items()) + "."
        )
    try:
        body = render_to_string("400.html", {"message": message}, request=request)
    except Exception:  # a broken request must never turn into a 500 while saying so
        body = "<h1>Requête invalide</h1>"
    return HttpResponseBadRequest(body)

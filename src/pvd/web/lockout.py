"""Login throttling (django-axes): who the client is, and what a locked-out login shows.

After ``AXES_FAILURE_LIMIT`` failed logins of one account from one address, that account is
refused from that address for ``AXES_COOLOFF_TIME``, even with the right password. The site's
login page and the admin's show the same French message in their own form (status 429), never
a bare error page.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def _minutes(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def lockout_message() -> str:
    return (
        f"Connexion bloquée : {settings.AXES_FAILURE_LIMIT} tentatives ont échoué pour cet "
        f"identifiant depuis votre adresse. Réessayez dans {_minutes(settings.AXES_COOLOFF_TIME)} "
        "(ou demandez à un administrateur de débloquer le compte)."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The login page that was answered (site or admin), its form showing only the lockout
    message, with status 429; plain text with the same message for anything else."""
    status = 429
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None:
        form.errors.clear()  # not "wrong password": the password was not even checked
        form.add_error(None, lockout_message())
        page = TemplateResponse(request, original_response.template_name, context, status=status)
        return page.render()  # the middlewares before this one read its content
    return HttpResponse(lockout_message(), status=status, content_type="text/plain; charset=utf-8")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind the HTTPS reverse proxy (``PVD_BEHIND_HTTPS_PROXY``), the
    last X-Forwarded-For entry, the one the proxy appended (earlier ones come from the client
    and can be forged); otherwise the connection's address."""
    if getattr(settings, "BEHIND_HTTPS_PROXY", False):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")

"""The weekly digest's signed opt-out link: a GET shows the member's state and a button (mail
scanners prefetch links, so a GET changes nothing); a POST unsubscribes, also the mail clients'
one-click POST (RFC 8058, ``List-Unsubscribe=One-Click``, no CSRF token: the signed link is the
proof); the button « Me réabonner » (``action=reabonner``) is the way back in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from pvd.network import digest_optout
from pvd.programme.audit import Actor


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def desabonnement(request: HttpRequest, token: str) -> HttpResponse:
    user = digest_optout.user_of(token)
    context = {"token": token, "breadcrumb_data": {"current": "Lettre du réseau"}}
    if user is None:
        context["invalid"] = True
        return render(request, "network/lettre_desabonnement.html", context, status=400)
    changed = False
    if request.method == "POST":
        resubscribe = request.POST.get("action") == "reabonner"
        changed = digest_optout.subscription_set(
            actor=Actor("lien", user), user=user, subscribed=resubscribe
        )
    context |= {
        "member": user,
        "subscribed": digest_optout.subscribed(user),
        "changed": changed,
        "posted": request.method == "POST",
    }
    response = render(request, "network/lettre_desabonnement.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response

"""Opting out of the weekly digest (and back in) without logging in: every digest carries a
signed link (:mod:`django.core.signing`, salted, valid ``MAX_AGE``) naming its member. Its page
asks to confirm with a button (mail scanners prefetch links: a GET changes nothing); the mail
clients' one-click unsubscribe (RFC 8058) POSTs to the same address. The member may also set it
on « Mon profil réseau ». Every change is audited (the one audit trail).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse

from pvd.network.directory import profile_audit
from pvd.network.models import ProfilReseau
from pvd.programme import audit

SALT = "pvd.network.digest.unsubscribe"
# Long enough for an old digest's link to work, bounded so that a leaked one expires.
MAX_AGE = timedelta(days=180)


def token_for(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=SALT, compress=True)


def unsubscribe_url(user_id: int) -> str:
    path = reverse("network:lettre_desabonnement", args=[token_for(user_id)])
    return f"{settings.SITE_URL}{path}"


def user_of(token: str):
    """The active user a link names; None when it is tampered with, expired or her account gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    uid = data.get("u") if isinstance(data, dict) else None
    if not isinstance(uid, int):
        return None
    return get_user_model().objects.filter(pk=uid, is_active=True).first()


def subscribed(user) -> bool:
    return ProfilReseau.objects.filter(user=user, lettre_hebdo=False).first() is None


def subscription_set(*, actor: audit.Actor, user, subscribed: bool) -> bool:
    """Set whether ``user`` receives the digest; True when it changed (audited)."""
    with transaction.atomic():
        profil = ProfilReseau.objects.select_for_update().filter(user=user).first()
        created = profil is None
        if (profil.lettre_hebdo if profil else True) == subscribed:  # no profile: subscribed
            return False
        profil = profil or ProfilReseau.objects.create(user=user)
        before, profil.lettre_hebdo = profil.lettre_hebdo, subscribed
        profil.save(update_fields=["lettre_hebdo", "updated_at"])
        profile_audit(
            actor, profil, created=created, changes={"lettre_hebdo": (before, subscribed)}
        )
    return True

"""HTTP validators (ETag) of the pages that only change with the data (issue 17).

A visitor without a session nor pending messages gets, on the portrait, the commune page, the
home page and the dashboards, an ETag made of the data version (pvd.caching), the day (the
dashboards' delays count days) and the full path: a browser or a proxy asking again with
``If-None-Match`` gets ``304 Not Modified`` until an import, a build or an edit replaces the
version. Readers with a session (logged in, or holding messages) never get one: their pages
carry their own content (project links, logout form and its CSRF token, messages).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.http import condition

from pvd import caching

MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage


def data_etag(request: HttpRequest, *args, **kwargs) -> str | None:
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES:
        return None
    version = caching.data_version()
    if version == caching.UNCACHED:  # no shared version to tell a change by
        return None
    token = f"{version}|{timezone.localdate().isoformat()}|{request.get_full_path()}"
    return hashlib.sha256(token.encode()).hexdigest()[:32]


# The decorator of those pages' views.
data_page = condition(etag_func=data_etag)

"""The platform's middleware: one structured log line per request (method, path, status,
duration, size); Django's messages created lazily; django-csp's policy built once per process.

The request log is written at INFO on the ``pvd.requests`` logger, as key=value pairs (values
with spaces or quotes are quoted), e.g. ``method=GET path=/sante/ status=200 duration_ms=1.8
bytes=52``; the request runs inside ``pvd.caching.one_version()`` (the data version read once).
"""

from __future__ import annotations

import http.client
import logging
import time

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty

from pvd.caching import one_version

logger = logging.getLogger("pvd.requests")


def _value(raw: str) -> str:
    if raw and not any(c in raw for c in ' "=\\') and raw.isprintable():
        return raw
    escaped = raw.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in escaped) + '"'


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        with one_version():  # the data version read once per request (pvd.caching)
            response = self.get_response(request)
        duration = (time.perf_counter() - start) * 1000
        size = "" if response.streaming else str(len(response.content))
        path = request.path
        if request.META.get("QUERY_STRING"):
            path += "?" + request.META["QUERY_STRING"]
        logger.info(
            "method=%s path=%s status=%d duration_ms=%.1f bytes=%s",
            _value(request.method or ""),
            _value(path[:500]),
            response.status_code,
            duration,
            size or "-",
        )
        return response


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's messages, their storage created when a view or template first uses it: most
    requests (the API, anonymous pages without a message) never read nor add one, and building
    the cookie and session storages cost about 0.03 ms a request. Unread and unchanged, the
    storage has nothing to write, so skipping its ``update`` answers the same."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        stored = getattr(request, "_messages", None)
        if isinstance(stored, SimpleLazyObject) and stored._wrapped is empty:
            return response  # never used: nothing was read nor added
        return super().process_response(request, response)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware with the policy built once per process: the header depends on the
    settings and the request's nonce only (unless a view set its own policy with csp's
    decorators), so it is built once with a placeholder nonce, which each response replaces
    (building it on every response cost about 0.09 ms, a tenth of an API request)."""

    _built: dict[bool, tuple[str, str]] = {}

    def process_response(self, request, response):
        debug_page = response.status_code in (
            http.client.INTERNAL_SERVER_ERROR,
            http.client.NOT_FOUND,
        )
        if debug_page and settings.DEBUG:
            return response  # as django-csp: Django's debug pages keep their inline scripts
        if any(
            getattr(response, f"_csp_{kind}{ro}", None) is not None
            for kind in ("config", "update", "replace")
            for ro in ("", "_ro")
        ):
            return super().process_response(request, response)  # a view's own policy
        nonce = getattr(request, "_csp_nonce", None)
        policy, policy_ro = self._policies(nonce is not None)
        if nonce is not None:
            policy = policy.replace(_NONCE_PLACEHOLDER, nonce)
            policy_ro = policy_ro.replace(_NONCE_PLACEHOLDER, nonce)
        _set_header(request, response, HEADER, policy, "", "CONTENT_SECURITY_POLICY")
        _set_header(
            request, response, HEADER_REPORT_ONLY, policy_ro, "_ro",
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
        )  # fmt: skip
        if nonce is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @classmethod
    def _policies(cls, with_nonce: bool) -> tuple[str, str]:
        built = cls._built.get(with_nonce)
        if built is None:
            nonce = _NONCE_PLACEHOLDER if with_nonce else None
            built = (build_policy(nonce=nonce), build_policy(nonce=nonce, report_only=True))
            cls._built[with_nonce] = built
        return built


_NONCE_PLACEHOLDER = "pvd-csp-nonce-placeholder"


def _set_header(request, response, header: str, value: str, ro: str, setting: str) -> None:
    """As django-csp does: unless empty, already set, exempted, or under an excluded prefix."""
    if not value or header in response or getattr(response, f"_csp_exempt{ro}", False):
        return
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    if not request.path_info.startswith(tuple(prefixes)):
        response[header] = value


@receiver(setting_changed)
def _policy_settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        CSPMiddleware._built.clear()

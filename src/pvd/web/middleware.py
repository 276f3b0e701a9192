"""One structured log line per request: method, path, status, duration, size.

Logged at INFO on the ``pvd.requests`` logger, as key=value pairs (values with spaces or quotes
are quoted), e.g. ``method=GET path=/sante/ status=200 duration_ms=1.8 bytes=52``.
"""

from __future__ import annotations

import logging
import time

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

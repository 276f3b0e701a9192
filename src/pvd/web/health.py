"""`/sante/`: is this worker able to serve? Cheap (one `SELECT 1`), no session, no auth.

200 {"status": "ok", "database": "ok", ...} or 503 with the reason when the database does not
answer. The exception itself (which may name hosts or users) goes to the log, not the answer.
"""

from __future__ import annotations

import logging
import time
from importlib.metadata import PackageNotFoundError, version

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("pvd.health")

try:
    VERSION = version("pvd")
except PackageNotFoundError:  # running from a source tree that was not installed
    VERSION = "inconnue"


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure of the database is the answer, not a 500
        logger.error("health check: database unreachable", exc_info=True)
        return JsonResponse(
            {
                "status": "erreur",
                "database": "erreur",
                "reason": f"base de données injoignable ({type(exc).__name__})",
                "version": VERSION,
            },
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "database_engine": connection.vendor,
            "database_ms": round((time.perf_counter() - start) * 1000, 1),
            "version": VERSION,
        }
    )

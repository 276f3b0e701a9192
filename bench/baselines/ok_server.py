"""Baseline of bench/load.py (issue 17): the same gunicorn setup as `pvd serve` (worker class,
count, keep-alive, timeouts from pvd.config.serving) in front of a bare Django application: one
view answering "ok", no middleware, no database, no template.

    python bench/baselines/ok_server.py --port 8022 &
    python bench/load.py --url http://127.0.0.1:8022 --mix ok
"""

from __future__ import annotations

import argparse
import os
import sys

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8022)
    args = parser.parse_args()
    sys.modules.setdefault("ok_server", sys.modules[__name__])
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF="ok_server",
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()
    from django.core.wsgi import get_wsgi_application

    from pvd.config import serving

    workers = serving.worker_count(serving.available_cores(), os.environ.get("PVD_WORKERS"))
    options = serving.gunicorn_options("127.0.0.1", args.port, workers)
    options["post_worker_init"] = lambda worker: None  # nothing to warm
    serving.run_gunicorn(get_wsgi_application(), options)


if __name__ == "__main__":
    main()

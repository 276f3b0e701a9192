"""`pvd serve` really serves: gunicorn in a subprocess, against a temporary data directory
holding a copy of the test database (the referential loaded), answers the home page, the
health check and a static file with its compression and cache headers, logs each request,
then stops on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db
STARTUP_TIMEOUT = 240  # first start collects the static files (15-45 s on a busy 2-core machine)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def database_for(data_dir: Path) -> dict:
    """The test database, seen by the server: a file copy on SQLite, the same one on PostgreSQL."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(data_dir / "pvd.sqlite3")
        connection.connection.backup(target)
        target.close()
        return {}
    s = connection.settings_dict
    user, password = quote(s["USER"] or "", safe=""), quote(s["PASSWORD"] or "", safe="")
    return {
        "DATABASE_URL": f"postgres://{user}:{password}@{s['HOST'] or 'localhost'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    }


def test_pvd_serve_runs_gunicorn_with_static_files_health_and_logs(tmp_path, fresh_env):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = fresh_env(data_dir, PVD_WORKERS="2", **database_for(data_dir))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "stderr.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", "from pvd.cli import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "stderr.log").read_text()
            try:
                status, headers, body = get(f"{base}/sante/")
                break
            except OSError:
                assert time.monotonic() < deadline, "pvd serve did not answer in time"
                time.sleep(0.5)
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert json.loads(body)["database"] == "ok"

        status, headers, body = get(f"{base}/")
        assert status == 200
        html = body.decode()
        assert "Petites villes de demain" in html
        # Static files under hashed names, compressed, cached for good.
        css = re.search(r'href="(/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css)"', html)
        assert css, "the DSFR stylesheet is not linked under a hashed name"
        status, headers, body = get(base + css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert "max-age=315360000" in headers["Cache-Control"]
        assert get(f"{base}/communes/00000/")[0] == 404
        # Pages that compute with polars answer in a worker: nothing computed in the master
        # before the fork (polars' thread pool does not survive it; a worker would hang).
        assert get(f"{base}/selection/resultats/?departement=48")[0] == 200
        assert get(f"{base}/communes/48140/portrait/")[0] == 200
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    output = (tmp_path / "stderr.log").read_text()
    assert "2 processus gunicorn" in output
    assert "method=GET path=/sante/ status=200 duration_ms=" in output
    assert "method=GET path=/ status=200 " in output
    assert "path=/communes/00000/ status=404 " in output
    key = data_dir / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (data_dir / "static" / "staticfiles.json").exists()

"""Production defaults: debug off, a generated secret key kept 0600, `check --deploy` clean,
the health check and the request log line."""

from __future__ import annotations

import json
import logging
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from pvd.config.secret import load_or_create_secret_key
from pvd.config.serving import worker_count

PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "pvd.config.settings"
import django
django.setup()
from django.conf import settings
from django.test import Client
r = Client().get("/sante/")
home = Client(raise_request_exception=False).get("/static/web/pvd.css")
print(json.dumps({"debug": settings.DEBUG, "key": settings.SECRET_KEY,
                  "dev_key": settings.DEVELOPMENT_SECRET_KEY,
                  "health_status": r.status_code, "health": r.json(),
                  "page_status": home.status_code, "location": home.get("Location", "")}))
"""


def probe(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_secret_key_generated_owner_only_and_reused(tmp_path):
    key = load_or_create_secret_key(tmp_path)
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 50 and not key.startswith("django-insecure")
    assert load_or_create_secret_key(tmp_path) == key  # kept across starts
    path.chmod(0o644)  # a restored copy readable by others is made owner-only again
    assert load_or_create_secret_key(tmp_path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_short_secret_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="shorter than 50"):
        load_or_create_secret_key(tmp_path)


def test_fresh_start_has_debug_off_and_never_the_development_key(tmp_path, fresh_env):
    first = probe(fresh_env(tmp_path))
    assert first["debug"] is False
    assert first["page_status"] == 200  # plain HTTP served as is without the proxy setting
    assert first["key"] != first["dev_key"]
    assert (tmp_path / "secret_key").read_text().strip() == first["key"]
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert probe(fresh_env(tmp_path))["key"] == first["key"]  # the same key on the next start
    # An explicit key wins; debug on (pvd serve --dev) uses the development key.
    assert probe(fresh_env(tmp_path, PVD_SECRET_KEY="k" * 60))["key"] == "k" * 60
    # Behind an HTTPS proxy: plain HTTP is redirected, except the health check.
    proxied = probe(fresh_env(tmp_path, PVD_BEHIND_HTTPS_PROXY="1"))
    assert proxied["page_status"] == 301
    assert proxied["location"] == "https://testserver/static/web/pvd.css"
    assert proxied["health_status"] == 200
    dev = probe(fresh_env(tmp_path / "dev", PVD_DEBUG="1"))
    assert dev["debug"] is True and dev["key"] == dev["dev_key"]
    assert not (tmp_path / "dev" / "secret_key").exists()


def test_health_answers_503_with_the_reason_when_the_database_is_unreachable(tmp_path, fresh_env):
    broken = f"sqlite:///{tmp_path / 'no-such-dir' / 'pvd.sqlite3'}"
    answer = probe(fresh_env(tmp_path, DATABASE_URL=broken))
    assert answer["health_status"] == 503
    assert answer["health"]["status"] == "erreur"
    assert answer["health"]["database"] == "erreur"
    assert "OperationalError" in answer["health"]["reason"]
    assert "no-such-dir" not in json.dumps(answer["health"])  # details go to the log only


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path, fresh_env):
    env = fresh_env(
        tmp_path,
        PVD_ALLOWED_HOSTS="pvd.example.fr",
        PVD_CSRF_TRUSTED_ORIGINS="https://pvd.example.fr",
        PVD_BEHIND_HTTPS_PROXY="1",
    )
    out = subprocess.run(
        [sys.executable, "-c", "from pvd.cli import main; main()", "manage", "check", "--deploy",
         "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout
    # Without the HTTPS proxy settings the same check names what is missing.
    env.pop("PVD_BEHIND_HTTPS_PROXY")
    out = subprocess.run(
        [sys.executable, "-c", "from pvd.cli import main; main()", "manage", "check", "--deploy"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "security.W004" in out.stdout + out.stderr  # HSTS
    assert "security.W012" in out.stdout + out.stderr  # Secure session cookie


@pytest.mark.parametrize(
    ("cores", "setting", "workers"), [(1, None, 2), (2, None, 3), (16, None, 8), (2, "3", 3)]
)
def test_worker_count_follows_the_cores_capped_and_overridable(cores, setting, workers):
    assert worker_count(cores, setting) == workers


@pytest.mark.parametrize("bad", ["0", "-1", "deux"])
def test_worker_count_refuses_a_bad_setting(bad):
    with pytest.raises(ImproperlyConfigured, match="PVD_WORKERS"):
        worker_count(2, bad)


@pytest.mark.django_db
def test_health_is_cheap_without_session_or_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["database_engine"] in ("sqlite", "postgresql")
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert client.post("/sante/").status_code == 405


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.mark.django_db
def test_one_key_value_log_line_per_request(client):
    handler = Collect()
    logger = logging.getLogger("pvd.requests")
    logger.addHandler(handler)
    try:
        client.get("/sante/")
        client.get("/communes/00000/?x=a b")
    finally:
        logger.removeHandler(handler)
    assert len(handler.lines) == 2
    ok, missing = handler.lines
    assert ok.startswith("method=GET path=/sante/ status=200 duration_ms=")
    assert float(ok.split("duration_ms=")[1].split()[0]) >= 0
    assert 'path="/communes/00000/?x=a b"' in missing  # quoted: one value, one line
    assert " status=404 " in missing


PRODUCTION_PROBE = """
import json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "pvd.config.settings"
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
r = Client().get("/programme/connexion/", secure=True, HTTP_HOST="pvd.example.fr")
print(json.dumps({"status": r.status_code, "csp": r.get("Content-Security-Policy", ""),
                  "backends": settings.AUTHENTICATION_BACKENDS,
                  "middleware": settings.MIDDLEWARE, "limit": settings.AXES_FAILURE_LIMIT,
                  "cooloff": settings.AXES_COOLOFF_TIME.total_seconds()}))
"""


def _directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources}."""
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())


def test_production_settings_throttle_logins_and_send_the_policy(tmp_path, fresh_env):
    """With the README's production settings (and tiles): axes guards every login (its checks
    run in `check --deploy` above), and pages carry the CSP with the tiles' host only then."""
    tiles = "https://data.geopf.fr/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    base = {
        "PVD_ALLOWED_HOSTS": "pvd.example.fr",
        "PVD_CSRF_TRUSTED_ORIGINS": "https://pvd.example.fr",
        "PVD_BEHIND_HTTPS_PROXY": "1",
    }
    runs = {}
    for name, extra in (
        ("plain", {}),
        ("tiles", {"PVD_MAP_TILES": tiles, "PVD_MAP_TILES_ATTRIBUTION": "IGN-F / Géoplateforme"}),
        ("tuned", {"PVD_LOGIN_FAILURE_LIMIT": "3", "PVD_LOGIN_COOLOFF_MINUTES": "60"}),
    ):
        env = fresh_env(tmp_path / name, **base, **extra)
        out = subprocess.run(
            [sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True,
            timeout=180,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        runs[name] = json.loads(out.stdout.strip().splitlines()[-1])
    plain = runs["plain"]
    assert plain["status"] == 200
    assert plain["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert plain["middleware"][-3:] == [
        "pvd.web.middleware.CSPMiddleware",  # django-csp's, its policy built once
        "pvd.api.errors.ApiJsonErrorsMiddleware",  # JSON errors under /api/ (issue 18)
        "axes.middleware.AxesMiddleware",  # last, as axes documents
    ]
    assert (plain["limit"], plain["cooloff"]) == (5, 900)
    # django-csp joins the directives in a set's order: compare them by name, not by position.
    plain_csp, tiles_csp = _directives(plain["csp"]), _directives(runs["tiles"]["csp"])
    assert plain_csp["img-src"] == "'self' data:" and plain_csp["frame-ancestors"] == "'none'"
    assert tiles_csp["img-src"] == "'self' data: https://data.geopf.fr"
    assert (runs["tuned"]["limit"], runs["tuned"]["cooloff"]) == (3, 3600)


@pytest.mark.parametrize("name", ["PVD_LOGIN_FAILURE_LIMIT", "PVD_LOGIN_COOLOFF_MINUTES"])
def test_invalid_throttling_settings_stop_the_start(tmp_path, fresh_env, name):
    env = fresh_env(tmp_path, **{name: "0"})
    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = "
         "'pvd.config.settings'; django.setup()"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode != 0 and name in out.stderr

"""Settings: every value read from the environment once, here, with its default and help.

Unknown or invalid configuration fails at start with a message naming the variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent


def _env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default).expanduser().resolve()


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off")


# name -> help text; `pvd config` prints them with their current values.
SETTINGS_HELP = {
    "PVD_DATA_DIR": "Data directory: SQLite database, download cache (default: ./var).",
    "DATABASE_URL": "Database URL; sqlite:///path or postgres://user:pass@host:port/name "
    "(default: SQLite file in PVD_DATA_DIR).",
    "PVD_SHARED_DATA": "Folder of shared open-data files for tests and benchmarks "
    "(default: ../shared/data next to the repository).",
    "PVD_DEBUG": "Django debug mode (default: off; `pvd serve --dev` turns it on).",
    "PVD_SECRET_KEY": "Secret key for sessions and CSRF (default: with debug off, a key "
    "generated on first start and kept owner-only in PVD_DATA_DIR/secret_key; with debug on, a "
    "development key).",
    "PVD_ALLOWED_HOSTS": "Comma-separated host names served (default: 127.0.0.1,localhost).",
    "PVD_CSRF_TRUSTED_ORIGINS": "Comma-separated origins trusted for form posts, e.g. "
    "https://pvd.example.fr (default: none; needed behind an HTTPS reverse proxy).",
    "PVD_BEHIND_HTTPS_PROXY": "Served over HTTPS by a reverse proxy that sets "
    "X-Forwarded-Proto: trust that header, redirect HTTP to HTTPS, Secure cookies, HSTS "
    "(default: off).",
    "PVD_HSTS_SECONDS": "HSTS max-age when PVD_BEHIND_HTTPS_PROXY is on (default: 31536000, "
    "one year; 0 disables HSTS).",
    "PVD_WORKERS": "Number of gunicorn worker processes of `pvd serve` (default: cores + 1, "
    "at most 8).",
    "PVD_THREADS": "Threads of each `pvd serve` worker, 1 to 64 (default: 4; 1: single-threaded "
    "sync workers, no keep-alive).",
    "PVD_MAP_TILES": "Background tiles of the location maps, a Leaflet URL template such as "
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER="
    "GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x} (default: none: the maps draw the imported "
    "contours only, offline, and the browser calls no third party).",
    "PVD_MAP_TILES_ATTRIBUTION": "Attribution shown under the tiles (required with "
    "PVD_MAP_TILES, e.g. « IGN-F / Géoplateforme »).",
    "PVD_OPERATOR": "Who runs this instance, named in the legal notice, personal-data and "
    "accessibility pages, e.g. « l'Agence nationale de la cohésion des territoires » (default: a "
    "neutral wording).",
    "PVD_CONTACT": "Contact e-mail of the operator on those pages (default: none; the pages say "
    "it is not set).",
    "PVD_LOGIN_FAILURE_LIMIT": "Failed logins of one account from one address (site and admin) "
    "after which that account is locked for that address (default: 5).",
    "PVD_LOGIN_COOLOFF_MINUTES": "How long such a lock lasts, in minutes (default: 15).",
    "PVD_CACHE": "Shared cache of pages and computed data: disk (default: a folder in "
    "PVD_DATA_DIR read by every server worker and command, emptied of stale entries by the "
    "imports), memory (one process only) or none (nothing kept, not even in a process: every "
    "page and index is computed again; for debugging).",
}

DATA_DIR = _env_path("PVD_DATA_DIR", Path.cwd() / "var")
SHARED_DATA_DIR = _env_path("PVD_SHARED_DATA", REPO_DIR.parent / "shared" / "data")
CACHE_DIR = DATA_DIR / "cache"
SNAPSHOT_DIR = PACKAGE_DIR / "data" / "snapshot"

DEBUG = _env_bool("PVD_DEBUG", False)
DEVELOPMENT_SECRET_KEY = "pvd-development-key-not-for-production"
if os.environ.get("PVD_SECRET_KEY"):
    SECRET_KEY = os.environ["PVD_SECRET_KEY"]
elif DEBUG:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
else:  # never the development key with debug off: one generated and kept in the data dir
    from pvd.config.secret import load_or_create_secret_key

    SECRET_KEY = load_or_create_secret_key(DATA_DIR)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("PVD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PVD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"PVD_CSRF_TRUSTED_ORIGINS: {_origin!r} is not an origin such as https://pvd.example.fr"
        )

# Behind an HTTPS reverse proxy (see README, "Deployment"): the proxy says the request was
# HTTPS; cookies are Secure, plain HTTP is redirected (except the health check), HSTS is sent.
BEHIND_HTTPS_PROXY = _env_bool("PVD_BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    try:
        SECURE_HSTS_SECONDS = int(os.environ.get("PVD_HSTS_SECONDS") or 31536000)
    except ValueError as exc:
        raise ImproperlyConfigured("PVD_HSTS_SECONDS: expected a number of seconds") from exc
# includeSubDomains and preload commit every sub-domain of the operator's domain (and its
# entry in the browsers' preload lists): the operator's decision, not this application's.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

PVD_OPERATOR = os.environ.get("PVD_OPERATOR", "").strip()
PVD_CONTACT = os.environ.get("PVD_CONTACT", "").strip()
if PVD_CONTACT and "@" not in PVD_CONTACT:
    raise ImproperlyConfigured(f"PVD_CONTACT={PVD_CONTACT!r}: expected an e-mail address")

MAP_TILES = os.environ.get("PVD_MAP_TILES", "").strip()
MAP_TILES_ATTRIBUTION = os.environ.get("PVD_MAP_TILES_ATTRIBUTION", "").strip()
if MAP_TILES and not (MAP_TILES.startswith("https://") and "{z}" in MAP_TILES):
    raise ImproperlyConfigured(
        f"PVD_MAP_TILES={MAP_TILES!r}: expected an https:// URL template with {{z}}, {{x}}, {{y}}"
    )
if MAP_TILES and not MAP_TILES_ATTRIBUTION:
    raise ImproperlyConfigured(
        "PVD_MAP_TILES_ATTRIBUTION: required with PVD_MAP_TILES (the tiles' licence asks for it)"
    )

# One shared cache (pvd.caching): every key carries the data version, which the imports change.
_cache_kind = os.environ.get("PVD_CACHE", "disk")
_CACHE_BACKENDS = {
    "disk": {
        "BACKEND": "pvd.caching.DiskCache",  # diskcache, kept open between requests
        "LOCATION": str(DATA_DIR / "cache-pvd"),
        "TIMEOUT": None,
        "SHARDS": 1,
        "OPTIONS": {"size_limit": 512 * 2**20},
    },
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": None,
               "OPTIONS": {"MAX_ENTRIES": 20000}},
    "none": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
if _cache_kind not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"PVD_CACHE={_cache_kind!r}: expected disk, memory or none")
CACHES = {"default": _CACHE_BACKENDS[_cache_kind]}

_database_url = os.environ.get("DATABASE_URL")
if not _database_url:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{DATA_DIR / 'pvd.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except Exception as exc:  # dj_database_url raises several types for a bad URL
    raise ImproperlyConfigured(
        f"DATABASE_URL={_database_url!r} is not a valid database URL: {exc}"
    ) from exc
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL: only sqlite:// and postgres:// are supported")
# Each server worker (and thread) keeps its connection between requests (opening one costs
# about 1 ms of the 2 ms of a cheap request on SQLite), checked before reuse after an error.
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers (the server's workers) never wait for a writer (an import) nor block it;
    # synchronous=NORMAL is durable in WAL mode except for the last commits on a power loss.
    # A writer waits up to 20 s for another one (busy timeout) instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "widget_tweaks",
    "ninja",  # serves its Swagger UI assets locally (no CDN)
    "dsfr",
    "pvd.web",
    "pvd.territories",
    "pvd.diagnostics",
    "pvd.programme",
    "pvd.selection",
    "pvd.projects",
    "pvd.network",
    "pvd.outcomes",
]

MIDDLEWARE = [
    "pvd.web.middleware.RequestLogMiddleware",  # first: times and logs every request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pvd.web.middleware.MessageMiddleware",  # Django's, its storage made on first use
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pvd.config.urls"
WSGI_APPLICATION = "pvd.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pvd.web.context_processors.site_config",  # dsfr's, cached
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start when it is absent
# `pvd serve` collects hashed, compressed copies into STATIC_ROOT (served with an immutable,
# far-future cache header); before that, URLs stay unhashed and the finders serve the apps'
# files (tests, `pvd serve --dev`). See pvd/config/staticfiles.py.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "pvd.config.staticfiles.StaticStorage"},
}
WHITENOISE_USE_FINDERS = True
# django-dsfr writes Subresource Integrity hashes of its distributed CSS/JS; the collected copies
# have their url() references rewritten to hashed names, so those hashes no longer match and
# Chromium refuses the style sheets (every page served by `pvd serve` unstyled). The files come
# from this same origin under content-hashed names: SRI adds nothing here.
DSFR_USE_INTEGRITY_CHECKSUMS = False
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Everything on stderr. One key=value line per request (pvd.web.middleware), errors with their
# traceback (Django's django.request logger, through the root logger).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "keyvalue": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "keyvalue"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "pvd.requests": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# --- Login throttling (django-axes) and Content Security Policy (django-csp) ---------------------
# Appended as one block: the lists above stay as they are.


def _env_positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number of at least 1")
    return int(raw)


INSTALLED_APPS += ["axes"]
# axes' backend first: it refuses a locked account+address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_positive_int("PVD_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_positive_int("PVD_LOGIN_COOLOFF_MINUTES", 15))
# One account from one address: a wrong guess elsewhere never locks the account's owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a successful login clears the account's failures
AXES_DISABLE_ACCESS_LOG = True  # keep failures only, no log of every successful login
AXES_LOCKOUT_CALLABLE = "pvd.web.lockout.lockout_response"  # the login page with a message
AXES_CLIENT_IP_CALLABLE = "pvd.web.lockout.client_ip"  # the proxy's X-Forwarded-For entry
AXES_VERBOSE = False
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes documents

# Content Security Policy: every script is a static file of this site (DSFR, Leaflet, ours), no
# inline script nor event handler; <style> elements need the page's nonce; style
# attributes stay allowed (maps, legends and the Gantt chart position elements with them, Leaflet
# sets them from its scripts). Images from this site, the data: URIs of the DSFR and Leaflet
# stylesheets, and the map tiles' host only when PVD_MAP_TILES is set. No framing, no <base>,
# forms post to this site only.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402


def _tiles_source(template: str) -> str:
    """The CSP source of a Leaflet URL template: its scheme and host, {s} sub-domains as *."""
    from urllib.parse import urlsplit

    return f"https://{urlsplit(template).netloc.replace('{s}', '*')}"


INSTALLED_APPS += ["csp"]
# Around axes' middleware, so that the lockout page it answers carries the policy too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "pvd.web.middleware.CSPMiddleware"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"] + ([_tiles_source(MAP_TILES)] if MAP_TILES else []),
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- E-mail: team invitations and steering reminders (`pvd projets rappels`) ----------------
SETTINGS_HELP.update(
    {
        "PVD_EMAIL_HOST": "SMTP server sending the e-mails (default: none, e-mails are written "
        "to the console, i.e. stderr).",
        "PVD_EMAIL_PORT": "SMTP port (default: 587).",
        "PVD_EMAIL_USER": "SMTP user name (default: none).",
        "PVD_EMAIL_PASSWORD": "SMTP password (default: none).",
        "PVD_EMAIL_TLS": "STARTTLS with the SMTP server (default: on).",
        "PVD_EMAIL_FROM": "Sender of the e-mails (default: pvd@localhost).",
        "PVD_EMAIL_SITE_URL": "Address of the site in the reminder e-mails' links "
        "(default: the address `pvd serve` listens on, else http://127.0.0.1:8000).",
        "PVD_REMINDERS": "Reminder e-mails of `pvd projets rappels` and `pvd network events "
        "remind`, and the weekly letter `pvd network digest` (default: on; 0 disables).",
    }
)
EMAIL_HOST = os.environ.get("PVD_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    try:
        EMAIL_PORT = int(os.environ.get("PVD_EMAIL_PORT") or 587)
    except ValueError as exc:
        raise ImproperlyConfigured("PVD_EMAIL_PORT: expected a port number") from exc
    EMAIL_HOST_USER = os.environ.get("PVD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PVD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("PVD_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("PVD_EMAIL_FROM", "").strip() or "pvd@localhost"
if "@" not in DEFAULT_FROM_EMAIL:
    raise ImproperlyConfigured(f"PVD_EMAIL_FROM={DEFAULT_FROM_EMAIL!r}: expected an e-mail address")
SITE_URL = (os.environ.get("PVD_EMAIL_SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"PVD_EMAIL_SITE_URL={SITE_URL!r}: expected an http(s):// address")
REMINDERS_ENABLED = _env_bool("PVD_REMINDERS", True)

# The API answers its errors in JSON under /api/, even those raised outside its views (issue 18);
# before axes' middleware, which stays last.
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "pvd.api.errors.ApiJsonErrorsMiddleware"
)

# `pvd serve`: one line per worker when its warm-up is done (pvd.config.serving.warm_up).
LOGGING["loggers"]["pvd.serve"] = {"handlers": ["console"], "level": "INFO", "propagate": False}

"""A fresh, migrated, empty database: the home page says the data is not loaded, shows no
figure (never 0), and still offers the search and the modules."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, os, re
os.environ["DJANGO_SETTINGS_MODULE"] = "pvd.config.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.test import Client
r = Client().get("/")
html = r.content.decode()
print(json.dumps({"status": r.status_code, "html": html}))
"""


def test_home_on_an_empty_database_says_the_data_is_not_loaded(tmp_path, fresh_env):
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["status"] == 200
    html = answer["html"]
    assert "Référentiel territorial non chargé" in html
    assert "pvd data load" not in html  # operator commands: staff only (issue 13)
    assert "pvd-kpi__value" not in html and "pvd-map" not in html
    assert 'for="home-search-input"' in html and 'href="/selection/"' in html

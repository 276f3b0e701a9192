"""`pvd config`: every setting (environment variable) with its help and its current value.

Read-only: reads the settings module, opens no database.
"""

from __future__ import annotations

import json
import os
import re

import click

SECRET = re.compile(r"SECRET|PASSWORD")
_URL_PASSWORD = re.compile(r"(//[^:/@]*:)[^@]*@")


def _shown(name: str, value: str | None) -> str | None:
    """The value as printed: secrets masked, a database URL without its password."""
    if value is None or value == "":
        return None
    if SECRET.search(name):
        return "********"
    return _URL_PASSWORD.sub(r"\1********@", value)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
def config(as_json: bool) -> None:
    """List the settings (environment variables): help text and current value."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    from django.conf import settings

    rows = [
        {"name": name, "value": _shown(name, os.environ.get(name)), "help": help_text}
        for name, help_text in settings.SETTINGS_HELP.items()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        value = row["value"] if row["value"] is not None else "(non défini : valeur par défaut)"
        click.echo(f"{row['name']} = {value}\n    {row['help']}")

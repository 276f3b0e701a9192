"""`pvd serve` and `pvd manage`: the two commands that run Django's own machinery."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pvd.cli.helpers import data_dir, fail, migrate, setup_django


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, shell...)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pvd manage", *args])


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--dev",
    is_flag=True,
    help="Django's development server with debug on (reloads nothing, never in production).",
)
def serve(host: str, port: int, dev: bool) -> None:
    """Migrate, load the embedded data if the database is empty, and serve (gunicorn)."""
    if dev:
        os.environ.setdefault("PVD_DEBUG", "1")
    # Links in e-mails and calendars point at the address served unless one is configured.
    os.environ.setdefault("PVD_EMAIL_SITE_URL", default_site_url(host, port))
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from pvd.config import serving

    try:  # a bad PVD_WORKERS stops the start at once, not after the data load
        workers = serving.worker_count(serving.available_cores(), os.environ.get("PVD_WORKERS"))
    except Exception as exc:
        fail(str(exc))
    migrate()
    _load_embedded_if_empty()
    if dev:
        click.echo(f"PVD (développement) sur http://{host}:{port}/ (Ctrl+C pour arrêter)", err=True)
        call_command("runserver", f"{host}:{port}", use_reloader=False)
        return

    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    from pvd.config.staticfiles import collect_if_needed

    if collect_if_needed(settings.STATIC_ROOT):
        click.echo(f"Fichiers statiques rassemblés dans {settings.STATIC_ROOT}.", err=True)
    application = get_wsgi_application()
    connections.close_all()  # the workers are forked: none inherits the master's connection
    serving.freeze_before_fork()
    click.echo(
        f"PVD sur http://{host}:{port}/ ({workers} processus gunicorn ; Ctrl+C pour arrêter)",
        err=True,
    )
    serving.run_gunicorn(application, serving.gunicorn_options(host, port, workers))


def default_site_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches the server at ("0.0.0.0" is no address)."""
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _load_embedded_if_empty() -> None:
    """On an empty database, load the embedded data (the one place `serve` loads data)."""
    from pvd.territories.models import Commune

    if not Commune.objects.exists():
        click.echo("Base vide : chargement des données embarquées...", err=True)
        # In a child process: the loader computes with polars, whose thread pool does not
        # survive a fork, and gunicorn's workers are forked from this process.
        import subprocess

        done = subprocess.run([_pvd_executable(), "data", "load", "--sans-modele"], check=False)
        if done.returncode != 0:
            fail("le chargement des données embarquées a échoué (voir ci-dessus).")
        _fit_in_background()


def _pvd_executable() -> str:
    return str(Path(sys.executable).with_name("pvd"))


def _fit_in_background() -> None:
    """Fit the learned selection model in a child process while the site starts: the first
    page does not wait for it (about 20 s), and /selection/appris/ shows it once stored."""
    import subprocess

    log = Path(data_dir()) / "selection-fit.log"
    command = [_pvd_executable(), "selection", "fit"]
    with open(log, "w") as out:
        subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
    click.echo(
        f"Modèle de sélection appris : ajustement en arrière-plan (environ 20 s ; journal {log}).",
        err=True,
    )



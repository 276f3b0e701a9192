"""`pvd network ...`: exports of the network (the public directory, the published practices).

Thin: parse arguments, call one export, write. Exit codes: 0 success, 1 failed operation,
2 bad usage.
"""

from __future__ import annotations

from pathlib import Path

import click

from pvd.cli.helpers import fail, setup_django


@click.group()
def network() -> None:
    """Réseau des villes : exports de l'annuaire et des fiches expériences."""


@network.command("export")
@click.argument("kind", type=click.Choice(["annuaire", "pratiques"]))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier à écrire (défaut : sortie standard).",
)
@click.option("--international", is_flag=True, help="CSV « , » et « . » décimal (scripts).")
def export(kind: str, fmt: str, output: Path | None, international: bool) -> None:
    """Exporte l'annuaire public (sans données personnelles) ou les fiches publiées."""
    setup_django()
    from pvd.network.exports import export as run

    try:
        body = run(kind, fmt, variant="international" if international else "fr")
    except Exception as exc:  # database missing or unreadable: a message, not a traceback
        fail(f"export impossible : {exc}")
    if output is None:
        click.echo(body.decode("utf-8-sig"), nl=False)
        return
    output.write_bytes(body)
    click.echo(f"{kind} ({fmt}) écrit dans {output} ({len(body)} octets).", err=True)

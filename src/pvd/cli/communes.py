"""`pvd communes ...`: find communes (read-only: no migration, no index build when the shared
cache holds the index of the current data)."""

from __future__ import annotations

import json
import sys

import click

from pvd.cli.helpers import database_errors, fail, setup_django
from pvd.domain.numbers import grouped


@click.group()
def communes() -> None:
    """Find communes."""


@communes.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 200))
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
def communes_search(query: str, limit: int, as_json: bool) -> None:
    """Search communes by name, INSEE code or postal code."""
    setup_django(read_only=True, apps=("pvd.territories",))  # the index reads this app only
    from pvd.territories.models import Commune
    from pvd.territories.selectors import communes_search as search

    with database_errors():
        if not Commune.objects.exists():
            fail("le référentiel est vide : lancez d'abord `pvd data load`.")
        hits = search(query=query, limit=limit)
    if as_json:
        click.echo(json.dumps([_hit_dict(h) for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("Aucune commune trouvée.", err=True)
        sys.exit(1)
    for h in hits:
        e = h.entry
        extra = f" — {e.type} de {e.parent_nom}" if e.parent_nom else ""
        pop = f"{grouped(e.population)} hab." if e.population else "—"
        click.echo(f"{e.code}\t{e.nom} ({e.departement}){extra}\t{pop}")


def _hit_dict(h) -> dict:
    e = h.entry
    return {
        "code": e.code,
        "type": e.type,
        "nom": e.nom,
        "departement": e.departement,
        "population": e.population,
        "parent": e.parent_code or None,
        "match": h.match,
    }



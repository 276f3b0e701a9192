"""`pvd outcomes ...`: compute the outcome analysis and print a scope in CSV or JSON.

Thin: parse arguments, call the service, shape with ``report``, print. Exit codes: 0 success,
1 failed operation, 2 bad usage."""

from __future__ import annotations

import csv
import io
import json

import click

from pvd.cli.helpers import database_errors, ensure_migrated, fail, setup_django

CSV_COLUMNS = [
    "perimetre", "libelle", "laureats", "comparables", "variation_laureats",
    "variation_comparables", "effet", "bas", "haut", "significatif", "effet_par_an", "lecture",
]  # fmt: skip


@click.group()
def outcomes() -> None:
    """Résultats des lauréats face à des villes comparables (appariement, double différence)."""


@outcomes.command("compute")
def compute() -> None:
    """Calcule l'analyse (appariement, écarts, intervalles, découpages) et la garde en cache
    pour les pages, l'API et `pvd outcomes show`."""
    setup_django()
    ensure_migrated()
    from pvd.outcomes import report, services

    c = services.outcomes_compute(fresh=True)
    report.store_summary(c)  # what `pvd outcomes show` prints, from this analysis
    if c.outcomes is None:
        fail(c.reason)
    d = report.design(c)
    click.echo(
        f"{d['apparies']} lauréats appariés sur {d['laureats']} à {d['villes_comparables']} "
        f"villes comparables ({c.seconds:.1f} s)."
    )
    click.echo(report.summary(c)["lecture"])


def _rows_csv(rows: list[dict], tail: list[list[str]]) -> str:
    """``tail``: the sources and caveats (report.source_rows), after the rows."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        lo, hi = r["intervalle"]
        writer.writerow(
            {**r, "bas": lo, "haut": hi, "significatif": str(r["significatif"]).lower()}
        )
    csv.writer(out, lineterminator="\n").writerows(tail)
    return out.getvalue()


def _town_csv(t: dict, tail: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "nom", "role", *[f"pop_{y}" for y in t.get("millesimes", [])]])
    if t["apparie"]:
        writer.writerow([t["code"], t["nom"], "laureat", *t["population"]])
        for m in t["comparables"]:
            writer.writerow([m["code"], m["nom"], "comparable", *m["population"]])
    writer.writerows(tail)
    return out.getvalue()


def _report():
    """pvd.outcomes.report, Django started (read-only) to compute what is not stored."""
    setup_django(read_only=True)
    from pvd.outcomes import report

    return report


@outcomes.command("show")
@click.option(
    "--scope",
    default="france",
    show_default=True,
    help="france, region:84, departement:23, bande:2000-5000, ort:signee, "
    "signature:apres, commune:01001, ou un découpage entier : region, "
    "departement, bande, ort, signature.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="Format de sortie (CSV international : « , » et point décimal).",
)
def show(scope: str, fmt: str) -> None:
    """Affiche les résultats d'un périmètre : écart, intervalle, nombre de villes, lecture."""
    from pvd.outcomes import stored

    # The printed forms are stored per data version (pvd.outcomes.stored): reading them needs
    # the settings and the shared cache only (no app started, neither polars nor the analysis);
    # Django is started, and the forms computed and stored, when there are none.
    s = stored.get("summary")
    if isinstance(s, stored.Summary):
        dimensions = s.dimensions
    else:
        s, dimensions = None, tuple(_report().DIMENSIONS)
    try:
        kind, dimension, value = stored.parse_scope(scope, dimensions)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--scope") from exc
    if s is None:
        with database_errors():
            s = _report().stored_summary()
    if not s.available:
        fail(s.reason)
    if kind == "commune":
        t = stored.get(*s.town_parts(value))
        if t is None:
            with database_errors():
                t = _report().stored_town(s, value)
        if t is None:
            fail(f"{value} n'est pas une commune lauréate couverte par les listes chargées.")
        click.echo(
            json.dumps(t | s.provenance, ensure_ascii=False, indent=2)
            if fmt == "json"
            else _town_csv(t, s.source_rows),
            nl=fmt == "json",
        )
        return
    if kind == "breakdown":
        rows = s.breakdowns.get(dimension, [])
    else:
        one = s.france if kind == "france" else s.group(dimension, value)
        if one is None:
            fail(f"aucun lauréat apparié dans le périmètre {scope}.")
        rows = [one]
    if fmt == "json":
        payload = {"resultats": rows, **s.provenance}
        if kind == "france":
            payload |= {
                "avant_le_programme": s.placebo,
                "methode": s.design,
                "equilibre": s.balance,
            }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(_rows_csv(rows, s.source_rows), nl=False)

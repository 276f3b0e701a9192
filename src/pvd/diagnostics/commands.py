"""`pvd indicators ...`: the indicator catalogue, imports of official files, the build.

Thin: parse arguments, call one service, print its report. Registered on the `pvd` command in
pvd/cli/__init__.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from pvd.cli.helpers import LazyChoice


def _input_kinds() -> list[str]:
    from pvd.sources.indicator_inputs import KINDS  # polars: not for `pvd --help`

    return list(KINDS)


@click.group()
def indicators() -> None:
    """Indicators of the portrait de ville: catalogue, imports, build."""


@indicators.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON output.")
def indicators_list(as_json: bool) -> None:
    """List the indicator catalogue (id, theme, unit, source)."""
    from pvd.domain.indicators.catalogue import indicators as catalogue

    items = catalogue()
    if as_json:
        keys = (
            "id",
            "label",
            "theme",
            "unit",
            "direction",
            "source",
            "vintage",
            "licence",
            "formula",
        )
        click.echo(
            json.dumps(
                [{k: getattr(i, k) for k in keys} for i in items], ensure_ascii=False, indent=2
            )
        )
        return
    for i in items:
        click.echo(f"{i.id}\t{i.theme_label}\t{i.label} ({i.unit})\t{i.source}")


@indicators.command("import")
@click.argument("kind", type=LazyChoice(_input_kinds))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--millesime", type=int, help="BPE vintage when the file has no AN column.")
@click.option(
    "--gammes",
    type=click.Path(path_type=Path),
    help="BPE: CSV of facility types per gamme (TYPEQU;GAMME).",
)
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Accept a file that removes more than 5 % of the values of the file it replaces.",
)
def indicators_import(
    kind: str,
    file: Path,
    millesime: int | None,
    gammes: Path | None,
    dry_run: bool,
    confirm: bool,
) -> None:
    """Import an official file feeding indicators (INSEE, Cerema, DGFiP), then run
    `pvd indicators build`."""
    from pvd.cli.helpers import ensure_referential, import_errors, print_report, setup_django

    setup_django()
    from pvd.diagnostics.services import indicator_source_import

    with import_errors(file, *([gammes] if gammes else [])):
        ensure_referential()
        report = indicator_source_import(
            kind=kind,
            path=file,
            millesime=millesime,
            gammes=gammes,
            dry_run=dry_run,
            confirm=confirm,
        )
    print_report(report)
    if not dry_run:
        click.echo("Lancez `pvd indicators build` pour recalculer les indicateurs.")


@indicators.command("build")
def indicators_build() -> None:
    """Compute every indicator for every commune, EPCI, department, region and France, and
    the similar towns; replaces the stored values."""
    from pvd.cli.helpers import ensure_referential, setup_django

    setup_django()
    ensure_referential()
    from pvd.diagnostics.services import indicators_build as build

    click.echo("\n".join(build().lines()))

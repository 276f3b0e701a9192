"""`pvd selection ...`: centrality (BPE calibration, official file), scenarios, runs, evaluation.

Thin: parse arguments, call one service or selector, print. Exit codes: 0 success, 1 failed
operation, 2 bad usage.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pvd.cli.helpers import ensure_referential, fail, fail_source, import_errors, setup_django

# The apps whose models a read-only command of the selection reads (with those they import).
SELECTION_APPS = (
    "django.contrib.auth", "django.contrib.contenttypes", "pvd.territories", "pvd.selection",
)


@click.group()
def selection() -> None:
    """Selection model: centrality, fragility, eligibility, scenarios, evaluation."""


def _rules_or_fail(slug: str):
    from pvd.selection import selectors

    scenario = selectors.scenario_get(slug=slug)
    if scenario is None:
        names = ", ".join(s.slug for s in selectors.scenarios_list())
        click.echo(f"Erreur : scénario inconnu « {slug} » (disponibles : {names})", err=True)
        sys.exit(2)
    return scenario.rules


@selection.command("calibrate")
@click.argument("bpe_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--millesime", type=click.IntRange(1990, 2100), help="BPE vintage (default: AN).")
@click.option("--no-calibrate", is_flag=True, help="Apply the default thresholds, fit nothing.")
@click.option("--dry-run", is_flag=True, help="Show the result, store nothing.")
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Accept a file that leaves more than 5 % of the communes equipped before without any.",
)
def selection_calibrate(
    bpe_file: Path, millesime: int | None, no_calibrate: bool, dry_run: bool, confirm: bool
) -> None:
    """Compute the centrality levels from a BPE file and fit the thresholds to the published
    counts of the 2020 study (7,010 / 2,880 / 742 / 142, within 5 %)."""
    setup_django()
    ensure_referential()
    from pvd.selection.services import centrality_compute
    from pvd.sources.report import SourceError

    try:
        report = centrality_compute(
            path=bpe_file,
            calibrate=not no_calibrate,
            millesime=millesime,
            dry_run=dry_run,
            confirm=confirm,
        )
    except SourceError as exc:
        fail_source(exc)
    click.echo("\n".join(report.lines()))
    if report.calibration and not report.calibration.within_tolerance:
        sys.exit(1)


@selection.command("import-centralite")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the result, store nothing.")
@click.option(
    "--confirmer",
    "confirm",
    is_flag=True,
    help="Accept a file that removes the level of more than 5 % of the communes classified.",
)
def selection_import_official(file: Path, dry_run: bool, confirm: bool) -> None:
    """Import the official classification (Observatoire des territoires, centralite.csv) and
    print its agreement (confusion matrix) with the computed levels."""
    setup_django()
    from pvd.selection.services import centrality_import_official

    with import_errors(file):
        ensure_referential()
        report = centrality_import_official(path=file, dry_run=dry_run, confirm=confirm)
    click.echo("\n".join(report.lines()))


@selection.command("scenarios")
def selection_scenarios() -> None:
    """List the scenarios (built-in and saved) and their rules."""
    # Reads the scenarios and the learned model's row: the selection's models and those they
    # point to only (no admin, API, page apps nor the other apps' models).
    setup_django(read_only=True, apps=SELECTION_APPS)
    from pvd.selection import scenarios  # neither polars nor the model's inputs

    for s in scenarios.scenarios_list():
        tag = " (intégré)" if s.builtin else ""
        click.echo(f"{s.slug}{tag} — {s.nom}")
        click.echo(f"  {json.dumps(s.rules.as_dict(), ensure_ascii=False)}")
    model = scenarios.current_model()
    click.echo(f"{scenarios.LEARNED_SLUG} (intégré) — {scenarios.LEARNED_NOM}")
    click.echo(
        f"  modèle du {model.created_at:%d/%m/%Y %H:%M} ({model.source}, "
        f"{model.entrainement.get('laureats')} lauréats)"
        if model
        else "  aucun modèle enregistré : `pvd selection fit`"
    )


@selection.command("save")
@click.argument("slug")
@click.option("--nom", help="Display name (default: the slug).")
@click.option(
    "--base", default="pvd", show_default=True, help="Scenario whose rules to start from."
)
@click.option(
    "--set",
    "changes",
    multiple=True,
    metavar="RÈGLE=VALEUR",
    help="Rule to change, JSON value: fragilite_min=60, niveaux='[\"intermediaire\"]'...",
)
def selection_save(slug: str, nom: str | None, base: str, changes: tuple[str, ...]) -> None:
    """Save a scenario (its URL: /selection/scenarios/SLUG/)."""
    setup_django()
    from pvd.selection.services import scenario_save

    rules = _rules_or_fail(base).as_dict()
    for change in changes:
        key, _, raw = change.partition("=")
        try:
            rules[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            rules[key.strip()] = raw
    try:
        scenario = scenario_save(nom=nom or slug, slug=slug, regles=rules)
    except (ValueError, TypeError) as exc:
        click.echo(f"Erreur : {exc}", err=True)
        sys.exit(2)
    click.echo(f"Scénario « {scenario.nom} » enregistré : /selection/scenarios/{scenario.slug}/")


@selection.command("run")
@click.option("--scenario", "slug", default="pvd", show_default=True)
@click.option("--region", help="Region code (e.g. 84).")
@click.option("--departement", help="Department code (e.g. 63).")
@click.option("--eligibles", is_flag=True, help="Only the eligible communes.")
@click.option("--output", "-o", default="-", show_default=True, help="CSV file, - for stdout.")
@click.option(
    "--centralite-source",
    type=click.Choice(["auto", "officielle", "calculee", "estimation"]),
    help="Source of the centrality levels (default: the scenario's, 'auto' for the built-in "
    "one: official classification if imported, else BPE computation, else estimation).",
)
def selection_run(
    slug: str,
    region: str | None,
    departement: str | None,
    eligibles: bool,
    output: str,
    centralite_source: str | None,
) -> None:
    """Score the communes for a scenario; CSV (UTF-8, comma) ranked by department. The column
    centralite_source names each row's source; the source used is also said on stderr."""
    from pvd.selection import stored_runs

    # One department of the built-in scenario: its run stored for the data version, if any
    # (no Django start, no polars: pvd.selection.stored_runs).
    stored = None
    if departement and not region and slug == stored_runs.SLUG:
        stored = stored_runs.Slot.current(departement, centralite_source)
        if (run := stored.get(eligibles)) is not None:
            stored_runs.print_run(run, output)
            return
    setup_django(read_only=True)  # reads and prints: no admin, API nor page apps to start
    ensure_referential()
    import dataclasses

    from pvd.selection import selectors

    if slug == "appris":
        _run_learned(region, departement, output)
        return
    rules = _rules_or_fail(slug)
    if centralite_source:
        rules = dataclasses.replace(rules, centralite_source=centralite_source)
    try:
        result = selectors.run(rules=rules, region=region, departement=departement)
    except ValueError as exc:
        fail(str(exc))
    if result.is_empty():
        fail(f"aucune commune pour la région « {region} » / le département « {departement} »")
    # Both outputs of a department are stored; a region or France prints the one asked for.
    runs = stored_runs.runs_of(result, rules, which=(False, True) if stored else (eligibles,))
    if stored:
        stored.store(runs)
    stored_runs.print_run(runs[eligibles], output)


@selection.command("compare")
@click.argument("scenario_a")
@click.argument("scenario_b")
@click.option("--region")
@click.option("--departement")
def selection_compare(
    scenario_a: str, scenario_b: str, region: str | None, departement: str | None
) -> None:
    """Who enters and who leaves from scenario A to scenario B."""
    setup_django()
    ensure_referential()
    from pvd.selection import selectors

    a, b = _rules_or_fail(scenario_a), _rules_or_fail(scenario_b)
    try:
        diff = selectors.compare(a=a, b=b, region=region, departement=departement)
    except ValueError as exc:  # e.g. a centrality source that is not loaded
        fail(str(exc))
    what = "retenues" if diff["critere"] == "retenue" else "éligibles"
    click.echo(f"{scenario_a} : {diff['a']} {what} ; {scenario_b} : {diff['b']} {what}")
    for label, key in (("entrent", "entrent"), ("sortent", "sortent")):
        click.echo(f"{len(diff[key])} {label}")
        for code in diff[key]:
            click.echo(f"  {code} {diff['noms'][code]}")


def _run_learned(region: str | None, departement: str | None, output: str) -> None:
    from pvd.selection import learned

    model = learned.current_model()
    if model is None:
        fail("aucun modèle appris enregistré : lancez `pvd selection fit`")
    result = learned.score(model=model, region=region, departement=departement)
    if result.is_empty():
        fail(f"aucune commune pour la région « {region} » / le département « {departement} »")
    click.echo(
        f"Modèle appris du {model.created_at:%d/%m/%Y %H:%M} ({model.source} : "
        f"{model.entrainement.get('laureats')} lauréats, "
        f"{len(model.entrainement.get('regions', []))} régions)",
        err=True,
    )
    out = result.select(learned.EXPORT_COLUMNS)
    if output == "-":
        sys.stdout.write(out.write_csv())
    else:
        out.write_csv(output)
        click.echo(f"{out.height} communes écrites dans {output}", err=True)


def _read_codes(path: Path) -> set[str]:
    from pvd.sources.pvd_list import read_programme_list
    from pvd.sources.report import SourceError

    try:
        return {r.code for r in read_programme_list(path).rows}
    except SourceError as exc:
        fail_source(exc)


@selection.command("fit")
@click.option(
    "--laureats",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Laureate list (data.gouv.fr layout); default: the PVD registry.",
)
def selection_fit(laureats: Path | None) -> None:
    """Fit the learned model (scenario "appris") on the laureates, evaluate it by
    leave-one-region-out and store it."""
    setup_django()
    ensure_referential()
    from pvd.domain.learned import LearnedModelError
    from pvd.selection.services import learned_fit

    codes = _read_codes(laureats) if laureats else None
    try:
        row, ev = learned_fit(laureats=codes, source=str(laureats) if laureats else "registre")
    except LearnedModelError as exc:
        fail(str(exc))
    t = row.entrainement
    click.echo(
        f"Modèle appris enregistré : {t['laureats']} lauréats parmi {t['communes']} communes "
        f"de {len(t['regions'])} régions, {len(row.modele['columns'])} variables, "
        f"ajusté en {row.secondes:.2f} s."
    )
    for note in row.notes:
        click.echo(f"  variable absente : {note}")
    click.echo("\n".join(ev.lines()))


@selection.command("import-territoires")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the result, store nothing.")
def selection_import_territories(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import typologies of the Observatoire des territoires (densite.csv, ruralite.csv,
    montagne.csv: insee_com,lib_com,niveau_...), used by the learned model."""
    setup_django()
    from pvd.selection.services import typology_import

    for file in files:
        with import_errors(file):
            ensure_referential()
            lines = typology_import(path=file, dry_run=dry_run)
        click.echo("\n".join(lines))


@selection.command("evaluate")
@click.option("--scenario", "slug", default="pvd", show_default=True)
@click.option(
    "--laureats",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Laureate list (data.gouv.fr layout); default: the PVD registry.",
)
@click.option(
    "--appris",
    "learned",
    is_flag=True,
    help="Evaluate the learned (logistic) model instead, by cross-validation across regions.",
)
@click.option(
    "--par",
    "by",
    type=click.Choice(["region", "departement"]),
    default="region",
    show_default=True,
    help="Learned model: leave one region (or department) out.",
)
@click.option("--json", "as_json", is_flag=True, help="JSON output (per department too).")
def selection_evaluate(
    slug: str, laureats: Path | None, learned: bool, by: str, as_json: bool
) -> None:
    """Compare a scenario with the actual laureates: AUC, precision and recall at k,
    per region, calibration table. Only the regions the list covers are scored. The learned
    model is scored without leak: each region by a model fitted on the others; with
    --laureats, fitted on the registry without the file's regions and tested on the file."""
    setup_django()
    ensure_referential()
    from pvd.selection import selectors

    learned = learned or slug == "appris"
    rules = None if learned else _rules_or_fail(slug)
    regions, departements = None, set()
    if laureats:
        codes = _read_codes(laureats)
    else:
        # The registry: only the territories its loaded lists cover are scored.
        codes = selectors.laureate_codes()
        regions, departements = selectors.registry_coverage()
    if not codes:
        fail("aucun lauréat : importez une liste (`pvd programme import-laureates`) ou --laureats")
    if learned:
        from pvd.selection import learned as lselectors

        registry, registry_regions = None, None
        if laureats:
            registry = selectors.laureate_codes()
            registry_regions, _ = selectors.registry_coverage()
        res = lselectors.evaluate_learned(
            laureats=codes,
            regions=regions,
            by="reg" if by == "region" else "dep",
            registry=registry,
            registry_regions=registry_regions,
        )
        if as_json:
            click.echo(json.dumps(res.as_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo("\n".join(res.lines()))
        if res.evaluation is None:
            fail("aucune commune n'a pu être notée (voir les notes ci-dessus)")
        return
    try:
        ev = selectors.evaluate(
            rules=rules, laureats=codes, regions=regions, departements=departements
        )
    except ValueError as exc:  # e.g. a centrality source that is not loaded
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"Règles du scénario « {slug} » (sans apprentissage : les mêmes règles notent "
            "chaque région, aucune n'a servi à les ajuster) :"
        )
        click.echo("\n".join(ev.lines()))

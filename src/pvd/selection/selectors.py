"""Reads of the selection app: the inputs of the model (one frame per commune, cached per
process), scenario runs, comparisons and evaluation against laureates."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import polars as pl

from pvd.caching import ProcessMemo, shared
from pvd.domain import centrality_proxy, envelope
from pvd.domain import centrality_source as csource
from pvd.domain import eligibility as edomain
from pvd.domain import fragility as fdomain
from pvd.selection.models import Centralite
from pvd.selection.scenarios import (  # noqa: F401  (read here by views, API, commands)
    BUILTIN,
    DEFAULT_SLUG,
    ScenarioView,
    scenario_get,
    scenarios_list,
)
from pvd.selection.stored_frames import frame_of
from pvd.territories.models import Arrondissement, Commune, Departement, Population

# --- Inputs -------------------------------------------------------------------------------------
# The national inputs, built once per data version for every process (shared cache: a CLI run
# for one department reads them instead of reading and joining all of France again) and kept
# in each process while the version holds.
_memo: ProcessMemo[Inputs] = ProcessMemo("selection-inputs", size=2)


def _version() -> tuple:
    from pvd.diagnostics.selectors import latest_build

    latest = latest_build()  # the latest by built_at
    build = latest.id if latest else None
    cent = tuple(Centralite.objects.order_by("kind").values_list("kind", "updated_at"))
    return (
        build,
        cent,
        Commune.objects.count(),
        Population.objects.count(),
    )


@dataclass
class Inputs:
    # One row per current commune, with a level column per centrality source
    # (niveau_officiel, niveau_calcule, niveau_proxy: see csource.CENTRALITE_COLUMNS).
    frame: pl.DataFrame
    centralite_sources: tuple[str, ...]  # loaded sources, "estimation" always
    centralite_details: dict  # of the BPE computation (thresholds, counts, agreement)
    population_millesimes: list[int]
    fragility_indicators: list[str]  # component indicators available
    official_details: dict = field(default_factory=dict)

    @property
    def centralite_source(self) -> str:
        """The source the default rules ("auto") use: officielle, calculee or estimation."""
        return next(s for s in csource.CENTRALITE_SOURCES if s in self.centralite_sources)


def _pivot_indicators() -> pl.DataFrame:
    from pvd.diagnostics.selectors import commune_values_frame

    values = commune_values_frame([c.indicator for c in fdomain.COMPONENTS])
    if values.is_empty():
        return pl.DataFrame(schema={"code": pl.String})
    latest = values.sort("millesime").group_by("code", "indicator").last()
    wide = latest.pivot(on="indicator", index="code", values="value")
    # pivot orders its columns by first appearance, which group_by leaves to chance: the
    # components' order makes every build of the inputs the same frame
    order = [c.indicator for c in fdomain.COMPONENTS if c.indicator in wide.columns]
    return wide.select("code", *order)


def population_evolution(millesimes: list[int]) -> pl.Expr:
    """Evolution in % of each commune's population from its earliest to its latest known
    millésime of the referential (Mayotte's series starts in 2017, the others in 2019)."""
    cols = [f"pop_{m}" for m in sorted(millesimes)]
    first = pl.coalesce([pl.col(c) for c in cols])
    last = pl.coalesce([pl.col(c) for c in reversed(cols)])
    return (pl.when(first > 0).then((last / first - 1) * 100).otherwise(None)).alias(
        "population_evolution"
    )


def _load_inputs() -> Inputs:
    communes = pl.DataFrame(
        list(
            Commune.objects.filter(type=Commune.Type.COM).values_list(
                "code",
                "nom",
                "departement_id",
                "region_id",
                "epci_id",
                "arrondissement_id",
                "population",
                "codes_postaux",
            )
        ),
        schema={
            "code": pl.String,
            "nom": pl.String,
            "dep": pl.String,
            "reg": pl.String,
            "epci": pl.String,
            "arr": pl.String,
            "population": pl.Int64,
            "codes_postaux": pl.List(pl.String),
        },
        orient="row",
    )
    pops = pl.DataFrame(
        list(
            Population.objects.filter(commune__type=Commune.Type.COM).values_list(
                "commune__code", "millesime", "population"
            )
        ),
        schema={"code": pl.String, "millesime": pl.Int32, "population": pl.Int64},
        orient="row",
    )
    millesimes = sorted(pops.get_column("millesime").unique().to_list())
    if millesimes:
        wide = pops.pivot(on="millesime", index="code", values="population")
        wide = wide.rename({str(m): f"pop_{m}" for m in millesimes})
        communes = communes.join(wide, on="code", how="left")
    dep_seats = set(Departement.objects.values_list("chef_lieu", flat=True))
    arr_seats = set(Arrondissement.objects.values_list("chef_lieu", flat=True))
    # Postal hub: the most populous commune of a postal code shared by several communes.
    cp = communes.select("code", "population", "codes_postaux").explode("codes_postaux")
    cp = cp.filter(pl.col("codes_postaux").is_not_null())
    hubs = (
        cp.with_columns(pl.len().over("codes_postaux").alias("_n"))
        .filter(pl.col("_n") >= 2)
        .sort("population", descending=True, nulls_last=True)
        .group_by("codes_postaux")
        .first()
        .get_column("code")
        .unique()
        .to_list()
    )
    communes = communes.drop("codes_postaux").with_columns(
        pl.col("code").is_in(list(dep_seats)).alias("chef_lieu_dep"),
        pl.col("code").is_in(list(arr_seats)).alias("chef_lieu_arr"),
        pl.col("code").is_in(hubs).alias("pole_postal"),
    )
    proxy = centrality_proxy.proxy_levels(communes).select(
        "code", "rang_epci", "part_epci", pl.col("niveau").alias("niveau_proxy")
    )
    communes = communes.join(proxy, on="code", how="left")
    sources = ["estimation"]
    computed = Centralite.objects.filter(kind=Centralite.Kind.CALCULEE).first()
    if computed:
        levels = frame_of(computed).select(
            "code", pl.col("niveau").alias("niveau_calcule"), "n_p", "n_i", "n_s"
        )
        communes = communes.join(levels, on="code", how="left")
        sources.append("calculee")
    else:
        communes = communes.with_columns(pl.lit(None, pl.String).alias("niveau_calcule"))
    official = Centralite.objects.filter(kind=Centralite.Kind.OFFICIELLE).first()
    if official:
        communes = communes.join(
            frame_of(official).select("code", pl.col("niveau").alias("niveau_officiel")),
            on="code",
            how="left",
        )
        sources.append("officielle")
    else:
        communes = communes.with_columns(pl.lit(None, pl.String).alias("niveau_officiel"))
    indicators = _pivot_indicators()
    communes = communes.join(indicators, on="code", how="left")
    available = [c for c in indicators.columns if c != "code"]
    if "population_evolution" not in available and len(millesimes) >= 2:
        # Without an indicator build, the population evolution is still known from the
        # referential's series (same formula as the portrait indicator: first -> latest).
        communes = communes.with_columns(population_evolution(millesimes))
        available.append("population_evolution")
    return Inputs(
        frame=communes,
        centralite_sources=tuple(s for s in csource.CENTRALITE_SOURCES if s in sources),
        centralite_details=computed.details if computed else {},
        official_details=official.details if official else {},
        population_millesimes=millesimes,
        fragility_indicators=available,
    )


def inputs() -> Inputs:
    """The model's inputs, rebuilt when the referential, indicators or centrality change (the
    tables' state below) or any import bumps the data version (pvd.caching)."""
    version = hashlib.sha256(repr(_version()).encode()).hexdigest()[:20]
    return _memo.get(version, lambda: shared(("selection-inputs", version), _load_inputs))


# --- Runs ---------------------------------------------------------------------------------------
def run(
    *,
    rules: edomain.Rules,
    region: str | None = None,
    departement: str | None = None,
    data: Inputs | None = None,
) -> pl.DataFrame:
    """Score every commune (percentiles are national), then keep a region or department.
    The level of each commune comes from ``rules.centralite_source`` (column
    ``centralite_source`` of each row); a source not loaded raises
    ``csource.CentralitySourceUnavailable`` (a ValueError)."""
    data = data or inputs()
    f, _ = csource.resolve_centrality(data.frame, rules.centralite_source, data.centralite_sources)
    if rules.population_millesime is not None:
        col = f"pop_{rules.population_millesime}"
        if col not in f.columns:
            raise ValueError(
                f"millésime de population {rules.population_millesime} absent (disponibles : "
                f"{', '.join(map(str, data.population_millesimes))})"
            )
        f = f.with_columns(pl.col(col).alias("population"))
    frag = fdomain.fragility(
        f.select("code", *[c for c in data.fragility_indicators if c in f.columns]), rules.poids
    )
    f = f.join(frag, on="code", how="left")
    # Criteria, ranks and envelopes are national; the (per-row) explanations are written
    # for the rows kept only.
    restricted = bool(region or departement)
    f = edomain.evaluate(f, rules, explain=not restricted)
    f = envelope.select(f, rules)
    if region:
        f = f.filter(pl.col("reg") == region)
    if departement:
        f = f.filter(pl.col("dep") == departement)
    if restricted:
        f = edomain.explained(f, rules)
    return f.sort("dep", "rang_dep", "code", nulls_last=True)


def centrality_used(frame: pl.DataFrame, rules: edomain.Rules, data: Inputs | None = None) -> dict:
    """Which centrality source a run used: the main one, what was asked, the number of
    communes per source and a French sentence for pages, CSV headers and the API."""
    data = data or inputs()
    asked = rules.centralite_source
    main = data.centralite_source if asked == csource.CENTRALITE_AUTO else asked
    counts = dict(frame.get_column("centralite_source").value_counts().iter_rows())
    return {
        "source": main,
        "demandee": asked,
        "libelle": csource.CENTRALITE_LABELS[main],
        "communes_par_source": {
            s: int(counts[s]) for s in csource.CENTRALITE_SOURCES if s in counts
        },
        "resume": edomain.centrality_summary(frame, main),
        "disponibles": list(data.centralite_sources),
    }


def compare(
    *,
    a: edomain.Rules,
    b: edomain.Rules,
    region: str | None = None,
    departement: str | None = None,
) -> dict:
    data = inputs()
    ra = run(rules=a, region=region, departement=departement, data=data)
    rb = run(rules=b, region=region, departement=departement, data=data)
    on = "retenue" if ra.get_column("retenue").null_count() < ra.height else "eligible"
    moves = edomain.compare(ra, rb, on=on)
    names = dict(rb.select("code", "nom").iter_rows())
    return {
        "critere": on,
        "a": int(ra.get_column(on).fill_null(False).sum()),
        "b": int(rb.get_column(on).fill_null(False).sum()),
        "entrent": moves["entrent"],
        "sortent": moves["sortent"],
        "noms": {c: names.get(c, c) for c in moves["entrent"] + moves["sortent"]},
        "run_a": ra,
        "run_b": rb,
    }


def laureate_codes(*, programme: str = "pvd") -> set[str]:
    """Codes of the programme's active laureates (those that left are not laureates)."""
    from pvd.programme import selectors as registry

    prog = registry.programme_get(slug=programme)
    if prog is None:
        return set()
    return set(registry.laureates_qs(prog).values_list("commune__code", flat=True))


def with_laureate_status(frame: pl.DataFrame, *, programme: str = "pvd") -> pl.DataFrame:
    """Adds ``laureat``: True/False where a loaded list of the programme covers the commune,
    null elsewhere (unknown, never "not a laureate"). ``frame`` has ``code``, ``reg``, ``dep``."""
    regions, departements = registry_coverage(programme=programme)
    covered = pl.col("reg").is_in(list(regions or ())) | pl.col("dep").is_in(list(departements))
    return frame.with_columns(
        pl.when(covered)
        .then(pl.col("code").is_in(list(laureate_codes(programme=programme))))
        .otherwise(None)
        .alias("laureat")
    )


def registry_coverage(*, programme: str = "pvd") -> tuple[set[str] | None, set[str]]:
    """(regions, departements covered alone) of the programme's loaded lists, for scoring an
    evaluation only inside them; (None, set()) when no list recorded a coverage (the regions
    of the laureates are then used)."""
    from pvd.programme import selectors as registry

    prog = registry.programme_get(slug=programme)
    if prog is None:
        return None, set()
    coverage = registry.registry_coverage(prog)
    if coverage.empty:
        return None, set()
    if coverage.national:
        return set(registry.region_departements()), set()
    regions = {
        r for r, deps in registry.region_departements().items() if coverage.covers_region(r, deps)
    }
    return regions, set(coverage.departements)


def evaluate(
    *,
    rules: edomain.Rules,
    laureats: set[str],
    regions: set[str] | None = None,
    departements: set[str] | None = None,
):  # -> pvd.domain.evaluation.Evaluation
    from pvd.domain import evaluation as vdomain  # numpy: only an evaluation needs it

    result = run(rules=rules)
    return vdomain.evaluate(
        result.select("code", "reg", "dep", "score", "criteres_ok"),
        laureats,
        regions=regions,
        departements=departements,
    )


# Columns of CSV exports and API rows.
EXPORT_COLUMNS = [
    "code",
    "nom",
    "dep",
    "reg",
    "population",
    "niveau",
    "centralite_source",
    "fragilite",
    "fragilite_percentile",
    "fragilite_couverture",
    "crit_population",
    "crit_centralite",
    "crit_fragilite",
    "crit_epci",
    "eligible",
    "rang_dep",
    "retenue",
    "explication",
]

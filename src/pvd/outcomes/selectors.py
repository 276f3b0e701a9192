"""Reads of the outcomes app: the one place where the analysis' inputs are read from the
database (the referential's population series, the selection model's inputs measured before the
programme, the registry's laureates, ACV towns and ORT signatures), and the sources they name."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain import centrality_proxy
from pvd.territories.models import Commune, Departement, Region

PROGRAMME = "pvd"
LEVEL_SOURCES = {
    "niveau_officiel": "étude Centralités 2020 (ANCT, INRAE-CESAER), importée",
    "niveau_calcule": "reproduction de la méthode Centralités sur la BPE chargée",
    "niveau_proxy": "estimation depuis le référentiel (population 2019, chefs-lieux, EPCI)",
}


@dataclass
class OutcomeInputs:
    frame: pl.DataFrame  # see pvd.domain.outcomes.analysis
    covered: str  # French: which regions the loaded lists cover
    laureates: int  # laureates of the programme in the referential (any status)
    acv_excluded: int  # ACV towns taken out of the pool of comparable towns
    level_sources: dict[str, int] = field(default_factory=dict)  # French source -> communes
    lists: list[str] = field(default_factory=list)  # loaded laureate/ORT lists (file, vintage)


def _registry(frame: pl.DataFrame) -> tuple[pl.DataFrame, int, int, str, list[str]]:
    """Adds laureat (True/False inside the loaded lists' coverage, null outside or for ACV
    towns), ort_signee and date_signature."""
    from pvd.programme.models import Laureat, ListeImportee, Ort
    from pvd.selection.selectors import registry_coverage

    regions, departements = registry_coverage(programme=PROGRAMME)
    # Every laureate, also those that left the programme: they were selected (intention to treat).
    laureats = set(
        Laureat.objects.filter(programme__slug=PROGRAMME).values_list("commune__code", flat=True)
    )
    acv = set(Laureat.objects.filter(programme__slug="acv").values_list("commune__code", flat=True))
    if regions is None and laureats:  # lists without a recorded coverage: the laureates' regions
        regions = set(frame.filter(pl.col("code").is_in(list(laureats)))["reg"].unique())
    covered = pl.col("reg").is_in(list(regions or ())) | pl.col("dep").is_in(list(departements))
    is_laureat = pl.col("code").is_in(list(laureats))
    frame = frame.with_columns(
        pl.when(covered & (is_laureat | ~pl.col("code").is_in(list(acv))))
        .then(is_laureat)
        .otherwise(None)
        .alias("laureat")
    )
    ort = pl.DataFrame(
        [
            (code, sig == Ort.Signature.SIGNEE, date)
            for code, sig, date in Ort.objects.values_list(
                "commune__code", "signature", "date_signature"
            )
        ],
        schema={"code": pl.String, "ort_signee": pl.Boolean, "date_signature": pl.Date},
        orient="row",
    )
    frame = frame.join(ort, on="code", how="left")
    names = {r.code: r.nom for r in Region.objects.filter(zone__in=("metro", "drom"))}
    if regions is None:
        text = "aucune liste de lauréats chargée"
    elif len(regions) >= len(names):
        text = "toutes les régions"
    else:
        missing = sorted(names[c] for c in names if c not in regions)
        text = "toutes les régions sauf " + ", ".join(missing) if missing else "toutes les régions"
    lists = [
        f"{x.get_nature_display()} : {x.fichier}" + (f" ({x.millesime})" if x.millesime else "")
        for x in ListeImportee.objects.filter(
            programme__slug=PROGRAMME, nature=ListeImportee.Nature.LAUREATS
        ).order_by("at")
    ] + [
        f"ORT : {x.fichier}" + (f" ({x.millesime})" if x.millesime else "")
        for x in ListeImportee.objects.filter(nature=ListeImportee.Nature.ORT).order_by("at")
    ]
    n_acv = frame.filter(pl.col("code").is_in(list(acv)) & ~is_laureat & covered).height
    return frame, len(laureats), n_acv, text, list(dict.fromkeys(lists))


def outcome_inputs() -> OutcomeInputs:
    """One row per current commune with what the analysis reads (see the module doc)."""
    from pvd.selection.selectors import inputs

    data = inputs()
    keep = [
        "code",
        "nom",
        "dep",
        "reg",
        "epci",
        "chef_lieu_dep",
        "chef_lieu_arr",
        "pole_postal",
        "niveau_officiel",
        "niveau_calcule",
        *[c for c in data.frame.columns if c.startswith("pop_") or c in ("n_p", "n_i", "n_s")],
    ]
    frame = data.frame.select([c for c in keep if c in data.frame.columns])
    zones = pl.DataFrame(
        list(Commune.objects.filter(type=Commune.Type.COM).values_list("code", "zone")),
        schema={"code": pl.String, "zone": pl.String},
        orient="row",
    )
    frame = frame.join(zones, on="code", how="left").with_columns(
        pl.col("reg")
        .replace_strict(dict(Region.objects.values_list("code", "nom")), default=None)
        .alias("reg_nom"),
        pl.col("dep")
        .replace_strict(dict(Departement.objects.values_list("code", "nom")), default=None)
        .alias("dep_nom"),
    )
    # The referential's proxy level, computed on the population *before* the programme.
    before = [int(c[4:]) for c in frame.columns if c.startswith("pop_") and int(c[4:]) < 2020]
    if before:
        proxy = centrality_proxy.proxy_levels(
            frame.select(
                "code",
                "epci",
                "chef_lieu_dep",
                "chef_lieu_arr",
                "pole_postal",
                pl.col(f"pop_{max(before)}").alias("population"),
            )
        ).select("code", pl.col("niveau").alias("niveau_proxy"))
        frame = frame.join(proxy, on="code", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("niveau_proxy"))
    order = [c for c in LEVEL_SOURCES if frame.get_column(c).null_count() < frame.height]
    frame = frame.with_columns(
        pl.coalesce([pl.col(c) for c in order] or [pl.lit(None, pl.String)]).alias("niveau")
    )
    counts = {}
    taken = pl.lit(False)
    for c in order:
        n = frame.filter(~taken & pl.col(c).is_not_null()).height
        if n:
            counts[LEVEL_SOURCES[c]] = n
        taken = taken | pl.col(c).is_not_null()
    frame, n_laureats, n_acv, covered, lists = _registry(frame)
    return OutcomeInputs(frame, covered, n_laureats, n_acv, counts, lists)


def referential_source() -> str:
    """The referential's dataset (population series) as one French line."""
    from pvd.territories.selectors import referential_dataset

    ds = referential_dataset()
    if ds is None:
        return "Référentiel territorial : non chargé."
    return f"{ds.title} ({ds.vintage}), {ds.publisher} — {ds.licence}."

"""Reads of the outcomes app: the one place where the analysis' inputs are read from the
database (the referential's population series, the selection model's inputs measured before the
programme, the registry's laureates, ACV towns and ORT signatures), and the sources they name."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pvd.domain import centrality_proxy
from pvd.domain.numbers import french_number
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
    # Loaded laureate/ORT lists: (nature, file, vintage).
    records: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def lists(self) -> list[str]:
        """The loaded lists, one French line each ("Lauréats : file (vintage)")."""
        return [f"{n} : {f}" + (f" ({m})" if m else "") for n, f, m in self.records]


def _registry(
    frame: pl.DataFrame,
) -> tuple[pl.DataFrame, int, int, str, list[tuple[str, str, str]]]:
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
    records = [
        (x.get_nature_display(), x.fichier, x.millesime)
        for x in ListeImportee.objects.filter(
            programme__slug=PROGRAMME, nature=ListeImportee.Nature.LAUREATS
        ).order_by("at")
    ] + [
        ("ORT", x.fichier, x.millesime)
        for x in ListeImportee.objects.filter(nature=ListeImportee.Nature.ORT).order_by("at")
    ]
    n_acv = frame.filter(pl.col("code").is_in(list(acv)) & ~is_laureat & covered).height
    return frame, len(laureats), n_acv, text, list(dict.fromkeys(records))


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
    frame, n_laureats, n_acv, covered, records = _registry(frame)
    return OutcomeInputs(frame, covered, n_laureats, n_acv, counts, records)


def referential_source() -> str:
    """The referential's dataset (population series) as one French line."""
    from pvd.territories.selectors import referential_dataset

    ds = referential_dataset()
    if ds is None:
        return "Référentiel territorial : non chargé."
    return f"{ds.title} ({ds.vintage}), {ds.publisher} — {ds.licence}."


# The Centralités study (pvd.domain.centrality): the centrality level is a matching covariate.
CENTRALITES = {
    "nom": "Étude Centralités 2020 : niveaux de centres d'équipements et de services",
    "editeur": "ANCT, INRAE-CESAER",
    "millesime": "2020 (équipements de la BPE 2017)",
    "licence": "Licence Ouverte 2.0 (Etalab)",
}
CENTRALITES_FILE = "opendata:territoires/centralite.csv.gz"


def _source(nom: str, editeur: str, millesime: str, licence: str, usage: str, url: str = ""):
    return {
        "nom": nom,
        "editeur": editeur,
        "millesime": millesime,
        "licence": licence,
        "usage": usage,
        "url": url,
    }


def sources(level_sources: dict[str, int], records: list[tuple[str, str, str]]) -> list[dict]:
    """What the analysis reads, one dict per source (French): name, publisher, vintage,
    licence, what it is used for, address. ``level_sources``/``records``: see OutcomeInputs."""
    from pvd.selection.models import Centralite
    from pvd.territories.models import Dataset
    from pvd.territories.selectors import referential_dataset

    out = []
    ds = referential_dataset()
    if ds is not None:
        out.append(
            _source(ds.title, ds.publisher, ds.vintage, ds.licence, "populations légales", ds.url)
        )
    out += [
        _source(
            f"{nature} : {file}",
            "ANCT, programme Petites villes de demain",
            vintage,
            "Licence Ouverte 2.0 (Etalab)",
            "signatures d'ORT" if nature == "ORT" else "communes lauréates",
        )
        for nature, file, vintage in records
    ]
    # The Centralités study: its levels imported (the loaded record: title, vintage, licence),
    # its method reproduced on the BPE, or its classes estimated from the referential.
    study = dict(CENTRALITES, url="")
    official = level_sources.get(LEVEL_SOURCES["niveau_officiel"])
    if official:
        row = Centralite.objects.filter(kind=Centralite.Kind.OFFICIELLE).first()
        record = Dataset.objects.filter(key=CENTRALITES_FILE).first()
        if record is not None and (row is None or record.loaded_at >= row.updated_at):
            study |= {"licence": record.licence, "url": record.url}
            study["millesime"] += f", {record.vintage}"
        usage = (
            f"niveau de centralité importé ({french_number(official, 0)} communes), "
            "covariable de l'appariement"
        )
    elif level_sources.get(LEVEL_SOURCES["niveau_calcule"]):
        usage = "méthode reproduite sur la BPE chargée : niveau de centralité, covariable"
    else:
        usage = (
            "classes de centralité de l'étude, estimées depuis le référentiel (étude non "
            "importée) : covariable de l'appariement"
        )
    out.append(study | {"usage": usage})
    return out


def source_line(s: dict) -> str:
    """One source as the platform's exports say it: title — publisher — millésime — licence."""
    parts = [s["nom"], s["editeur"]]
    if s["millesime"]:
        parts.append(f"millésime {s['millesime']}")
    parts.append(s["licence"])
    if s.get("url"):
        parts.append(s["url"])
    usage = s.get("usage", "")
    return (f"{usage[:1].upper()}{usage[1:]} : " if usage else "") + " — ".join(parts)

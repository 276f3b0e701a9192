"""Reads of the portrait de ville: stored values only (nothing is recomputed per request
except the median of the similar towns, ten values per indicator)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast

from pvd import caching
from pvd.diagnostics.models import Build, TerritoryValues
from pvd.domain import wording
from pvd.domain.indicators.catalogue import THEMES, THEMES_TO_COME, Indicator, by_theme, get
from pvd.domain.indicators.engine import STATUS_LABELS, STATUS_NOTES, STATUS_SHORT
from pvd.domain.numbers import french_number
from pvd.sources.indicator_inputs import KINDS, REFERENTIAL_SOURCE, kind_of_source
from pvd.territories import selectors_pages
from pvd.territories.models import Commune, Dataset
from pvd.territories.selectors_sql import Prepared

LEVEL_LABELS = {
    "COM": "Commune",
    "EPCI": "Intercommunalité",
    "DEP": "Département",
    "REG": "Région",
    "FR": "France",
    "PEERS": "Médiane des communes similaires",
}


def fmt(value: float | None, decimals: int = 0) -> str:
    """French number: "1 234,5" (narrow no-break space for thousands); None -> "n.d."."""
    return french_number(value, decimals)


@dataclass
class Comparison:
    level: str
    label: str  # "Intercommunalité : CC du Pays de ..."
    value: float | None
    text: str  # the value in French, with its status when it has one: "20 500 (estimation)"
    status: str | None = None  # engine.INSEE, INSEE_METROPOLE, ESTIMATION or None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "")


@dataclass(frozen=True)
class StoredValue:
    indicator: str
    millesime: int
    value: float
    percentile: float | None
    status: str | None = None  # see engine.STATUS_LABELS

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status or "", "")


def unpack_values(values: dict) -> list[StoredValue]:
    """The values of a :class:`TerritoryValues` row, in (indicator, millésime) order (builds
    made before statuses existed have no ``s``)."""
    statuses = values.get("s") or [None] * len(values["i"])
    return [
        StoredValue(i, m, v, p, s)
        for i, m, v, p, s in zip(
            values["i"], values["m"], values["v"], values["p"], statuses, strict=True
        )
    ]


@dataclass
class Figure:
    indicator: Indicator
    millesime: int | None = None
    value: float | None = None
    text: str = "n.d."
    percentile: float | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    series: list[tuple[int, float]] = field(default_factory=list)
    message: str = ""  # why there is no value (public wording)
    admin_hint: str = ""  # the command that fills the gap (staff only)
    source: Dataset | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def display(self) -> str:
        """The value with its unit, in French: "3e" (a rank), "1 équipement", "12,4 %"."""
        return wording.quantity(self.value, self.text, self.indicator.unit)

    @property
    def status_note(self) -> str:
        """What "estimation" or "INSEE" next to a comparison means, when one says it."""
        seen = {c.status for c in self.comparisons if c.status}
        return " ".join(note for status, note in STATUS_NOTES.items() if status in seen)


@dataclass
class Theme:
    id: str
    label: str
    figures: list[Figure]
    to_come: str = ""


@dataclass
class PeerRow:
    commune: Commune
    rank: int
    distance: float
    reasons: list[Indicator]


@dataclass
class Portrait:
    commune: Commune
    build: Build | None
    themes: list[Theme]
    key_figures: list[Figure]
    peers: list[PeerRow]
    territories: dict[str, tuple[str, str]]  # level -> (code, name)

    @property
    def figures(self) -> list[Figure]:
        return [f for t in self.themes for f in t.figures]


def latest_build() -> Build | None:
    return Build.objects.first()


# What every portrait reads and only an import or a build changes, kept in each process for
# the current data version (pvd.caching): the latest build with its datasets, and the values of
# the departments, regions and France (120 rows shared by 34,000 communes).
_reference: caching.ProcessMemo = caching.ProcessMemo("portrait-reference", size=256)
SHARED_LEVELS = ("DEP", "REG", "FR")


def _build_and_datasets() -> tuple[Build | None, dict[str, Dataset]]:
    def compute():
        build = latest_build()
        return build, _datasets(build)

    return _reference.get("build", compute)


def _by_indicator(values: dict | None) -> dict[str, dict[int, StoredValue]]:
    """indicator -> millésime -> stored value, of a TerritoryValues row's ``values``."""
    out: dict[str, dict[int, StoredValue]] = {}
    for v in unpack_values(values) if values else ():
        out.setdefault(v.indicator, {})[v.millesime] = v
    return out


def _shared_values(level: str, code: str) -> dict[str, dict[int, StoredValue]]:
    """The stored values of a department, region or France (read-only: shared by requests)."""

    def compute():
        row = TerritoryValues.objects.filter(level=level, code=code).only("values").first()
        return _by_indicator(row.values if row else None)

    return _reference.get((level, code), compute)


def _territories(commune: Commune) -> dict[str, tuple[str, str]]:
    out = {"COM": (commune.code, commune.nom)}
    if commune.epci_id:
        out["EPCI"] = (commune.epci_id, commune.epci.nom)
    out["DEP"] = (commune.departement_id, commune.departement.nom)
    out["REG"] = (commune.region_id, commune.region.nom)
    out["FR"] = ("FR", "France")
    return out


def territory_values(*, level: str, code: str) -> list[StoredValue]:
    row = TerritoryValues.objects.filter(level=level, code=code).only("values").first()
    return unpack_values(row.values) if row else []


def commune_values_frame(indicator_ids: list[str]) -> pl.DataFrame:
    """``code, indicator, millesime, value`` of every commune for these indicators, decoded
    by polars from the JSON text of the stored rows (bulk readers such as the selection)."""
    rows = TerritoryValues.objects.filter(level="COM").values_list(
        "code", Cast(F("values"), TextField())
    )
    schema = {"code": pl.String, "indicator": pl.String, "millesime": pl.Int32, "value": pl.Float64}
    frame = pl.DataFrame(list(rows), schema={"code": pl.String, "json": pl.String}, orient="row")
    if frame.is_empty():
        return pl.DataFrame(schema=schema)
    dtype = pl.Struct({"i": pl.List(pl.String), "m": pl.List(pl.Int32), "v": pl.List(pl.Float64)})
    return (
        frame.select("code", pl.col("json").str.json_decode(dtype).alias("s"))
        .unnest("s")
        .explode("i", "m", "v")
        .rename({"i": "indicator", "m": "millesime", "v": "value"})
        .filter(pl.col("indicator").is_in(indicator_ids))
        .cast(schema)
    )


PEER_FIELDS = ("id", "code", "type", "nom", "departement_id", "population")
_PEER_COMMUNES = Prepared(
    lambda com, codes: Commune.objects.filter(code__in=codes, type=com).values_list(*PEER_FIELDS),
    sizes=True,
)
# The similar towns with their stored values, in one query (a portrait shows both).
_PEER_COMMUNES_VALUES = Prepared(
    lambda com, level, codes: Commune.objects.filter(code__in=codes, type=com)
    .annotate(
        stored=Subquery(
            TerritoryValues.objects.filter(level=level, code=OuterRef("code")).values("values")[:1]
        )
    )
    .values_list(*PEER_FIELDS, "stored"),
    sizes=True,
)
# The commune's own row and its EPCI's, in one query (prebuilt SQL: selectors_sql).
_OWN_VALUES = Prepared(
    lambda com, code, epci, epci_code: TerritoryValues.objects.filter(
        Q(level=com, code=code) | Q(level=epci, code=epci_code)
    ).values_list("level", "values", "peers")
)
_OWN_VALUES_NO_EPCI = Prepared(
    lambda com, code: TerritoryValues.objects.filter(level=com, code=code).values_list(
        "level", "values", "peers"
    )
)


def similar_communes(*, commune: Commune, peers: dict | None = None) -> list[PeerRow]:
    """The stored similar towns of ``commune`` (``peers``: its row's ``peers`` when the caller
    has it already)."""
    if peers is None:
        row = TerritoryValues.objects.filter(level="COM", code=commune.code).only("peers").first()
        peers = row.peers if row else None
    if not peers:
        return []
    return _peer_rows(peers, _PEER_COMMUNES.run(Commune.Type.COM.value, peers["c"]))


def _similar_with_values(peers: dict | None) -> tuple[list[PeerRow], list[dict]]:
    """The similar towns and the stored values of those found (their rows' ``values``)."""
    if not peers:
        return [], []
    rows = _PEER_COMMUNES_VALUES.run(Commune.Type.COM.value, "COM", peers["c"])
    values = [row[-1] for row in rows if row[-1] is not None]
    return _peer_rows(peers, [row[:-1] for row in rows]), values


def _peer_rows(peers: dict, rows: list[tuple]) -> list[PeerRow]:
    departements = selectors_pages.tables().departements
    communes = {}
    for row in rows:
        commune = Commune.from_db(connection.alias, PEER_FIELDS, row)  # what pages show
        if commune.departement_id in departements:  # else read by the ORM when used
            commune.departement = departements[commune.departement_id]
        communes[commune.code] = commune
    return [
        PeerRow(
            commune=communes[code],
            rank=rank,
            distance=distance,
            reasons=[i for i in (get(x) for x in reasons.split(",") if x) if i],
        )
        for rank, (code, distance, reasons) in enumerate(
            zip(peers["c"], peers["d"], peers["r"], strict=True), start=1
        )
        if code in communes
    ]


def missing_message(indicator: Indicator, build: Build | None) -> str:
    """Why a figure is missing, for the public: never an operator command nor a server path."""
    if build is None:
        return "Non disponible sur cette plateforme : les indicateurs n'y sont pas encore calculés."
    if indicator.id in (build.missing or {}):
        kind = kind_of_source(indicator.source)
        if kind is None:
            return "Non disponible sur cette plateforme : source non chargée."
        if kind.source in (build.datasets or {}):
            lacking = ", ".join(build.missing[indicator.id])
            return (
                f"Non disponible sur cette plateforme : la source chargée ({kind.title}) ne "
                f"fournit pas les données nécessaires ({lacking})."
            )
        return f"Non disponible sur cette plateforme : source non chargée ({kind.title})."
    return "Pas de valeur pour cette commune (donnée absente ou soumise au secret statistique)."


def admin_hint(indicator: Indicator, build: Build | None) -> str:
    """What an administrator runs to fill the gap (shown to staff accounts only)."""
    if build is None:
        return "lancez `pvd indicators build`."
    if indicator.id not in (build.missing or {}):
        return ""
    kind = kind_of_source(indicator.source)
    if kind is None:
        return ""
    return f"importez le fichier avec `{kind.command}`, puis lancez `pvd indicators build`."


def portrait(*, commune: Commune) -> Portrait:
    build, datasets = _build_and_datasets()
    territories = _territories(commune)
    stored: dict[tuple[str, str], dict[int, StoredValue]] = {}
    for level in SHARED_LEVELS:
        for indicator, by_year in _shared_values(level, territories[level][0]).items():
            stored[(level, indicator)] = by_year
    if "EPCI" in territories:
        rows = _OWN_VALUES.run("COM", commune.code, "EPCI", territories["EPCI"][0])
    else:
        rows = _OWN_VALUES_NO_EPCI.run("COM", commune.code)
    own_peers = None
    for level, values, row_peers in rows:
        for indicator, by_year in _by_indicator(values).items():
            stored[(level, indicator)] = by_year
        if level == "COM":
            own_peers = row_peers
    peers, rows = _similar_with_values(own_peers)
    peer_values: dict[tuple[str, int], list[float]] = {}
    for values in rows:
        for i, m, v in zip(values["i"], values["m"], values["v"], strict=True):
            peer_values.setdefault((i, m), []).append(v)
    themes = []
    for theme_id, items in by_theme().items():
        figures = [_figure(ind, stored, peer_values, territories, build, datasets) for ind in items]
        themes.append(Theme(theme_id, THEMES[theme_id], figures, THEMES_TO_COME.get(theme_id, "")))
    key = [f for t in themes for f in t.figures if f.indicator.key_figure and f.available]
    return Portrait(commune, build, themes, key, peers, territories)


def _datasets(build: Build | None) -> dict[str, Dataset]:
    if build is None:
        return {}
    by_key = {d.key: d for d in Dataset.objects.filter(key__in=list(build.datasets.values()))}
    return {source: by_key[key] for source, key in build.datasets.items() if key in by_key}


def _figure(ind, stored, peer_values, territories, build, datasets) -> Figure:
    mine = stored.get(("COM", ind.id), {})
    figure = Figure(indicator=ind, source=datasets.get(ind.source))
    if ind.source == REFERENTIAL_SOURCE:
        figure.source = datasets.get(REFERENTIAL_SOURCE)
    if not mine:
        figure.message = missing_message(ind, build)
        figure.admin_hint = admin_hint(ind, build)
        return figure
    m = max(mine)
    figure.millesime = m
    figure.value = mine[m].value
    figure.text = fmt(figure.value, ind.decimals)
    # A national percentile of a rank within the EPCI would mean nothing.
    figure.percentile = None if ind.unit == "rang" else mine[m].percentile
    figure.series = [(year, mine[year].value) for year in sorted(mine)]
    for level, (_, name) in territories.items():
        if level == "COM" or ind.aggregate == "none":
            continue
        v = stored.get((level, ind.id), {}).get(m)
        label = LEVEL_LABELS[level] + ("" if level == "FR" else f" : {name}")
        text = fmt(v.value if v else None, ind.decimals)
        if v is not None and v.status:
            # Never an estimate shown as if it were INSEE's figure (nor the reverse).
            text += f" ({STATUS_SHORT.get(v.status, v.status)})"
        figure.comparisons.append(
            Comparison(level, label, v.value if v else None, text, v.status if v else None)
        )
    values = peer_values.get((ind.id, m), [])
    if values:
        median = statistics.median(values)
        figure.comparisons.append(
            Comparison(
                "PEERS",
                f"{LEVEL_LABELS['PEERS']} ({len(values)})",
                median,
                fmt(median, ind.decimals),
            )
        )
    return figure


def kinds_loaded() -> dict[str, bool]:
    from pvd.diagnostics.models import SourceTable

    loaded = set(SourceTable.objects.values_list("kind", flat=True))
    return {k: k in loaded for k in KINDS}

"""Learned selection model: a logistic regression fitted on the laureates of a programme,
which scores every commune with a probability and explains it in French.

- :func:`design` turns one row per commune (the selection inputs) into numeric columns grouped
  by *concept* (population, centrality level, types per gamme, role in the EPCI, distance to a
  larger centre, each fragility component, density, rurality, mountain, ACV). A missing value
  stays NaN: at fit time it takes the training mean and an indicator column ``<col>__manquant``
  says it was missing, so a commune without data is never given a zero.
- :func:`fit` standardises the columns on the training rows only and fits an L2 logistic
  regression (scikit-learn); :class:`Fitted` is plain JSON-able data (means, deviations,
  coefficients), so a stored model scores the same way later.
- :func:`explain` gives, for each commune, the contribution of each concept to its log-odds
  relative to the average commune of the training set ("centre intermédiaire : +1.8 ; ...").

Cross-validation (leave-one-region-out) lives in :mod:`pvd.domain.learned_cv`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from pvd.domain.centrality import LEVEL_SHORT, LEVELS
from pvd.domain.numbers import grouped, signed

MISSING = "__manquant"
C_DEFAULT = 1.0


class LearnedModelError(ValueError):
    """The model cannot be fitted or applied (message in French, shown without traceback)."""


# Fragility components' indicators and their French labels (display only).
COMPONENT_LABELS = {
    "population_evolution": "évolution de la population",
    "revenu_median": "revenu médian",
    "taux_pauvrete": "taux de pauvreté",
    "taux_chomage": "taux de chômage",
    "taux_vacance": "taux de logements vacants",
    "part_75_ans_plus": "part des 75 ans et plus",
}
CATEGORICAL = {"densite": "densité", "ruralite": "ruralité"}
CONCEPT_LABELS = {
    "population": "population",
    "centralite": "niveau de centralité",
    "gammes": "types d'équipements par gamme",
    "epci": "rôle dans l'EPCI",
    "distance": "distance au centre plus grand le plus proche",
    "montagne": "commune de montagne",
    "acv": "Action cœur de ville",
    **CATEGORICAL,
    **COMPONENT_LABELS,
}


@dataclass
class Design:
    codes: list[str]
    x: np.ndarray  # (communes, columns), NaN = missing
    columns: list[str]
    concepts: list[str]  # concept of each column
    notes: list[str]  # French: features left out and why


def _num(frame: pl.DataFrame, expr: pl.Expr) -> np.ndarray:
    return frame.select(expr.cast(pl.Float64)).to_series().to_numpy().astype(float)


def _has(frame: pl.DataFrame, col: str) -> bool:
    return col in frame.columns and frame.get_column(col).null_count() < frame.height


def design(frame: pl.DataFrame, fragility: list[str] | None = None) -> Design:
    """``frame``: code, population, niveau, optional n_p/n_i/n_s, rang_epci, part_epci,
    distance_km (to the nearest larger centre), the fragility indicators, densite, ruralite,
    montagne (null = not loaded, "" = not a mountain commune), acv (bool, null = not loaded)."""
    cols: dict[str, tuple[str, np.ndarray]] = {}
    notes: list[str] = []

    def add(name: str, concept: str, values: np.ndarray, missing: bool = True) -> None:
        cols[name] = (concept, values)
        nan = np.isnan(values)
        if missing and nan.any():
            cols[name + MISSING] = (concept, nan.astype(float))

    add("log_population", "population", np.log1p(_num(frame, pl.col("population"))))
    if _has(frame, "niveau"):
        niveau = frame.get_column("niveau")
        for level in LEVELS[1:]:
            v = (niveau == level).cast(pl.Float64).to_numpy().astype(float)
            v[niveau.is_null().to_numpy()] = np.nan
            add(f"niveau_{level}", "centralite", v, missing=level == LEVELS[1])
    else:
        notes.append("niveau de centralité absent")
    if all(_has(frame, c) for c in ("n_p", "n_i", "n_s")):
        for c in ("n_p", "n_i", "n_s"):
            add(c, "gammes", _num(frame, pl.col(c)))
    else:
        notes.append("types d'équipements par gamme non chargés (pvd selection calibrate)")
    if _has(frame, "rang_epci"):
        rank = _num(frame, pl.col("rang_epci"))
        add("log_rang_epci", "epci", np.log(rank))
        add("premier_epci", "epci", np.where(np.isnan(rank), np.nan, (rank == 1).astype(float)))
        add("part_epci", "epci", _num(frame, pl.col("part_epci")))
    if _has(frame, "distance_km"):
        add("log_distance", "distance", np.log1p(_num(frame, pl.col("distance_km"))))
    else:
        notes.append(
            "distance au centre plus grand non calculée : centres des communes non chargés "
            "(pvd data import-geo)"
        )
    for ind in fragility or []:
        if _has(frame, ind):
            add(ind, ind, _num(frame, pl.col(ind)))
    for cat in CATEGORICAL:
        if _has(frame, cat):
            values = frame.get_column(cat)
            for value in sorted(values.drop_nulls().unique().to_list()):
                v = (values == value).cast(pl.Float64).to_numpy().astype(float)
                v[values.is_null().to_numpy()] = np.nan
                add(f"{cat}={value}", cat, v)
        else:
            notes.append(f"{CATEGORICAL[cat]} non chargée (pvd selection import-territoires)")
    if _has(frame, "montagne"):
        m = frame.get_column("montagne")
        v = (m.fill_null("") != "").cast(pl.Float64).to_numpy().astype(float)
        v[m.is_null().to_numpy()] = np.nan
        add("montagne", "montagne", v)
    else:
        notes.append("zone de montagne non chargée (pvd selection import-territoires)")
    if _has(frame, "acv"):
        add("acv", "acv", _num(frame, pl.col("acv")))
    else:
        notes.append("lauréats Action cœur de ville non chargés")
    # A column without variation says nothing (e.g. an indicator never missing).
    keep = {k: v for k, v in cols.items() if not np.isnan(v[1]).all() and np.nanstd(v[1]) > 0}
    names = list(keep)
    x = np.column_stack([keep[n][1] for n in names]) if names else np.empty((frame.height, 0))
    return Design(frame.get_column("code").to_list(), x, names, [keep[n][0] for n in names], notes)


def align(d: Design, columns: list[str]) -> np.ndarray:
    """The design's matrix with exactly ``columns`` (a stored model's): a column the data no
    longer has is missing (NaN, i.e. the training mean); a missing-indicator column absent
    from the data is 0 ("not missing") unless its base column is absent too (then 1)."""
    index = {c: i for i, c in enumerate(d.columns)}
    out = np.full((d.x.shape[0], len(columns)), np.nan)
    for j, c in enumerate(columns):
        if c in index:
            out[:, j] = d.x[:, index[c]]
        elif c.endswith(MISSING):
            out[:, j] = 0.0 if c[: -len(MISSING)] in index else 1.0
    return out


@dataclass
class Fitted:
    columns: list[str]
    concepts: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    c: float
    n_train: int
    n_pos: int

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Fitted:
        return cls(**data)

    def standardise(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.nan_to_num(z, nan=0.0)

    def logit(self, x: np.ndarray) -> np.ndarray:
        return self.standardise(x) @ np.asarray(self.coef) + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x)))


def fit(
    x: np.ndarray, y: np.ndarray, columns: list[str], concepts: list[str], c: float = C_DEFAULT
) -> Fitted:
    """Standardise on the training rows (means and deviations of the known values), fit an L2
    logistic regression. Raises :class:`LearnedModelError` when it cannot be fitted."""
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(y, dtype=bool)
    n_pos = int(y.sum())
    if x.shape[0] < 2 or n_pos == 0 or n_pos == x.shape[0]:
        raise LearnedModelError(
            f"impossible d'ajuster le modèle : {x.shape[0]} communes d'entraînement dont "
            f"{n_pos} lauréates (il faut des lauréates et des non-lauréates)"
        )
    with np.errstate(all="ignore"):
        mean = np.nan_to_num(np.nanmean(x, axis=0)) if x.size else np.zeros(x.shape[1])
        scale = np.nan_to_num(np.nanstd(x, axis=0)) if x.size else np.ones(x.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    z = np.nan_to_num((x - mean) / scale, nan=0.0)
    model = LogisticRegression(C=c, max_iter=2000)
    # One BLAS thread: the multi-threaded products are about 10 times slower here (measured).
    with threadpool_limits(limits=1, user_api="blas"):
        model.fit(z, y)
    return Fitted(
        columns=list(columns),
        concepts=list(concepts),
        mean=[float(v) for v in mean],
        scale=[float(v) for v in scale],
        coef=[float(v) for v in model.coef_[0]],
        intercept=float(model.intercept_[0]),
        c=c,
        n_train=int(x.shape[0]),
        n_pos=n_pos,
    )


def weights(fitted: Fitted) -> list[dict]:
    """Features and their weights (per standard deviation), largest first, for the pages."""
    rows = [
        {"variable": c, "concept": k, "libelle": CONCEPT_LABELS.get(k, k), "poids": w}
        for c, k, w in zip(fitted.columns, fitted.concepts, fitted.coef, strict=True)
    ]
    return sorted(rows, key=lambda r: -abs(r["poids"]))


def contributions(fitted: Fitted, x: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Per concept, the sum of coefficient x standardised value: its contribution to the
    log-odds relative to the average training commune. Returns (concepts, array n x k)."""
    z = fitted.standardise(x) * np.asarray(fitted.coef)
    concepts = list(dict.fromkeys(fitted.concepts))
    idx = {k: [j for j, c in enumerate(fitted.concepts) if c == k] for k in concepts}
    out = np.column_stack([z[:, idx[k]].sum(axis=1) for k in concepts]) if concepts else z
    return concepts, out


def _fmt_int(v: float) -> str:
    return grouped(int(round(v)))


def _ordinal(n: int) -> str:
    return f"{n}{'er' if n == 1 else 'e'}"


def labels(frame: pl.DataFrame, concepts: list[str]) -> dict[str, list[str]]:
    """French description of each commune's value of each concept (same row order)."""
    out: dict[str, list[str]] = {}
    n = frame.height

    def col(name: str) -> list:
        return frame.get_column(name).to_list() if name in frame.columns else [None] * n

    for k in concepts:
        if k == "population":
            out[k] = [
                "population inconnue" if p is None else f"{_fmt_int(p)} habitants"
                for p in col("population")
            ]
        elif k == "centralite":
            out[k] = [LEVEL_SHORT.get(v, "centralité inconnue") for v in col("niveau")]
        elif k == "gammes":
            out[k] = [
                "équipements inconnus"
                if p is None
                else f"{int(p)} types de proximité, {int(i or 0)} intermédiaires, "
                f"{int(s or 0)} supérieurs"
                for p, i, s in zip(col("n_p"), col("n_i"), col("n_s"), strict=True)
            ]
        elif k == "epci":
            out[k] = [
                "hors EPCI"
                if r is None
                else ("1re" if r == 1 else f"{int(r)}e")
                + f" commune de son EPCI ({(s or 0):.0%} de sa population)".replace("%", " %")
                for r, s in zip(col("rang_epci"), col("part_epci"), strict=True)
            ]
        elif k == "distance":
            out[k] = [
                "distance inconnue" if d is None else f"à {d:.0f} km d'un centre plus grand"
                for d in col("distance_km")
            ]
        elif k in CATEGORICAL:
            out[k] = [
                f"{CATEGORICAL[k]} inconnue" if v is None else f"{CATEGORICAL[k]} : {v.strip()}"
                for v in col(k)
            ]
        elif k == "montagne":
            out[k] = [
                "montagne inconnue" if v is None else ("zone de montagne" if v else "hors montagne")
                for v in col("montagne")
            ]
        elif k == "acv":
            out[k] = [
                "ACV inconnu" if v is None else ("lauréate ACV" if v else "non lauréate ACV")
                for v in col("acv")
            ]
        else:  # a fragility indicator: its national percentile
            pct = frame.select(
                (pl.col(k).rank("average") / pl.col(k).count() * 100).ceil().alias("p")
            ).to_series()
            label = COMPONENT_LABELS.get(k, k)
            out[k] = [
                f"{label} inconnu" if p is None else f"{label} au {_ordinal(int(p))} percentile"
                for p in pct.to_list()
            ]
    return out


def explain(
    fitted: Fitted, x: np.ndarray, frame: pl.DataFrame, top: int = 4, floor: float = 0.05
) -> list[str]:
    """One French sentence per commune: its largest contributions, signed, e.g. "centre
    intermédiaire : +1.8 ; 2e commune de son EPCI (31 % de sa population) : +1.2"."""
    concepts, contrib = contributions(fitted, x)
    text = labels(frame, concepts)
    order = np.argsort(-np.abs(contrib), axis=1)[:, :top]
    out = []
    for i in range(x.shape[0]):
        parts = [
            f"{text[concepts[j]][i]} : " + signed(contrib[i, j], 1)
            for j in order[i]
            if abs(contrib[i, j]) >= floor
        ]
        out.append(" ; ".join(parts) if parts else "proche de la commune moyenne")
    return out


def logit_to_proba(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


CENTRE_LEVELS = ("intermediaire", "structurant", "majeur")


def nearest_larger_centre(frame: pl.DataFrame, k: int = 64) -> pl.DataFrame:
    """``frame``: code, lon, lat (WGS84, null = unknown), population, niveau. Returns code,
    distance_km: distance to the nearest commune that is an intermediate (or higher) centre and
    more populous than it (equirectangular projection; null when the commune's centre is
    unknown; the distance to the ``k``-th nearest centre when none of the ``k`` is larger)."""
    from scipy.spatial import cKDTree

    f = frame.filter(pl.col("lon").is_not_null() & pl.col("lat").is_not_null())
    lat = np.radians(f.get_column("lat").to_numpy().astype(float))
    lon = np.radians(f.get_column("lon").to_numpy().astype(float))
    xy = np.column_stack([6371.0 * lon * np.cos(lat), 6371.0 * lat])
    pop = f.get_column("population").fill_null(0).to_numpy().astype(float)
    centre = f.get_column("niveau").is_in(list(CENTRE_LEVELS)).fill_null(False).to_numpy()
    dist = np.full(f.height, np.nan)
    if centre.any() and f.height:
        idx = np.flatnonzero(centre)
        tree = cKDTree(xy[idx])
        kk = min(k, idx.size)
        d, j = tree.query(xy, k=kk)
        d, j = d.reshape(f.height, kk), j.reshape(f.height, kk)
        larger = pop[idx][j] > pop[:, None]
        # No larger centre among the k nearest: at least as far as the k-th (a lower bound).
        first = np.where(larger.any(axis=1), larger.argmax(axis=1), kk - 1)
        dist = d[np.arange(f.height), first]
    return f.select("code").with_columns(pl.Series("distance_km", dist).fill_nan(None))

"""Matching each laureate to comparable non-laureates on their situation *before* the programme.
Pure Python (numpy, polars), no Django.

Method (stated on every page, see :mod:`pvd.domain.outcomes.caveats`)
- Covariates, all measured at or before 2020: log of the legal population of the vintage before
  the start (2019), its rank and share in its EPCI (computed on that same vintage), department or
  arrondissement seat, postal hub, centrality level (the 2020 *Centralités* study when imported,
  else the BPE 2013 reproduction, else the referential's proxy computed on the 2019 population)
  and, when BPE is loaded, the distinct facility types per *gamme* (BPE 2013). The population
  evolution 2019-2023 and the 2021 census indicators are *not* covariates: they are measured
  after the start (the first one is the outcome itself).
- Propensity: a logistic regression (L2-penalised, fitted by iteratively reweighted least
  squares) of being a laureate on the standardised covariates, over the communes covered by the
  loaded laureate lists. Not the stored learned selection model (``pvd.domain.learned``): its
  features include the fragility components, measured after 2020 (census 2021, Filosofi 2021),
  and the population evolution 2019-2023, which is the outcome itself.
- Exact strata: same population band (:data:`BANDS`, on the 2019 population) and same region
  type (mainland France or overseas).
- Nearest neighbours on the logit of the propensity, ``k`` per laureate, **with replacement**: a
  comparable town may serve several laureates. Laureates concentrate on a narrow profile (small
  centres of 2,000 to 10,000 inhabitants); without replacement the matches of the laureates
  processed last get worse and the result depends on the order. The bootstrap resamples the
  laureates together with their matches, which accounts for the reuse.
- Caliper: a match must lie within ``caliper`` standard deviations of the logit (0.2, Austin
  2011); a laureate with no comparable town within it is left out and counted.
- Balance: standardised mean differences of each covariate between laureates and the pool
  before matching, and between the matched laureates and their matches (weighted 1/k) after,
  both over the pooled standard deviation before matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

# Population bands (2019 legal population): (slug, label, lower bound inclusive, upper exclusive).
BANDS: tuple[tuple[str, str, float, float], ...] = (
    ("moins-2000", "moins de 2 000 habitants", 0, 2_000),
    ("2000-5000", "2 000 à 4 999 habitants", 2_000, 5_000),
    ("5000-10000", "5 000 à 9 999 habitants", 5_000, 10_000),
    ("10000-20000", "10 000 à 19 999 habitants", 10_000, 20_000),
    ("20000-plus", "20 000 habitants ou plus", 20_000, float("inf")),
)
BAND_LABELS = {slug: label for slug, label, _, _ in BANDS}
LEVELS = ("local", "intermediaire", "structurant", "majeur")  # non_centre: the reference
COVARIATE_LABELS = {
    "log_population": "population (logarithme)",
    "rang_epci": "rang dans l'EPCI (par population)",
    "part_epci": "part de la population de l'EPCI",
    "chef_lieu": "chef-lieu de département ou d'arrondissement",
    "pole_postal": "pôle postal",
    **{
        f"niveau_{lv}": f"centralité : {lv.replace('intermediaire', 'intermédiaire')}"
        for lv in LEVELS
    },
    "n_p": "types d'équipements de proximité (BPE 2013)",
    "n_i": "types d'équipements intermédiaires (BPE 2013)",
    "n_s": "types d'équipements supérieurs (BPE 2013)",
}
K = 3
CALIPER = 0.2
RIDGE = 1.0


def band_of(population: pl.Expr) -> pl.Expr:
    """The band slug of a population expression (null when the population is missing)."""
    expr = pl.lit(None, pl.String)
    for slug, _, lo, hi in reversed(BANDS):
        expr = pl.when((population >= lo) & (population < hi)).then(pl.lit(slug)).otherwise(expr)
    return expr


def covariates(frame: pl.DataFrame, *, before: int) -> tuple[pl.DataFrame, list[str]]:
    """Adds the covariate columns (see module doc) measured on the ``before`` vintage.

    ``frame``: code, epci, zone, pop_<before>, chef_lieu_dep, chef_lieu_arr, pole_postal,
    niveau (centrality level measured at or before 2020, may be null), optionally n_p, n_i,
    n_s. Returns the frame with ``bande``, ``outre_mer`` and the covariates, and their names."""
    pop = pl.col(f"pop_{before}")
    f = frame.with_columns(
        pl.when(pop > 0).then(pop.cast(pl.Float64).log()).otherwise(None).alias("log_population"),
        pop.rank("ordinal", descending=True).over("epci").cast(pl.Float64).alias("rang_epci"),
        (pop / pop.sum().over("epci")).cast(pl.Float64).alias("part_epci"),
        (pl.col("chef_lieu_dep") | pl.col("chef_lieu_arr")).cast(pl.Float64).alias("chef_lieu"),
        pl.col("pole_postal").cast(pl.Float64),
        band_of(pop).alias("bande"),
        (pl.col("zone") != "metro").alias("outre_mer"),
        *[
            (pl.col("niveau") == lv).cast(pl.Float64).fill_null(0.0).alias(f"niveau_{lv}")
            for lv in LEVELS
        ],
    ).with_columns(
        # No EPCI (a few islands): alone in its area.
        pl.when(pl.col("epci").is_null())
        .then(1.0)
        .otherwise(pl.col("rang_epci").clip(upper_bound=10.0))
        .alias("rang_epci"),
        pl.when(pl.col("epci").is_null())
        .then(1.0)
        .otherwise(pl.col("part_epci"))
        .alias("part_epci"),
    )
    names = ["log_population", "rang_epci", "part_epci", "chef_lieu", "pole_postal"]
    names += [f"niveau_{lv}" for lv in LEVELS if f.get_column(f"niveau_{lv}").sum() > 0]
    names += [
        c
        for c in ("n_p", "n_i", "n_s")
        if c in f.columns and f.get_column(c).null_count() < f.height
    ]
    f = f.with_columns(pl.col(c).cast(pl.Float64) for c in names)
    return f, names


def fit_logit(x: np.ndarray, y: np.ndarray, *, ridge: float = RIDGE, steps: int = 50) -> np.ndarray:
    """L2-penalised logistic regression by IRLS on standardised ``x``; returns the coefficients
    (intercept first). The intercept is not penalised."""
    xs = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(xs.shape[1])
    penalty = np.full(xs.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(steps):
        eta = np.clip(xs @ beta, -30, 30)
        p = 1.0 / (1.0 + np.exp(-eta))
        w = np.maximum(p * (1 - p), 1e-9)
        grad = xs.T @ (y - p) - penalty * beta
        hess = (xs * w[:, None]).T @ xs + np.diag(penalty)
        delta = np.linalg.solve(hess, grad)
        beta += delta
        if np.max(np.abs(delta)) < 1e-8:
            break
    return beta


def propensity_logit(frame: pl.DataFrame, names: list[str], treated: np.ndarray) -> np.ndarray:
    """Logit of the propensity of each row (NaN where a covariate is missing)."""
    x = frame.select(names).to_numpy().astype(float)
    ok = ~np.isnan(x).any(axis=1)
    mean, std = x[ok].mean(axis=0), x[ok].std(axis=0)
    z = (x - mean) / np.where(std > 0, std, 1.0)
    beta = fit_logit(z[ok], treated[ok].astype(float))
    out = np.full(len(x), np.nan)
    out[ok] = beta[0] + z[ok] @ beta[1:]
    return out


@dataclass
class Matching:
    """The matched sample: ``pairs`` (laureate, comparable, weight 1/m, distance on the logit),
    the laureates left out with their reason, the balance table and the design used."""

    pairs: pl.DataFrame
    unmatched: dict[str, str]  # laureate code -> reason (French)
    balance: list[dict]
    covariates: list[str]
    caliper: float  # on the logit scale
    k: int
    replace: bool
    laureates: int  # laureates considered
    pool: int  # non-laureates considered
    logit: pl.DataFrame = field(default_factory=pl.DataFrame)  # code, logit, bande, outre_mer

    @property
    def matched(self) -> int:
        return self.pairs.get_column("laureat").n_unique() if self.pairs.height else 0

    @property
    def comparables(self) -> int:
        return self.pairs.get_column("comparable").n_unique() if self.pairs.height else 0


def _nearest(t: np.ndarray, c: np.ndarray, k: int, caliper: float) -> list[list[tuple[int, float]]]:
    """For each treated logit, up to ``k`` nearest control indexes within the caliper."""
    order = np.argsort(c, kind="stable")
    cs = c[order]
    out = []
    for v in t:
        i = int(np.searchsorted(cs, v))
        lo, hi = max(0, i - k), min(len(cs), i + k)
        cand = [(abs(cs[j] - v), int(order[j])) for j in range(lo, hi)]
        cand = sorted(x for x in cand if x[0] <= caliper)[:k]
        out.append([(j, d) for d, j in cand])
    return out


def match(
    frame: pl.DataFrame,
    names: list[str],
    *,
    k: int = K,
    caliper: float = CALIPER,
    exact: tuple[str, ...] = ("bande", "outre_mer"),
) -> Matching:
    """Match each laureate (``laureat`` True) to ``k`` non-laureates (``laureat`` False) of the
    same ``exact`` strata, nearest on the propensity logit within ``caliper`` × its standard
    deviation, with replacement. Rows with ``laureat`` null (not covered by a loaded list, or
    excluded from the pool) take no part."""
    f = frame.filter(pl.col("laureat").is_not_null())
    treated = f.get_column("laureat").to_numpy().astype(bool)
    unmatched: dict[str, str] = {}
    if treated.sum() == 0 or (~treated).sum() == 0:
        empty = pl.DataFrame(
            schema={
                "laureat": pl.String,
                "comparable": pl.String,
                "poids": pl.Float64,
                "distance": pl.Float64,
            }
        )
        return Matching(
            empty, unmatched, [], names, 0.0, k, True, int(treated.sum()), int((~treated).sum())
        )
    logit = propensity_logit(f, names, treated)
    f = f.with_columns(pl.Series("logit", logit))
    width = caliper * float(np.nanstd(logit))
    pairs: list[tuple[str, str, float, float]] = []
    for row in f.filter(pl.col("laureat") & pl.col("logit").is_nan()).iter_rows(named=True):
        unmatched[row["code"]] = "population ou caractéristiques avant 2020 manquantes"
    ok = f.filter(
        pl.col("logit").is_not_nan() & pl.all_horizontal(pl.col(e).is_not_null() for e in exact)
    )
    for _key, group in ok.group_by(list(exact), maintain_order=True):
        t = group.filter(pl.col("laureat"))
        c = group.filter(~pl.col("laureat"))
        if t.is_empty():
            continue
        t_codes = t.get_column("code").to_list()
        if c.is_empty():
            unmatched.update(
                {code: "aucune ville non lauréate de la même tranche" for code in t_codes}
            )
            continue
        c_codes = c.get_column("code").to_list()
        found = _nearest(
            t.get_column("logit").to_numpy(), c.get_column("logit").to_numpy(), k, width
        )
        for code, matches in zip(t_codes, found, strict=True):
            if not matches:
                unmatched[code] = "aucune ville comparable assez proche (caliper)"
            for j, d in matches:
                pairs.append((code, c_codes[j], 1.0 / len(matches), float(d)))
    out = pl.DataFrame(
        pairs,
        schema={
            "laureat": pl.String,
            "comparable": pl.String,
            "poids": pl.Float64,
            "distance": pl.Float64,
        },
        orient="row",
    )
    m = Matching(
        out,
        unmatched,
        [],
        names,
        width,
        k,
        True,
        int(treated.sum()),
        int((~treated).sum()),
        f.select("code", "logit", "bande", "outre_mer"),
    )
    m.balance = balance(f, out, [*names, "logit"])
    return m


def _smd(mt: float, mc: float, sd: float) -> float | None:
    return None if not np.isfinite(sd) or sd == 0 else float((mt - mc) / sd)


def balance(frame: pl.DataFrame, pairs: pl.DataFrame, names: list[str]) -> list[dict]:
    """Standardised mean differences before and after matching, one dict per covariate."""
    rows = []
    t_all = frame.filter(pl.col("laureat"))
    c_all = frame.filter(~pl.col("laureat"))
    t_m = frame.join(pairs.select(pl.col("laureat").alias("code")).unique(), on="code")
    w = pairs.group_by("comparable").agg(pl.col("poids").sum())
    c_m = frame.join(w.rename({"comparable": "code"}), on="code")
    for name in names:
        xt, xc = (
            t_all.get_column(name).drop_nans().drop_nulls(),
            c_all.get_column(name).drop_nans().drop_nulls(),
        )
        sd = (
            float(np.sqrt((xt.var() + xc.var()) / 2))
            if xt.len() > 1 and xc.len() > 1
            else float("nan")
        )
        before = _smd(float(xt.mean()), float(xc.mean()), sd) if xt.len() and xc.len() else None
        after = None
        mt = t_m.get_column(name).drop_nans().drop_nulls()
        cm = c_m.filter(pl.col(name).is_not_null() & pl.col(name).is_not_nan())
        if mt.len() and cm.height:
            wc = np.average(
                cm.get_column(name).to_numpy(), weights=cm.get_column("poids").to_numpy()
            )
            after = _smd(float(mt.mean()), float(wc), sd)
        rows.append(
            {
                "variable": name,
                "libelle": COVARIATE_LABELS.get(
                    name, "score de propension (logit)" if name == "logit" else name
                ),
                "moyenne_laureats": float(xt.mean()) if xt.len() else None,
                "moyenne_pool": float(xc.mean()) if xc.len() else None,
                "moyenne_comparables": float(wc) if after is not None else None,
                "dms_avant": before,
                "dms_apres": after,
            }
        )
    return rows

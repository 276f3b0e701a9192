"""Evaluation of a selection model against a list of actual laureates.

- ROC AUC of the model's score (Mann-Whitney statistic, ties counted half);
- precision and recall at k, k = number of laureates of the territory evaluated: the k
  communes of highest score are "predicted"; with k equal to the number of laureates,
  precision and recall are equal;
- the same per region and per department (k = that territory's laureates);
- a calibration table: communes grouped by score decile (and, for the rule model, by number of
  criteria met), with the observed share of laureates in each group.

Only territories the laureate list covers are scored: a list that leaves out a region (the
shared list leaves out Auvergne-Rhône-Alpes) must not count that region's communes as negatives.

A learned model (:func:`logistic_cv`) is evaluated only by cross-validation across regions:
each region is scored by a model fitted on the other regions, never on itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl


def roc_auc(score: np.ndarray, label: np.ndarray) -> float | None:
    """Probability that a random laureate scores above a random non-laureate (ties: 1/2)."""
    label = label.astype(bool)
    n_pos, n_neg = int(label.sum()), int((~label).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pl.Series(score).rank("average").to_numpy()
    return float((ranks[label].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def precision_recall_at_k(score: np.ndarray, label: np.ndarray, k: int) -> tuple[float, float]:
    """Top-k by score (ties broken by position, i.e. deterministic order of the input)."""
    label = label.astype(bool)
    if k <= 0:
        return 0.0, 0.0
    order = np.argsort(-score, kind="stable")[:k]
    hits = int(label[order].sum())
    return hits / k, hits / max(int(label.sum()), 1)


@dataclass
class GroupScore:
    code: str
    communes: int
    laureats: int
    auc: float | None
    precision_k: float
    rappel_k: float


@dataclass
class Evaluation:
    communes: int
    laureats: int
    auc: float | None
    precision_k: float
    rappel_k: float
    regions: list[GroupScore] = field(default_factory=list)
    departements: list[GroupScore] = field(default_factory=list)
    calibration: list[dict] = field(default_factory=list)
    laureats_hors_perimetre: int = 0  # laureates not among the scored communes

    def as_dict(self) -> dict:
        return {
            "communes": self.communes,
            "laureats": self.laureats,
            "auc": self.auc,
            "precision_k": self.precision_k,
            "rappel_k": self.rappel_k,
            "laureats_hors_perimetre": self.laureats_hors_perimetre,
            "regions": [g.__dict__ for g in self.regions],
            "departements": [g.__dict__ for g in self.departements],
            "calibration": self.calibration,
        }

    def lines(self) -> list[str]:
        auc = f"{self.auc:.3f}" if self.auc is not None else "—"
        out = [
            f"Évaluation sur {self.communes} communes, {self.laureats} lauréats : "
            f"AUC {auc}, précision à k {self.precision_k:.1%}, rappel à k {self.rappel_k:.1%} "
            f"(k = {self.laureats})"
        ]
        if self.laureats_hors_perimetre:
            out.append(f"  {self.laureats_hors_perimetre} lauréats hors des communes évaluées")
        out.append("  par région : code, communes, lauréats, AUC, précision à k")
        for g in self.regions:
            a = f"{g.auc:.3f}" if g.auc is not None else "—"
            out.append(
                f"    {g.code:>3} {g.communes:>6} {g.laureats:>5} {a:>6} {g.precision_k:>7.1%}"
            )
        out.append("  calibration : groupe, communes, lauréats, part observée")
        for row in self.calibration:
            out.append(
                f"    {row['groupe']:<28} {row['communes']:>6} {row['laureats']:>5} "
                f"{row['part']:>7.1%}"
            )
        return out


def _group(frame: pl.DataFrame, by: str) -> list[GroupScore]:
    out = []
    for (code,), g in frame.sort(by).group_by(by, maintain_order=True):
        s = g.get_column("score").to_numpy()
        y = g.get_column("laureat").to_numpy()
        k = int(y.sum())
        p, r = precision_recall_at_k(s, y, k) if k else (0.0, 0.0)
        out.append(GroupScore(str(code), g.height, k, roc_auc(s, y), p, r))
    return out


def calibration_table(frame: pl.DataFrame, groups: int = 10) -> list[dict]:
    """Score deciles (1 = lowest), and the number of criteria met when present."""
    f = frame.with_columns(
        ((pl.col("score").rank("ordinal") - 1) * groups // pl.len() + 1).alias("_decile")
    )
    rows = []
    for (d,), g in f.sort("_decile").group_by("_decile", maintain_order=True):
        n, k = g.height, int(g.get_column("laureat").sum())
        rows.append(
            {
                "groupe": f"décile de score {d}",
                "communes": n,
                "laureats": k,
                "part": k / n,
                "score_moyen": float(g.get_column("score").mean()),
            }
        )
    if "criteres_ok" in frame.columns:
        for (c,), g in frame.sort("criteres_ok").group_by("criteres_ok", maintain_order=True):
            n, k = g.height, int(g.get_column("laureat").sum())
            rows.append(
                {
                    "groupe": f"{c} critère(s) rempli(s)",
                    "communes": n,
                    "laureats": k,
                    "part": k / n,
                }
            )
    return rows


def evaluate(
    frame: pl.DataFrame,
    laureats: set[str],
    *,
    regions: set[str] | None = None,
    departements: set[str] | None = None,
) -> Evaluation:
    """``frame``: code, reg, dep, score (higher = more likely), optional criteres_ok.
    ``regions`` (and ``departements`` covered alone): what the list covers (default: the
    regions of its laureates). Only communes inside count, as negatives or positives: a
    commune of a region no list covers is not "not selected", it is unknown."""
    covered = (
        regions
        if regions is not None
        else set(
            frame.filter(pl.col("code").is_in(list(laureats))).get_column("reg").unique().to_list()
        )
    )
    inside = pl.col("reg").is_in(list(covered))
    if departements:
        inside = inside | pl.col("dep").is_in(list(departements))
    f = frame.filter(inside).with_columns(pl.col("code").is_in(list(laureats)).alias("laureat"))
    s, y = f.get_column("score").to_numpy(), f.get_column("laureat").to_numpy()
    k = int(y.sum())
    p, r = precision_recall_at_k(s, y, k)
    return Evaluation(
        communes=f.height,
        laureats=k,
        auc=roc_auc(s, y),
        precision_k=p,
        rappel_k=r,
        regions=_group(f, "reg"),
        departements=_group(f, "dep"),
        calibration=calibration_table(f),
        laureats_hors_perimetre=len(laureats) - k,
    )


# --- Learned model, cross-validated across regions ----------------------------------------------
def logistic_cv(frame: pl.DataFrame, features: list[str], laureats: set[str]) -> pl.DataFrame:
    """Leave-one-region-out scores of a logistic model on numeric ``features`` (each region
    scored by a model fitted on the *other* regions; standardised on them, missing values set
    to the training mean plus a missing-indicator column: :mod:`pvd.domain.learned`). A region
    that cannot be scored (its training set has no laureate) is left out, never raises.
    Returns code, reg, dep, score."""
    from pvd.domain.learned import MISSING
    from pvd.domain.learned_cv import cross_validate

    cols, names = [], []
    for c in features:
        a = frame.get_column(c).cast(pl.Float64).to_numpy().astype(float)
        cols.append(a)
        names.append(c)
        if np.isnan(a).any():
            cols.append(np.isnan(a).astype(float))
            names.append(c + MISSING)
    x = np.column_stack(cols) if cols else np.empty((frame.height, 0))
    y = frame.get_column("code").is_in(list(laureats)).to_numpy()
    res = cross_validate(x, y, frame.get_column("reg").to_numpy(), names, names)
    return (
        frame.select("code", "reg", "dep")
        .with_columns(pl.Series("score", res.score))
        .filter(pl.col("score").is_not_nan())
    )

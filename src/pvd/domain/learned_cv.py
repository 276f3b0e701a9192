"""Leak-free evaluation of the learned model (:mod:`pvd.domain.learned`).

- :func:`cross_validate`: leave-one-group-out (a group = a region, or a department): each
  group is scored by a model fitted on the *other* groups only, standardisation included. A
  group whose training rows hold no laureate (or only laureates) is left unscored and said so;
  nothing raises.
- :func:`holdout`: fit on some communes (e.g. the registry without the regions of a file) and
  score others (the file's regions).

Both return scores (NaN = not scored) and French lines saying, for every figure, what the
model was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from pvd.domain.learned import C_DEFAULT, LearnedModelError, fit

GROUP_LABELS = {"reg": "région", "dep": "département"}


@dataclass
class CvResult:
    score: np.ndarray  # probability, NaN where not scored
    folds: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def scored(self) -> np.ndarray:
        return ~np.isnan(self.score)


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    columns: list[str],
    concepts: list[str],
    *,
    by: str = "reg",
    c: float = C_DEFAULT,
    train_mask: np.ndarray | None = None,
) -> CvResult:
    """Leave-one-group-out scores of every row. ``train_mask``: rows allowed in a training set
    (default all: e.g. only the covered regions' communes are negatives)."""
    y = np.asarray(y, dtype=bool)
    groups = np.asarray(groups).astype(str)
    allowed = np.ones(len(y), dtype=bool) if train_mask is None else np.asarray(train_mask)
    score = np.full(len(y), np.nan)
    result = CvResult(score)
    label = GROUP_LABELS.get(by, by)
    distinct = sorted(set(groups[allowed].tolist()))
    if len(distinct) < 2:
        result.notes.append(
            f"validation croisée impossible : les lauréats ne couvrent qu'une {label} "
            f"({', '.join(distinct) or 'aucune'}) ; il faut au moins deux {label}s pour "
            f"évaluer un modèle sur une {label} qu'il n'a pas vue"
        )
        return result
    for g in sorted(set(groups.tolist())):
        test = groups == g
        train = allowed & ~test
        fold = {
            "groupe": g,
            "entrainement": int(train.sum()),
            "laureats_entrainement": int(y[train].sum()),
            "communes": int(test.sum()),
        }
        try:
            model = fit(x[train], y[train], columns, concepts, c)
        except LearnedModelError as exc:
            fold["note"] = str(exc)
            result.notes.append(f"{label} {g} non évaluée : {exc}")
        else:
            score[test] = model.proba(x[test])
        result.folds.append(fold)
    return result


def holdout(
    x: np.ndarray,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    columns: list[str],
    concepts: list[str],
    *,
    c: float = C_DEFAULT,
) -> CvResult:
    """Fit on the ``train`` rows, score the ``test`` rows (the two must not overlap)."""
    train, test = np.asarray(train, bool), np.asarray(test, bool)
    if (train & test).any():
        raise ValueError("entraînement et test se recouvrent")
    score = np.full(len(y), np.nan)
    result = CvResult(score)
    try:
        model = fit(x[train], np.asarray(y)[train], columns, concepts, c)
    except LearnedModelError as exc:
        result.notes.append(str(exc))
        return result
    score[test] = model.proba(x[test])
    result.folds.append(
        {
            "groupe": "test",
            "entrainement": int(train.sum()),
            "laureats_entrainement": int(np.asarray(y, bool)[train].sum()),
            "communes": int(test.sum()),
        }
    )
    return result

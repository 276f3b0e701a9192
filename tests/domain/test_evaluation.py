"""Evaluation metrics on hand-checked values."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pvd.domain.evaluation import evaluate, logistic_cv, precision_recall_at_k, roc_auc


def test_auc_with_ties_and_degenerate_cases():
    assert roc_auc(np.array([1, 2, 3, 4.0]), np.array([0, 0, 1, 1])) == 1.0
    assert roc_auc(np.array([1, 1, 1, 1.0]), np.array([0, 0, 1, 1])) == 0.5
    # pairs (pos, neg): (3 vs 1) win, (3 vs 4) loss, (2 vs 1) win, (2 vs 4) loss -> 0.5
    assert roc_auc(np.array([1, 3, 2, 4.0]), np.array([0, 1, 1, 0])) == 0.5
    assert roc_auc(np.array([1.0, 2.0]), np.array([1, 1])) is None


def test_precision_recall_at_k():
    s = np.array([0.9, 0.8, 0.7, 0.1])
    y = np.array([1, 0, 1, 0])
    assert precision_recall_at_k(s, y, 2) == (0.5, 0.5)
    assert precision_recall_at_k(s, y, 3) == (pytest.approx(2 / 3), 1.0)


def test_evaluate_only_covered_regions_and_groups():
    frame = pl.DataFrame(
        {
            "code": ["a", "b", "c", "d", "e", "f"],
            "reg": ["11", "11", "11", "24", "24", "84"],
            "dep": ["75", "77", "77", "18", "18", "01"],
            "score": [3.0, 2.0, 1.0, 5.0, 4.0, 9.0],
        }
    )
    ev = evaluate(frame, {"a", "e", "zzz"})
    assert ev.communes == 5  # region 84 not covered by the list: not a negative
    assert ev.laureats == 2 and ev.laureats_hors_perimetre == 1
    # top 2 = d (5), e (4): one hit.
    assert ev.precision_k == 0.5 and ev.rappel_k == 0.5
    regions = {g.code: g for g in ev.regions}
    assert regions["11"].precision_k == 1.0 and regions["24"].auc == 0.0
    assert sum(r["communes"] for r in ev.calibration) == 5


def test_logistic_cv_never_scores_a_region_with_its_own_labels():
    rng = np.random.default_rng(0)
    n = 600
    x = rng.normal(size=n)
    regs = np.repeat(["11", "24", "27"], n // 3)
    y = (x + rng.normal(scale=0.5, size=n)) > 1
    codes = [f"{i:05d}" for i in range(n)]
    frame = pl.DataFrame({"code": codes, "reg": regs, "dep": regs, "x": x})
    laureats = {c for c, v in zip(codes, y, strict=True) if v}
    scores = logistic_cv(frame, ["x"], laureats)
    assert scores.height == n
    ev = evaluate(scores, laureats)
    assert ev.auc > 0.8
    # Flipping the labels of one region changes no score of that region.
    flipped = laureats ^ {c for c, r in zip(codes, regs, strict=True) if r == "27"}
    again = logistic_cv(frame, ["x"], flipped)
    a = scores.filter(pl.col("reg") == "27").get_column("score").to_numpy()
    b = again.filter(pl.col("reg") == "27").get_column("score").to_numpy()
    assert np.allclose(a, b)

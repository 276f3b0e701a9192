"""Similar towns (*communes similaires*): for each commune, the K communes closest to it on a
documented set of indicators, among communes of comparable population. Pure Python (numpy,
polars), no Django.

Method
- Features: the indicators flagged ``peer_feature`` in the catalogue (population evolution,
  density, vacancy, second homes, unemployment, median income, share aged 75+, facilities per
  1,000 inhabitants), each at its latest millésime, when built. Density is taken as its
  logarithm (it spans five orders of magnitude).
- Each feature is standardised over all communes (z-score: (x − mean) / standard deviation).
- Population band: a candidate's latest population lies between the commune's divided by
  ``BAND`` and multiplied by it (1.25: 2,000 inhabitants → 1,600 to 2,500), and, where that band
  holds more communes (the many villages of a few hundred inhabitants), only the
  ``MAX_CANDIDATES`` communes closest in population are candidates.
- Distance: root mean square of the z-score differences over the features both communes have
  (secret or missing figures are skipped, not imputed); a candidate must share at least
  ``MIN_COMMON`` features (or all of the commune's, if it has fewer).
- Reasons: the ``REASONS`` features on which the two communes are closest.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from pvd.domain.indicators.catalogue import indicators

K = 10
BAND = 1.25
MAX_CANDIDATES = 2000
MIN_COMMON = 3
REASONS = 3
LOG_FEATURES = {"densite"}


def feature_ids() -> list[str]:
    return [ind.id for ind in indicators() if ind.peer_feature]


def feature_matrix(values: pl.DataFrame) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """(codes, features, z matrix with NaN for missing, latest population) from built values."""
    com = values.filter(pl.col("level") == "COM")
    pop = (
        com.filter(pl.col("indicator") == "population")
        .sort("millesime")
        .group_by("code")
        .last()
        .select("code", pl.col("value").alias("_pop"))
    )
    feats = [f for f in feature_ids() if f in set(com.get_column("indicator").unique())]
    latest = (
        com.filter(pl.col("indicator").is_in(feats))
        .sort("millesime")
        .group_by("code", "indicator")
        .last()
        .with_columns(
            pl.when(pl.col("indicator").is_in(list(LOG_FEATURES)))
            .then(pl.col("value").clip(lower_bound=0).log1p())
            .otherwise(pl.col("value"))
            .alias("value")
        )
    )
    wide = pop.sort("code")
    if feats:
        wide = wide.join(
            latest.pivot(on="indicator", index="code", values="value"), on="code", how="left"
        )
    for f in feats:
        if f not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(f))
    x = wide.select(feats).to_numpy().astype(float) if feats else np.zeros((wide.height, 0))
    mean = np.nanmean(x, axis=0) if feats else x
    std = np.nanstd(x, axis=0) if feats else x
    z = (x - mean) / np.where(std > 0, std, 1.0) if feats else x
    return wide.get_column("code").to_list(), feats, z, wide.get_column("_pop").to_numpy()


def similar_communes(values: pl.DataFrame, *, k: int = K, block: int = 256) -> pl.DataFrame:
    # Thousands of small products (256 × 8 by 8 × 2,000): BLAS threads cost far more than they
    # bring (measured 20 times slower on 2 cores), so one thread.
    with threadpool_limits(limits=1, user_api="blas"):
        return _similar_communes(values, k=k, block=block)


def _similar_communes(values: pl.DataFrame, *, k: int, block: int) -> pl.DataFrame:
    """``commune, rank, peer, distance, reasons`` (comma-separated indicator ids) for every commune.

    Vectorised by blocks of communes sorted by population: for a block, every candidate of the
    union of their bands is scored at once with matrix products (sum over common features of
    (a − b)² = Σ a²·[b] + Σ [a]·b² − 2 Σ a·b, with missing values zeroed and masked), then
    candidates outside each commune's own band are excluded.
    """
    codes, feats, z, pop = feature_matrix(values)
    if not feats or not codes:
        return pl.DataFrame({c: [] for c in _SCHEMA}, schema=_SCHEMA)
    order = np.argsort(np.nan_to_num(pop, nan=0.0), kind="stable")
    pop_s = np.nan_to_num(pop[order], nan=0.0)
    present = ~np.isnan(z[order])
    zz = np.where(present, z[order], 0.0).astype(np.float32)
    m = present.astype(np.float32)
    sq = zz**2
    n_feat = present.sum(axis=1)
    need = np.minimum(MIN_COMMON, n_feat)
    rows_i, rows_j, rows_d = [], [], []
    n = len(codes)
    # Each commune's band, as a contiguous range of the population-sorted order.
    band_lo = np.searchsorted(pop_s, pop_s / BAND, side="left")
    band_hi = np.searchsorted(pop_s, pop_s * BAND, side="right")
    rank = np.arange(len(pop_s))
    band_lo = np.maximum(band_lo, rank - MAX_CANDIDATES // 2)
    band_hi = np.minimum(band_hi, rank + MAX_CANDIDATES // 2 + 1)
    for b0 in range(0, n, block):
        b1 = min(n, b0 + block)
        lo, hi = int(band_lo[b0:b1].min()), int(band_hi[b0:b1].max())
        a, c = slice(b0, b1), slice(lo, hi)
        common = m[a] @ m[c].T
        ssd = sq[a] @ m[c].T + m[a] @ sq[c].T - 2 * (zz[a] @ zz[c].T)
        cols = np.arange(lo, hi)[None, :]
        rows = np.arange(b0, b1)[:, None]
        bad = (
            (cols < band_lo[a][:, None])
            | (cols >= band_hi[a][:, None])
            | (cols == rows)
            | (common < need[a][:, None])
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            d2 = np.maximum(ssd, 0) / common
        d2[bad] = np.inf
        d2[(pop_s[a] <= 0) | (n_feat[a] == 0)] = np.inf
        take = min(k, d2.shape[1])
        if take == 0:
            continue
        if take < d2.shape[1]:
            part = np.argpartition(d2, take - 1, axis=1)[:, :take]
        else:
            part = np.tile(np.arange(d2.shape[1]), (b1 - b0, 1))
        part_d = np.take_along_axis(d2, part, axis=1)
        srt = np.argsort(part_d, axis=1, kind="stable")
        part = np.take_along_axis(part, srt, axis=1)
        part_d = np.take_along_axis(part_d, srt, axis=1)
        ok = np.isfinite(part_d)
        rows_i.append(np.repeat(np.arange(b0, b1)[:, None], take, axis=1)[ok])
        rows_j.append((part + lo)[ok])
        rows_d.append(np.sqrt(part_d[ok].astype(np.float64)))
    if not rows_i:
        return pl.DataFrame({c: [] for c in _SCHEMA}, schema=_SCHEMA)
    ii, jj, dd = np.concatenate(rows_i), np.concatenate(rows_j), np.concatenate(rows_d)
    # Reasons: the features with the smallest gaps for each pair.
    both = present[ii] & present[jj]
    gaps = np.where(both, np.abs(zz[ii] - zz[jj]), np.inf)
    closest = np.argsort(gaps, axis=1, kind="stable")[:, :REASONS]
    finite = np.isfinite(np.take_along_axis(gaps, closest, axis=1))
    feat_names = np.array(feats, dtype=object)
    names = np.where(finite, feat_names[closest], "")
    codes_s = np.array(codes, dtype=object)[order]
    frame = pl.DataFrame(
        {
            "commune": codes_s[ii].tolist(),
            "peer": codes_s[jj].tolist(),
            "distance": dd.tolist(),
            **{f"_r{r}": names[:, r].tolist() for r in range(names.shape[1])},
        }
    ).with_columns(
        pl.concat_str([f"_r{r}" for r in range(names.shape[1])], separator=",")
        .str.strip_chars(",")
        .alias("reasons")
    )
    frame = frame.sort("commune", "distance", "peer").with_columns(
        pl.col("distance").rank("ordinal").over("commune").cast(pl.Int16).alias("rank")
    )
    return frame.select(list(_SCHEMA)).cast(_SCHEMA)


_SCHEMA = {
    "commune": pl.String,
    "rank": pl.Int16,
    "peer": pl.String,
    "distance": pl.Float64,
    "reasons": pl.String,  # comma-separated indicator ids
}

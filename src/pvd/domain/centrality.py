"""Centrality of communes: the method of the 2020 "Centralités" study, and a proxy without BPE.

The study (ANCT with INRAE-CESAER Dijon, 2020, BPE 2017) describes every commune of mainland
France by the presence or absence of facility types of the INSEE *Base permanente des
équipements* and sorts them into five classes: non-centres and four levels of centres, with
published counts 7,010 local (proximity) centres, 2,880 intermediate, 742 structuring and
142 major ones (34,841 communes, 2017 geography).

What this module does (a reproduction, not the study's exact algorithm, which clusters
185 types):

1. Each BPE type belongs to one INSEE *gamme* (``GAMMES`` below: proximité, intermédiaire,
   supérieure — our reading of the INSEE lists of 2013-2017 for the 180 types of BPE 2013; an
   INSEE gamme file can replace it).
2. For each commune, ``n_p``, ``n_i``, ``n_s`` = number of *distinct* types of each gamme
   present (at least one facility), whatever their number.
3. Levels, from the top: major if ``n_s >= major.a`` and ``n_i >= major.b``; structuring if
   ``n_s >= structurant.a`` and ``n_i >= structurant.b``; intermediate if ``n_i >=
   intermediaire.a`` and ``n_p >= intermediaire.b``; local if ``n_p >= local.a`` and ``n_i >=
   local.b``; otherwise non-centre.
4. :func:`calibrate` fits the (a, b) pairs, top level first, so that the number of communes of
   each level on a national BPE file is as close as possible to the published counts
   (``TARGETS``); :data:`DEFAULT_THRESHOLDS` are those it finds on BPE 2013 re-based onto the
   2026 geography (mainland France).

Without BPE, :func:`pvd.domain.centrality_proxy.proxy_levels` gives a *proxy* from the referential only (population, rank
and share within the EPCI, seat of a department or an arrondissement, postal hub); it must be
labelled as such wherever it is shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

from pvd.domain.centrality_levels import (  # noqa: F401  (the levels are named here too)
    LEVEL_LABELS,
    LEVEL_RANK,
    LEVEL_SHORT,
    LEVELS,
)

# Published counts of the 2020 study (mainland France, BPE 2017, 2017 geography).
TARGETS = {"majeur": 142, "structurant": 742, "intermediaire": 2880, "local": 7010}
TOLERANCE = 0.05

# TYPEQU -> gamme ("P" proximité, "I" intermédiaire, "S" supérieure), BPE 2013 types.
# Our reading of the INSEE gamme lists (2013-2017); types INSEE leaves out of the gammes
# (RPI classes, some social services, passenger stations...) are left out here too.
_P = (
    "A206 A207 A208 A401 A402 A403 A404 A405 A406 A501 A504 A505 A507 B202 B203 B204 B312 "
    "C101 C102 C104 C105 D201 D221 D232 D233 D301 E101 F102 F103 F111 F113 G102"
)
_I = (
    "A101 A104 A119 A203 A205 A301 A302 A303 A304 A502 A506 B102 B103 B201 B302 B303 B304 "
    "B305 B306 B307 B308 B309 B310 B311 B313 B314 C201 D235 D237 D302 D303 D401 D402 D403 "
    "D501 F101 F106 F107 F109 F112 F114 F116 F203 G103 G104"
)
_S = (
    "A105 A106 A107 A108 A109 A110 A115 A121 A503 B101 B205 B206 B301 C301 C302 C303 C304 "
    "C305 C401 C402 C501 C502 C503 C701 C702 D101 D102 D103 D104 D105 D106 D107 D108 D109 "
    "D110 D111 D112 D202 D203 D204 D205 D206 D207 D208 D209 D210 D211 D212 D213 D231 D236 "
    "D238 D304 D601 D602 D603 D604 D605 E102 E103 F110 F301 F302 G101"
)
GAMMES: dict[str, str] = {
    **{t: "P" for t in _P.split()},
    **{t: "I" for t in _I.split()},
    **{t: "S" for t in _S.split()},
}
GAMME_LABELS = {"P": "proximité", "I": "intermédiaire", "S": "supérieure"}


@dataclass(frozen=True)
class Rule:
    """Minimum numbers of distinct types: ``a`` of the level's main gamme, ``b`` of the other
    gamme named in :data:`RULE_GAMMES`."""

    a: int
    b: int


# Level -> (main gamme, secondary gamme) that its Rule counts.
RULE_GAMMES = {
    "majeur": ("S", "I"),
    "structurant": ("S", "I"),
    "intermediaire": ("I", "P"),
    "local": ("P", "I"),
}

# Fitted by `calibrate` on the shared BPE 2013 re-based onto COG 2026, mainland France
# (34,836 communes): 142 major, 742 structuring, 2,880 intermediate, 6,992 local (see
# bench/RESULTS.md and tests/selection/test_shared_data.py).
DEFAULT_THRESHOLDS: dict[str, Rule] = {
    "majeur": Rule(45, 39),
    "structurant": Rule(16, 29),
    "intermediaire": Rule(13, 24),
    "local": Rule(8, 4),
}


def thresholds_as_dict(thresholds: dict[str, Rule]) -> dict[str, dict[str, int]]:
    return {k: asdict(v) for k, v in thresholds.items()}


def thresholds_from_dict(data: dict) -> dict[str, Rule]:
    return {k: Rule(int(v["a"]), int(v["b"])) for k, v in data.items()}


def gamme_counts(presence: pl.DataFrame, gammes: dict[str, str] | None = None) -> pl.DataFrame:
    """``presence``: (code, typequ, count) rows. Returns (code, n_p, n_i, n_s): distinct types
    of each gamme with at least one facility. Types outside the gammes are ignored."""
    g = gammes or GAMMES
    table = pl.DataFrame({"typequ": list(g), "gamme": list(g.values())})
    counts = (
        presence.filter(pl.col("count") > 0)
        .select("code", "typequ")
        .unique()
        .join(table, on="typequ")
        .group_by("code")
        .agg(
            (pl.col("gamme") == "P").sum().alias("n_p"),
            (pl.col("gamme") == "I").sum().alias("n_i"),
            (pl.col("gamme") == "S").sum().alias("n_s"),
        )
    )
    # Communes of the file with no type of any gamme present: zeros, not absent.
    every = presence.select("code").unique()
    counts = every.join(counts, on="code", how="left").with_columns(
        pl.col("n_p", "n_i", "n_s").fill_null(0)
    )
    return counts.with_columns(pl.col("n_p", "n_i", "n_s").cast(pl.Int32))


def _columns(level: str) -> tuple[str, str]:
    main, other = RULE_GAMMES[level]
    return f"n_{main.lower()}", f"n_{other.lower()}"


def assign_levels(counts: pl.DataFrame, thresholds: dict[str, Rule] | None = None) -> pl.DataFrame:
    """Adds ``niveau`` (a key of LEVELS) to a frame with n_p, n_i, n_s."""
    th = thresholds or DEFAULT_THRESHOLDS
    expr = pl.lit("non_centre")
    for level in ("local", "intermediaire", "structurant", "majeur"):
        main, other = _columns(level)
        rule = th[level]
        expr = (
            pl.when((pl.col(main) >= rule.a) & (pl.col(other) >= rule.b))
            .then(pl.lit(level))
            .otherwise(expr)
        )
    return counts.with_columns(expr.alias("niveau"))


@dataclass
class Calibration:
    thresholds: dict[str, Rule]
    counts: dict[str, int]  # level -> communes
    targets: dict[str, int]
    communes: int

    def gaps(self) -> dict[str, float]:
        return {k: self.counts[k] / t - 1 for k, t in self.targets.items()}

    @property
    def within_tolerance(self) -> bool:
        return all(abs(g) <= TOLERANCE for g in self.gaps().values())

    def lines(self) -> list[str]:
        out = [f"Calibrage sur {self.communes} communes :"]
        for level in ("majeur", "structurant", "intermediaire", "local"):
            r = self.thresholds[level]
            main, other = RULE_GAMMES[level]
            out.append(
                f"  {LEVEL_SHORT[level]:22} {self.counts[level]:>6} communes "
                f"(publié : {self.targets[level]}, écart {self.gaps()[level]:+.1%}) — "
                f"au moins {r.a} types de la gamme {GAMME_LABELS[main]} et {r.b} de la gamme "
                f"{GAMME_LABELS[other]}"
            )
        out.append(f"  {'non centre':22} {self.counts['non_centre']:>6} communes")
        return out


def calibrate(
    counts: pl.DataFrame, targets: dict[str, int] | None = None, max_types: int = 70
) -> Calibration:
    """Fit the (a, b) thresholds top-down: for each level, among communes not already in a
    higher level, the pair whose count is closest to the target (ties: the largest ``b``,
    then the largest ``a``, i.e. the most demanding rule)."""
    targets = targets or TARGETS
    import numpy as np  # here only: a run imports this module for its levels, not numpy

    remaining = np.ones(counts.height, dtype=bool)
    cols = {c: counts.get_column(c).to_numpy() for c in ("n_p", "n_i", "n_s")}
    thresholds: dict[str, Rule] = {}
    for level in ("majeur", "structurant", "intermediaire", "local"):
        main, other = _columns(level)
        x, y = cols[main][remaining], cols[other][remaining]
        # 2-D histogram -> count of communes with x >= a and y >= b for every (a, b).
        hist = np.zeros((max_types + 2, max_types + 2), dtype=np.int64)
        np.add.at(hist, (np.minimum(x, max_types + 1), np.minimum(y, max_types + 1)), 1)
        cum = hist[::-1, ::-1].cumsum(0).cumsum(1)[::-1, ::-1]
        gap = np.abs(cum[1:, :] - targets[level])  # a >= 1
        best = None
        for a in range(gap.shape[0]):
            for b in range(gap.shape[1]):
                key = (gap[a, b], -b, -a)
                if best is None or key < best[0]:
                    best = (key, a + 1, b)
        assert best is not None
        rule = Rule(best[1], best[2])
        thresholds[level] = rule
        chosen = (cols[main] >= rule.a) & (cols[other] >= rule.b) & remaining
        remaining &= ~chosen
    levels = assign_levels(counts, thresholds).get_column("niveau").value_counts()
    got = dict.fromkeys(LEVELS, 0) | dict(levels.iter_rows())
    return Calibration(
        thresholds=thresholds, counts=got, targets=dict(targets), communes=counts.height
    )


# Official classification file (Observatoire des territoires): label -> level key.
OFFICIAL_LABELS = {
    "communes non centre": "non_centre",
    "centre local d'équipements et de services": "local",
    "centre intermédiaire d'équipements et de services": "intermediaire",
    "centre structurant d'équipements et de services": "structurant",
    "centre majeur d'équipements et de services": "majeur",
}


def official_level(label: str) -> str | None:
    """Level key of a label of the official file; None for " - undefined" and unknown."""
    text = (label or "").strip().lower().replace("’", "'")
    if text in OFFICIAL_LABELS:
        return OFFICIAL_LABELS[text]
    for prefix, key in (
        ("communes non centre", "non_centre"),
        ("centre local", "local"),
        ("centre interm", "intermediaire"),
        ("centre structurant", "structurant"),
        ("centre majeur", "majeur"),
    ):
        if text.startswith(prefix):
            return key
    return None


@dataclass
class Agreement:
    """Confusion matrix: rows = official level, columns = computed level."""

    matrix: dict[str, dict[str, int]]
    compared: int
    only_official: int  # communes of the official file without a computed level
    only_computed: int

    @property
    def exact(self) -> float:
        ok = sum(self.matrix[k][k] for k in LEVELS)
        return ok / self.compared if self.compared else 0.0

    @property
    def within_one(self) -> float:
        ok = sum(
            self.matrix[r][c]
            for r in LEVELS
            for c in LEVELS
            if abs(LEVEL_RANK[r] - LEVEL_RANK[c]) <= 1
        )
        return ok / self.compared if self.compared else 0.0

    def kappa(self) -> float:
        """Cohen's kappa (unweighted)."""
        n = self.compared
        if not n:
            return 0.0
        po = self.exact
        pe = sum(
            sum(self.matrix[k].values()) * sum(self.matrix[r][k] for r in LEVELS) for k in LEVELS
        ) / (n * n)
        return (po - pe) / (1 - pe) if pe < 1 else 1.0

    def lines(self) -> list[str]:
        short = ["non c.", "local", "interm.", "struct.", "majeur"]
        out = [
            f"Accord avec la classification officielle sur {self.compared} communes : "
            f"{self.exact:.1%} identiques, {self.within_one:.1%} à un niveau près, "
            f"kappa {self.kappa():.2f}",
            "  officiel \\ calculé " + "".join(f"{s:>9}" for s in short) + "    total",
        ]
        for r, label in zip(LEVELS, short, strict=True):
            row = self.matrix[r]
            out.append(
                f"  {label:19}"
                + "".join(f"{row[c]:>9}" for c in LEVELS)
                + f"{sum(row.values()):>9}"
            )
        if self.only_official or self.only_computed:
            out.append(
                f"  non comparées : {self.only_official} seulement dans le fichier officiel, "
                f"{self.only_computed} seulement calculées"
            )
        return out


def agreement(computed: pl.DataFrame, official: pl.DataFrame) -> Agreement:
    """``computed`` and ``official``: (code, niveau) frames; official niveau may be null
    (undefined), such rows are not compared."""
    off = official.filter(pl.col("niveau").is_not_null())
    both = off.join(computed.select("code", pl.col("niveau").alias("calc")), on="code")
    matrix = {r: dict.fromkeys(LEVELS, 0) for r in LEVELS}
    for r, c, n in both.group_by("niveau", "calc").len().iter_rows():
        matrix[r][c] = n
    return Agreement(
        matrix=matrix,
        compared=both.height,
        only_official=off.height - both.height,
        only_computed=computed.join(off, on="code", how="anti").height,
    )

"""Reads of the learned scenario ("appris"): its inputs (the selection inputs plus the
typologies, ACV status and distance to a larger centre), scoring every commune with the
stored model, and leak-free evaluations (leave-one-region-out, or fit on the registry without
the regions of a file and test on the file). Pure computations: :mod:`pvd.domain.learned`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pvd.caching import ProcessMemo
from pvd.domain import centrality_source as csource
from pvd.domain import evaluation as vdomain
from pvd.domain import learned as ldomain
from pvd.domain import learned_cv
from pvd.domain.numbers import grouped
from pvd.selection import selectors
from pvd.selection.models import ModeleAppris, Typologie
from pvd.selection.scenarios import (  # noqa: F401  (current_model: read here by views, API)
    LEARNED_NOM,
    LEARNED_SLUG,
    current_model,
)
from pvd.selection.stored_frames import frame_of

SLUG = LEARNED_SLUG
NOM = LEARNED_NOM
# The inputs, per process, read again when what they are built from changed (``_version``).
_inputs: ProcessMemo[LearnedInputs] = ProcessMemo("learned-inputs", size=1, versioned=False)


@dataclass
class LearnedInputs:
    frame: pl.DataFrame  # one row per commune: selection inputs + niveau + extras
    fragility: list[str]  # fragility indicator columns available
    centralite_source: str  # main source of "niveau"
    notes: list[str] = field(default_factory=list)


def _version() -> tuple:
    from pvd.programme.models import Laureat
    from pvd.territories.models import GeoFeature

    return (
        selectors._version(),
        tuple(Typologie.objects.order_by("kind").values_list("kind", "updated_at")),
        Laureat.objects.filter(programme__slug="acv").count(),
        GeoFeature.objects.filter(level="commune").count(),
    )


def _centres() -> pl.DataFrame:
    from pvd.territories.models import GeoFeature

    rows = GeoFeature.objects.filter(level="commune").values_list("code", "geometry")
    pts = [
        (c, g["coordinates"][0], g["coordinates"][1])
        for c, g in rows
        if isinstance(g, dict) and g.get("type") == "Point"
    ]
    return pl.DataFrame(
        pts, schema={"code": pl.String, "lon": pl.Float64, "lat": pl.Float64}, orient="row"
    )


def _build(data: selectors.Inputs) -> LearnedInputs:
    frame, main = csource.resolve_centrality(
        data.frame, csource.CENTRALITE_AUTO, data.centralite_sources
    )
    notes = []
    for row in Typologie.objects.all():
        values = frame_of(row).select("code", pl.col("valeur").alias(row.kind))
        frame = frame.join(values, on="code", how="left")
        if row.kind == Typologie.Kind.MONTAGNE:
            # The file lists the mountain communes only: the others are not mountain communes.
            frame = frame.with_columns(pl.col("montagne").fill_null(""))
    acv = selectors.laureate_codes(programme="acv")
    if acv:
        frame = frame.with_columns(pl.col("code").is_in(list(acv)).alias("acv"))
    centres = _centres()
    if centres.height:
        located = frame.select("code", "population", "niveau").join(centres, on="code", how="left")
        frame = frame.join(ldomain.nearest_larger_centre(located), on="code", how="left")
    return LearnedInputs(frame, list(data.fragility_indicators), main, notes)


def learned_inputs(data: selectors.Inputs | None = None) -> LearnedInputs:
    """The learned model's inputs (cached per process unless ``data`` is given)."""
    if data is not None:
        return _build(data)
    return _inputs.get("inputs", lambda: _build(selectors.inputs()), token=_version())


def score(
    *,
    model: ModeleAppris,
    region: str | None = None,
    departement: str | None = None,
    inputs: LearnedInputs | None = None,
) -> pl.DataFrame:
    """Every commune scored by a stored model: probabilite, rang_dep (by probability in its
    department), laureat (current laureate of the model's programme; null where no loaded list covers the
    commune), explication."""
    li = inputs or learned_inputs()
    fitted = ldomain.Fitted.from_dict(model.modele)
    d = ldomain.design(li.frame, li.fragility)
    x = ldomain.align(d, fitted.columns)
    out = li.frame.with_columns(
        pl.Series("probabilite", fitted.proba(x)),
        pl.Series("explication", ldomain.explain(fitted, x, li.frame), dtype=pl.String),
    )
    # Laureate status only where a loaded list covers the commune: elsewhere unknown (null).
    out = selectors.with_laureate_status(out, programme=model.programme).with_columns(
        pl.col("probabilite")
        .rank("ordinal", descending=True)
        .over("dep")
        .cast(pl.Int32)
        .alias("rang_dep")
    )
    if region:
        out = out.filter(pl.col("reg") == region)
    if departement:
        out = out.filter(pl.col("dep") == departement)
    return out.sort("dep", "rang_dep")


EXPORT_COLUMNS = [
    "code", "nom", "dep", "reg", "population", "niveau", "centralite_source",
    "probabilite", "rang_dep", "laureat", "explication",
]  # fmt: skip


@dataclass
class LearnedEvaluation:
    evaluation: vdomain.Evaluation | None
    method: str  # French: how the scores were obtained, on what training set
    notes: list[str] = field(default_factory=list)
    folds: list[dict] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [self.method]
        if self.evaluation is not None:
            out += self.evaluation.lines()
        out += [f"  note : {n}" for n in self.notes]
        return out

    def as_dict(self) -> dict:
        return {
            "methode": self.method,
            "evaluation": self.evaluation.as_dict() if self.evaluation else None,
            "notes": self.notes,
            "plis": self.folds,
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def _n(v: int) -> str:
    return grouped(v)


def _evaluate_scores(frame, score, labels, covered) -> vdomain.Evaluation | None:
    scored = frame.with_columns(pl.Series("score", score)).filter(pl.col("score").is_not_nan())
    if scored.is_empty():
        return None
    return vdomain.evaluate(scored.select("code", "reg", "dep", "score"), labels, regions=covered)


def evaluate_learned(
    *,
    laureats: set[str],
    regions: set[str] | None = None,
    by: str = "reg",
    registry: set[str] | None = None,
    registry_regions: set[str] | None = None,
    inputs: LearnedInputs | None = None,
) -> LearnedEvaluation:
    """Leak-free evaluation, never raising on the list's shape.

    - ``registry`` None: leave-one-``by``-out on ``laureats`` (covered ``regions``, default
      the laureates' regions): every region (department) scored by a model fitted on the
      others;
    - ``registry`` given (a file is evaluated): fit on the registry's covered regions minus the
      file's, test on the file's regions; when the registry has nothing outside them, fall back
      to leave-one-``by``-out on the file."""
    li = inputs or learned_inputs()
    frame = li.frame
    d = ldomain.design(frame, li.fragility)
    codes = frame.get_column("code")
    reg = frame.get_column("reg").to_numpy().astype(str)
    covered = regions or set(frame.filter(codes.is_in(list(laureats))).get_column("reg").to_list())
    if not laureats or not covered:
        return LearnedEvaluation(None, "Aucun lauréat parmi les communes du référentiel.")
    if registry:
        train_regions = (
            registry_regions
            or set(frame.filter(codes.is_in(list(registry))).get_column("reg").to_list())
        ) - covered
        y_train = codes.is_in(list(registry)).to_numpy()
        train = np.isin(reg, list(train_regions))
        if train.any() and y_train[train].any():
            test = np.isin(reg, list(covered))
            y = np.where(train, y_train, codes.is_in(list(laureats)).to_numpy())
            res = learned_cv.holdout(d.x, y, train, test, d.columns, d.concepts)
            method = (
                f"Modèle appris entraîné sur le registre sans les régions du fichier "
                f"({len(train_regions)} régions : {', '.join(sorted(train_regions))} ; "
                f"{_n(int(train.sum()))} communes dont {_n(int(y_train[train].sum()))} lauréats), "
                f"testé sur les régions du fichier ({', '.join(sorted(covered))})."
            )
            ev = _evaluate_scores(frame, res.score, laureats, covered)
            return LearnedEvaluation(ev, method, res.notes, res.folds)
    inside = np.isin(reg, list(covered))
    sub = frame.filter(pl.Series(inside))
    groups = sub.get_column(by).to_numpy().astype(str)
    y = sub.get_column("code").is_in(list(laureats)).to_numpy()
    label = learned_cv.GROUP_LABELS.get(by, by)
    res = learned_cv.cross_validate(d.x[inside], y, groups, d.columns, d.concepts, by=by)
    method = (
        f"Modèle appris, validation croisée par {label} : chaque {label} est "
        f"{'notée' if by == 'reg' else 'noté'} par un modèle "
        f"entraîné sur les autres seulement ({_plural(len(set(groups.tolist())), label)}, "
        f"{_n(sub.height)} communes, {_n(int(y.sum()))} lauréats)."
    )
    ev = _evaluate_scores(sub, res.score, laureats, covered)
    return LearnedEvaluation(ev, method, res.notes + d.notes, res.folds)

"""Writes of the centrality levels: computed from a BPE file (with calibration of the
thresholds on the study's counts) or imported from the official classification (with the
agreement between the two). One transaction each; a file that removes too much of what it
replaces is refused unless confirmed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import transaction

from pvd.caching import bump_data_version
from pvd.domain import centrality as cdomain
from pvd.domain import replacement
from pvd.selection.models import Centralite
from pvd.selection.stored_frames import communes_frame, frame_bytes, frame_of, rebase_codes
from pvd.sources.centralite import read_official_centrality
from pvd.sources.insee_bpe import read_bpe
from pvd.sources.report import ConfirmationRequired

TYPE_VARIABLE = re.compile(r"^bpe_[A-G]\d{3}$")


@dataclass
class CentralityReport:
    communes: int
    millesime: int
    moved: int
    unmapped: list[str]
    calibration: cdomain.Calibration | None
    thresholds: dict[str, cdomain.Rule]
    counts: dict[str, int]
    agreement: cdomain.Agreement | None = None
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Centralité calculée (BPE {self.millesime}) pour {self.communes} communes ; "
            f"{self.moved} anciens codes re-basés sur la géographie actuelle, "
            f"{len(self.unmapped)} non placés"
            + (
                f" ({', '.join(self.unmapped[:8])}{'…' if len(self.unmapped) > 8 else ''})"
                if self.unmapped
                else ""
            )
        ]
        if self.calibration:
            out += self.calibration.lines()
            out.append(
                "  écarts tous dans la tolérance de 5 %"
                if self.calibration.within_tolerance
                else "  ATTENTION : un écart dépasse la tolérance de 5 %"
            )
        else:
            out.append(
                "  seuils par défaut (non recalibrés) : "
                + ", ".join(f"{k} {v}" for k, v in self.counts.items())
            )
        if self.agreement:
            out += self.agreement.lines()
        out += self.notes
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        return out


def mainland(frame: pl.DataFrame) -> pl.DataFrame:
    """Mainland France (with Corsica): the study's scope."""
    return frame.filter(~pl.col("code").str.starts_with("97"))


def _facility_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Communes with at least one facility type counted (the rows a BPE file brings)."""
    return frame.filter((pl.col("n_p") + pl.col("n_i") + pl.col("n_s")) > 0).select("code")


def _guard(loss: replacement.Loss, *, path: Path, dry_run: bool, confirm: bool) -> list[str]:
    """Refuse (nothing written) a file that removes too much of what it replaces unless
    confirmed; the note for the report otherwise."""
    if not loss.needs_confirmation:
        return []
    if not dry_run and not confirm:
        raise ConfirmationRequired(str(path), loss.message())
    return [
        "  ATTENTION : "
        + loss.message()
        + (" (confirmé)" if confirm else " : l'import réel demandera --confirmer")
    ]


def centrality_compute(
    *,
    path: Path,
    calibrate: bool = True,
    millesime: int | None = None,
    dry_run: bool = False,
    confirm: bool = False,
) -> CentralityReport:
    """Read a BPE file, re-base its codes, count distinct types per gamme for every current
    commune (absent = none), calibrate the thresholds on mainland France (or use the default
    ones) and store the levels; compare with the official classification if imported.

    A file that would leave without any facility more than ``replacement.MAX_LOSS_SHARE`` of
    the communes that had one in the stored computation (truncated or partial BPE) is refused
    unless ``confirm``."""
    bpe = read_bpe(path, millesime=millesime)
    obs = bpe.observations.filter(pl.col("variable").str.contains(TYPE_VARIABLE.pattern))
    presence = obs.select(
        "code", pl.col("variable").str.slice(4).alias("typequ"), pl.col("value").alias("count")
    )
    presence, moved, unmapped = rebase_codes(presence)
    presence = presence.group_by("code", "typequ").agg(pl.col("count").sum())
    counts = cdomain.gamme_counts(presence)
    communes = communes_frame()
    counts = (
        communes.select("code")
        .join(counts, on="code", how="left")
        .with_columns(pl.col("n_p", "n_i", "n_s").fill_null(0))
    )
    calibration = cdomain.calibrate(mainland(counts)) if calibrate else None
    thresholds = calibration.thresholds if calibration else cdomain.DEFAULT_THRESHOLDS
    levels = cdomain.assign_levels(counts, thresholds)
    got = dict(levels.get_column("niveau").value_counts().iter_rows())
    millesime_read = int(bpe.observations.get_column("millesime").max())
    agreement = None
    official = Centralite.objects.filter(kind=Centralite.Kind.OFFICIELLE).first()
    if official:
        agreement = cdomain.agreement(levels.select("code", "niveau"), frame_of(official))
    stored = Centralite.objects.filter(kind=Centralite.Kind.CALCULEE).first()
    notes = _guard(
        replacement.keys_loss(
            _facility_codes(frame_of(stored)) if stored else None,
            _facility_codes(levels),
            ("code",),
            "communes pourvues d'équipements",
        ),
        path=path,
        dry_run=dry_run,
        confirm=confirm,
    )
    report = CentralityReport(
        communes=levels.height,
        millesime=millesime_read,
        moved=moved,
        unmapped=unmapped,
        calibration=calibration,
        thresholds=thresholds,
        counts=got,
        agreement=agreement,
        dry_run=dry_run,
        notes=notes,
    )
    if not dry_run:
        details = {
            "fichier": bpe.path,
            "sha256": bpe.sha256,
            "millesime_bpe": millesime_read,
            "seuils": cdomain.thresholds_as_dict(thresholds),
            "calibre": calibration is not None,
            "effectifs": got,
            "cibles": cdomain.TARGETS,
            "rebases": moved,
            "non_places": unmapped,
        }
        if agreement:
            details["accord"] = _agreement_dict(agreement)
        with transaction.atomic():
            Centralite.objects.update_or_create(
                kind=Centralite.Kind.CALCULEE,
                defaults={
                    "frame": frame_bytes(levels.select("code", "niveau", "n_p", "n_i", "n_s")),
                    "communes": levels.height,
                    "details": details,
                },
            )
            bump_data_version()
    return report


def _agreement_dict(a: cdomain.Agreement) -> dict:
    return {
        "matrice": a.matrix,
        "comparees": a.compared,
        "identiques": a.exact,
        "a_un_niveau_pres": a.within_one,
        "kappa": a.kappa(),
        "seulement_officiel": a.only_official,
        "seulement_calcule": a.only_computed,
    }


@dataclass
class OfficialReport:
    rows: int
    undefined: int
    moved: int
    unmapped: list[str]
    counts: dict[str, int]
    agreement: cdomain.Agreement | None
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"Classification officielle : {self.rows} communes lues, {self.undefined} sans "
            f"niveau (« undefined »), {self.moved} codes re-basés, {len(self.unmapped)} non "
            "placés",
            "  "
            + ", ".join(
                f"{cdomain.LEVEL_SHORT[k]} {self.counts.get(k, 0)}" for k in cdomain.LEVELS
            ),
        ]
        if self.agreement:
            out += self.agreement.lines()
        else:
            out.append("  (pas de centralité calculée à comparer : `pvd selection calibrate`)")
        out += self.notes
        if self.dry_run:
            out.append("Simulation : rien n'a été enregistré.")
        return out


def centrality_import_official(
    *, path: Path, dry_run: bool = False, confirm: bool = False
) -> OfficialReport:
    """Store the official classification (replaces the previous one). A file that would
    remove the level of more than ``replacement.MAX_LOSS_SHARE`` of the communes classified
    before is refused unless ``confirm``."""
    parsed = read_official_centrality(path)
    frame, moved, unmapped = rebase_codes(parsed.frame, additive=False)
    # Several old codes on one current commune: keep the highest level.
    frame = (
        frame.with_columns(
            pl.col("niveau").replace_strict(cdomain.LEVEL_RANK, default=-1).alias("_r")
        )
        .sort("_r", descending=True)
        .unique("code", keep="first")
        .drop("_r")
        .sort("code")
    )
    computed = Centralite.objects.filter(kind=Centralite.Kind.CALCULEE).first()
    agreement = cdomain.agreement(frame_of(computed), frame) if computed else None
    counts = dict(frame.get_column("niveau").drop_nulls().value_counts().iter_rows())
    stored = Centralite.objects.filter(kind=Centralite.Kind.OFFICIELLE).first()
    notes = _guard(
        replacement.keys_loss(
            frame_of(stored).filter(pl.col("niveau").is_not_null()) if stored else None,
            frame.filter(pl.col("niveau").is_not_null()),
            ("code",),
            "communes classées",
        ),
        path=path,
        dry_run=dry_run,
        confirm=confirm,
    )
    if not dry_run:
        with transaction.atomic():
            Centralite.objects.update_or_create(
                kind=Centralite.Kind.OFFICIELLE,
                defaults={
                    "frame": frame_bytes(frame),
                    "communes": frame.height,
                    "details": {
                        "fichier": parsed.path,
                        "sha256": parsed.sha256,
                        "sans_niveau": parsed.undefined,
                        "rebases": moved,
                        "non_places": unmapped,
                        "effectifs": counts,
                    },
                },
            )
            if computed and agreement:
                computed.details = {**computed.details, "accord": _agreement_dict(agreement)}
                computed.save(update_fields=["details", "updated_at"])
            bump_data_version()
    return OfficialReport(
        rows=parsed.frame.height,
        undefined=parsed.undefined,
        moved=moved,
        unmapped=unmapped,
        counts=counts,
        agreement=agreement,
        dry_run=dry_run,
        notes=notes,
    )

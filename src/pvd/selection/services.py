"""Writes of the selection app: centrality from a BPE file (with calibration), the official
classification, scenarios. One transaction each, keyword-only arguments."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import transaction
from django.utils.text import slugify

from pvd.caching import bump_data_version
from pvd.domain import centrality as cdomain
from pvd.domain import geography, replacement
from pvd.domain.eligibility import Rules
from pvd.selection.models import Centralite, Scenario
from pvd.sources.centralite import read_official_centrality
from pvd.sources.insee_bpe import read_bpe
from pvd.sources.report import ConfirmationRequired
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune

TYPE_VARIABLE = re.compile(r"^bpe_[A-G]\d{3}$")


def frame_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    return buffer.getvalue()


def frame_of(row: Centralite) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(bytes(row.frame)))


def _rebase_codes(
    frame: pl.DataFrame, *, additive: bool = True
) -> tuple[pl.DataFrame, int, list[str]]:
    """Replace the file's commune codes by current ones (the one current geography,
    :mod:`pvd.domain.geography`). Facility counts are additive: an arrondissement counts for its
    city only when the file has no row for the city itself; a level (``additive=False``) never
    moves from an arrondissement to its city. Returns the frame, the number of codes moved and
    the codes not placed (unknown, or arrondissements not carried over, with the rule's
    reason in :func:`geography.plan`)."""
    where = geography.plan(frame.get_column("code").unique().to_list(), current_geography())
    target = where.additive if additive else where.non_additive
    mapping = pl.DataFrame(
        {"code": list(target), "_new": list(target.values())},
        schema={"code": pl.String, "_new": pl.String},
    )
    out = (
        frame.join(mapping, on="code", how="inner")
        .with_columns(pl.col("_new").alias("code"))
        .drop("_new")
    )
    moved = sum(1 for code, new in target.items() if new != code)
    return out, moved, sorted(set(where.rule) - set(target))


def _communes() -> pl.DataFrame:
    rows = Commune.objects.filter(type=Commune.Type.COM).values_list("code", "departement_id")
    return pl.DataFrame(list(rows), schema=["code", "dep"], orient="row")


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
    presence, moved, unmapped = _rebase_codes(presence)
    presence = presence.group_by("code", "typequ").agg(pl.col("count").sum())
    counts = cdomain.gamme_counts(presence)
    communes = _communes()
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
    frame, moved, unmapped = _rebase_codes(parsed.frame, additive=False)
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


class PermissionDenied(Exception):
    """The user may not change this scenario (message in French)."""


def can_change_scenario(user, scenario: Scenario) -> bool:
    """Who changes or deletes a saved scenario: its author and superusers (everyone reads it).
    ``user=None`` is the operator at the command line."""
    if user is None:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (scenario.auteur_id is not None and scenario.auteur_id == user.pk)


def _refusal(scenario: Scenario) -> str:
    return (
        f"Le scénario « {scenario.nom} » a été enregistré par un autre compte : vous ne pouvez "
        "pas le modifier. Enregistrez vos règles sous un autre nom."
    )


def scenario_save(
    *, nom: str, regles: dict, description: str = "", slug: str | None = None, user=None
) -> Scenario:
    """Create or update a scenario; the rules are validated (ValueError with a French message).
    An existing scenario is changed only by who may (``can_change_scenario``; PermissionDenied
    otherwise); a new one records ``user`` as its author (none from the CLI)."""
    rules = Rules.from_dict(regles)
    slug = slugify(slug or nom)[:60]
    if not slug:
        raise ValueError("le nom du scénario doit contenir des lettres ou des chiffres")
    values = {"nom": nom, "description": description, "regles": rules.as_dict()}
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().filter(slug=slug).first()
        if scenario is None:
            author = user if user is not None and user.is_authenticated else None
            return Scenario.objects.create(slug=slug, auteur=author, **values)
        if not can_change_scenario(user, scenario):
            raise PermissionDenied(_refusal(scenario))
        for k, v in values.items():
            setattr(scenario, k, v)
        scenario.save()
    return scenario


def scenario_delete(*, slug: str, user=None) -> bool:
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().filter(slug=slug).first()
        if scenario is None:
            return False
        if not can_change_scenario(user, scenario):
            raise PermissionDenied(_refusal(scenario).replace("le modifier", "le supprimer"))
        scenario.delete()
    return True


def typology_import(*, path: Path, dry_run: bool = False) -> list[str]:
    """Import a typology of the Observatoire des territoires (density, rurality, mountain),
    re-based onto the current geography. Returns French report lines."""
    from pvd.selection.models import Typologie
    from pvd.sources.territoires import read_typology

    parsed = read_typology(path)
    frame, moved, unmapped = _rebase_codes(parsed.frame, additive=False)
    frame = frame.sort("valeur", nulls_last=True).unique("code", keep="first").sort("code")
    counts = dict(frame.get_column("valeur").drop_nulls().value_counts().iter_rows())
    if not dry_run:
        with transaction.atomic():
            Typologie.objects.update_or_create(
                kind=parsed.kind,
                defaults={
                    "frame": frame_bytes(frame),
                    "communes": frame.height,
                    "details": {
                        "fichier": parsed.path,
                        "sha256": parsed.sha256,
                        "rebases": moved,
                        "non_places": unmapped,
                        "effectifs": counts,
                    },
                },
            )
            bump_data_version()  # the portraits' typologies
    lines = [
        f"{Typologie.Kind(parsed.kind).label} : {frame.height} communes, "
        f"{frame.get_column('valeur').null_count()} sans valeur, {moved} codes re-basés, "
        f"{len(unmapped)} non placés"
    ]
    lines += [f"  {k} : {v}" for k, v in sorted(counts.items())]
    if dry_run:
        lines.append("Simulation : rien n'a été enregistré.")
    return lines


def learned_fit(
    *,
    laureats: set[str] | None = None,
    source: str = "registre",
    programme: str = "pvd",
    regions: set[str] | None = None,
):
    """Fit the learned model on the laureates (default: the programme's registry, on the
    regions its lists cover), evaluate it by leave-one-region-out, store it. Raises
    ``LearnedModelError`` (French message) when it cannot be fitted."""
    import time

    from pvd.domain import learned as ldomain
    from pvd.selection import learned, selectors
    from pvd.selection.models import ModeleAppris

    if laureats is None:
        laureats = selectors.laureate_codes(programme=programme)
        if regions is None:
            regions, _ = selectors.registry_coverage(programme=programme)
    li = learned.learned_inputs()
    codes = li.frame.get_column("code")
    covered = regions or set(li.frame.filter(codes.is_in(list(laureats))).get_column("reg"))
    inside = li.frame.get_column("reg").is_in(list(covered)).to_numpy()
    d = ldomain.design(li.frame, li.fragility)
    y = codes.is_in(list(laureats)).to_numpy()
    start = time.perf_counter()
    fitted = ldomain.fit(d.x[inside], y[inside], d.columns, d.concepts)
    seconds = time.perf_counter() - start
    ev = learned.evaluate_learned(laureats=laureats, regions=covered, inputs=li)
    row = ModeleAppris.objects.create(
        programme=programme,
        source=source[:300],
        entrainement={
            "regions": sorted(covered),
            "communes": int(inside.sum()),
            "laureats": int(y[inside].sum()),
            "codes": sorted(c for c in laureats if c in set(codes.to_list())),
            "centralite_source": li.centralite_source,
        },
        modele=fitted.as_dict(),
        evaluation=ev.as_dict(),
        notes=d.notes,
        secondes=round(seconds, 3),
    )
    return row, ev

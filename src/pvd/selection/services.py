"""Writes of the selection app: scenarios, typologies, the learned model. One transaction each,
keyword-only arguments. The centrality writes (from a BPE file, with calibration, and the
official classification) are in :mod:`pvd.selection.centrality_services` and re-exported here, as
are the stored frames' helpers (:mod:`pvd.selection.stored_frames`)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from pvd import access
from pvd.access import PermissionDenied
from pvd.caching import bump_data_version
from pvd.domain.eligibility import Rules
from pvd.selection.centrality_services import (
    CentralityReport,
    OfficialReport,
    centrality_compute,
    centrality_import_official,
    mainland,
)
from pvd.selection.models import Scenario
from pvd.selection.permissions import refusal
from pvd.selection.stored_frames import frame_bytes, frame_of, rebase_codes

__all__ = [
    "CentralityReport",
    "OfficialReport",
    "PermissionDenied",
    "can_change_scenario",
    "centrality_compute",
    "centrality_import_official",
    "frame_bytes",
    "frame_of",
    "learned_fit",
    "mainland",
    "scenario_delete",
    "scenario_save",
    "typology_import",
]


def can_change_scenario(user, scenario: Scenario) -> bool:
    """Who changes or deletes a saved scenario: its author and superusers (everyone reads it).
    ``user=None`` is the operator at the command line (``selection.change_scenario``)."""
    return access.has(user, "selection.change_scenario", scenario)


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
        access.require(user, "selection.change_scenario", scenario)
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
            raise PermissionDenied(refusal(user, scenario).replace("le modifier", "le supprimer"))
        scenario.delete()
    return True


def typology_import(*, path: Path, dry_run: bool = False) -> list[str]:
    """Import a typology of the Observatoire des territoires (density, rurality, mountain),
    re-based onto the current geography. Returns French report lines."""
    from pvd.selection.models import Typologie
    from pvd.sources.territoires import read_typology

    parsed = read_typology(path)
    frame, moved, unmapped = rebase_codes(parsed.frame, additive=False)
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

"""The laureates' convention-cadre date, derived from the current ORT rows.

The PVD/ACV convention-cadre is the one *valant ORT*: inside the coverage of the loaded ORT
sheets, the sheet is the authority. After every laureate import and every ORT import (same
transaction), each active laureate whose commune an ORT sheet covers gets the date of its
commune's ORT when that ORT is signed, and no date otherwise (ORT not signed, or removed from
the sheet by a later extract). So the result does not depend on the order of the imports.
Outside the ORT coverage nothing is touched (and the convention-cadre figures there read
"donnée non disponible", see :mod:`pvd.programme.selectors`).
"""

from __future__ import annotations

from pvd.domain.coverage import Coverage
from pvd.programme.audit import fmt, laureate_change
from pvd.programme.coverage import ort_coverage
from pvd.programme.models import Laureat, Ort, Programme
from pvd.sources.report import TableCounts

TABLE = "lauréats (date de convention-cadre)"


def derive_cadre_dates(ctx, *, programme: Programme | None = None, extra: Coverage | None = None):
    """Re-derive the convention-cadre date of the active laureates (of ``programme``, or of
    every programme) covered by the ORT sheets (plus ``extra``: the sheet being imported, whose
    coverage is recorded after its write). Changes are reported and logged in ``ctx``."""
    coverage = ort_coverage()
    if extra is not None:
        coverage = coverage.union(extra)
    counts = TableCounts()
    if coverage.empty:
        return counts
    qs = Laureat.objects.filter(statut=Laureat.Statut.ACTIF).select_related(
        "commune", "commune__ort", "programme"
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    to_update = []
    for lau in qs:
        c = lau.commune
        if not coverage.covers_commune(departement=c.departement_id, region=c.region_id):
            continue
        try:
            ort = c.ort
        except Ort.DoesNotExist:
            ort = None
        new = ort.date_signature if ort and ort.signature == Ort.Signature.SIGNEE else None
        if lau.date_convention_cadre == new:
            counts.unchanged += 1
            continue
        old = lau.date_convention_cadre
        lau.date_convention_cadre = new
        lau.updated_at = ctx.now
        to_update.append(lau)
        why = "" if new else " (ORT non signée ou absente du tableau)"
        ctx.report.changes.append(
            f"~ {c.code} {c.nom} ({lau.programme.slug}) : "
            f"date_convention_cadre {fmt(old)} → {fmt(new)}{why}"
        )
        ctx.log.append(laureate_change(ctx, lau, "modification", {"date_convention_cadre": (old, new)}))
    if to_update:
        Laureat.objects.bulk_update(
            to_update, ["date_convention_cadre", "updated_at"], batch_size=1000
        )
        counts.updated = len(to_update)
    ctx.report.tables[TABLE] = counts
    return counts

"""Reads of the registry's coverage: which territories the loaded lists speak for, and the
status of a commune ("non couvert" when no list covers it). See :mod:`pvd.domain.coverage`."""

from __future__ import annotations

from django.db.models import Q

from pvd.domain.coverage import Coverage, exclusion_note
from pvd.domain.programme import LaureateFacts
from pvd.programme.models import Laureat, ListeImportee, Ort, Programme
from pvd.programme.territory_totals import territory_totals
from pvd.territories.models import Commune


def _totals():
    return territory_totals()  # cached names and populations


def _union(lists) -> Coverage:
    out = Coverage()
    for regions, departements, national in lists:
        out = out.union(Coverage(frozenset(regions), frozenset(departements), national))
    return out


def registry_coverage(programme: Programme) -> Coverage:
    """Union of the coverages of every laureate list imported for the programme."""
    return _union(
        ListeImportee.objects.filter(
            programme=programme, nature=ListeImportee.Nature.LAUREATS
        ).values_list("regions", "departements", "national")
    )


def ort_coverage() -> Coverage:
    """Union of the coverages of every ORT sheet imported."""
    return _union(
        ListeImportee.objects.filter(nature=ListeImportee.Nature.ORT).values_list(
            "regions", "departements", "national"
        )
    )


def lists_of(programme: Programme) -> list[ListeImportee]:
    return list(
        ListeImportee.objects.filter(Q(programme=programme) | Q(nature=ListeImportee.Nature.ORT))
    )


def region_departements() -> dict[str, list[str]]:
    t = _totals()
    out: dict[str, list[str]] = {code: [] for code in t.names_regions}
    for dep, reg in t.region_of.items():
        out.setdefault(reg, []).append(dep)
    return out


def covers(coverage: Coverage, level: str, code: str | None, totals=None) -> bool:
    """Whether the coverage speaks for a territory ("france" needs at least one list)."""
    t = totals or _totals()
    if level == "france":
        return not coverage.empty
    if level == "region":
        deps = [d for d, r in t.region_of.items() if r == code]
        return coverage.covers_region(code, deps)
    if level == "departement":
        return coverage.covers_departement(code, t.region_of.get(code))
    raise ValueError(level)


def coverage_note(coverage: Coverage) -> str:
    """What national totals leave out ("" when every region is covered)."""
    return exclusion_note(coverage, region_departements(), _totals().names_regions)


def ort_signed(commune: Commune) -> bool:
    """The ORT sheet says "Signée" for the commune (``commune__ort`` select-related)."""
    try:
        return commune.ort.signature == Ort.Signature.SIGNEE
    except Ort.DoesNotExist:
        return False


# Each field of ``LaureateFacts`` read from a laureate: the lookup of a queryset's values
# (``facts_by_pk``) and the attribute path on an instance (``facts_of``).
FACT_LOOKUPS = {
    "code": "commune__code",
    "nom": "commune__nom",
    "departement": "commune__departement_id",
    "region": "commune__region_id",
    "population": "commune__population",
    "groupe": "groupe__code",
    "epci": "commune__epci_id",
    "date_selection": "date_selection",
    "date_convention_adhesion": "date_convention_adhesion",
    "date_chef_projet": "date_chef_projet",
    "date_convention_cadre": "date_convention_cadre",
}
# What ``facts_of`` reads on an instance (the group and the EPCI are left out, as they always
# were: the callers' select_related does not load them).
_INSTANCE_FIELDS = tuple(k for k in FACT_LOOKUPS if k not in ("groupe", "epci"))


def facts_from(values: dict, *, ort_signee: bool, cadre_connu: bool) -> LaureateFacts:
    """The one constructor of ``LaureateFacts`` from a laureate's values by field name."""
    return LaureateFacts(**values, ort_signee=ort_signee, cadre_connu=cadre_connu)


def facts_of(
    lau: Laureat, *, ort_signee: bool | None = None, cadre_connu: bool = True
) -> LaureateFacts:
    """What the registry knows of one laureate (``commune`` and ``commune__ort`` select-related
    by the caller; ``ort_signee`` given when the caller already knows it for many laureates)."""

    def read(path: str):
        obj = lau
        for part in path.split("__"):
            obj = getattr(obj, part)
        return obj

    values = {k: read(FACT_LOOKUPS[k]) for k in _INSTANCE_FIELDS}
    return facts_from(
        values,
        ort_signee=ort_signed(lau.commune) if ort_signee is None else ort_signee,
        cadre_connu=cadre_connu,
    )


def commune_of(*, code: str) -> Commune | None:
    return (
        Commune.objects.select_related("departement", "region")
        .filter(code=code, type=Commune.Type.COM)
        .first()
    )


def commune_status(*, programme: Programme, commune: Commune) -> str:
    """ "laureat", "sorti", "non_laureat" or "non_couvert" (no loaded list covers the commune:
    the registry cannot say it is not a laureate)."""
    lau = Laureat.objects.filter(programme=programme, commune=commune).first()
    return status_of(lau, registry_coverage(programme), commune)


def status_of(lau: Laureat | None, coverage: Coverage, commune: Commune) -> str:
    """``commune_status`` from the commune's laureate row (or None) and the registry's
    coverage, when the caller has them already."""
    if lau is not None and lau.statut == Laureat.Statut.ACTIF:
        return "laureat"
    if not coverage.covers_commune(departement=commune.departement_id, region=commune.region_id):
        return "non_couvert"
    return "sorti" if lau is not None else "non_laureat"


def commune_statuses(
    *, programme: Programme, communes: list[tuple[str, str, str]]
) -> dict[str, str]:
    """``commune_status`` of many communes at once (two queries), from (code, department,
    region) triples: a search result page."""
    codes = [code for code, _, _ in communes]
    statuts = dict(
        Laureat.objects.filter(programme=programme, commune__code__in=codes).values_list(
            "commune__code", "statut"
        )
    )
    return statuses_from(statuts, registry_coverage(programme), communes)


def laureate_statuses(*, programme: Programme) -> dict[str, str]:
    """Commune code -> statut of every laureate row of the programme (about 1,600: callers
    keep it per data version and give it to :func:`statuses_from`)."""
    return dict(
        Laureat.objects.filter(programme=programme).values_list("commune__code", "statut")
    )


def statuses_from(
    statuts: dict[str, str], coverage: Coverage, communes: list[tuple[str, str, str]]
) -> dict[str, str]:
    """``commune_statuses`` from the laureates' statuts by code and the registry's coverage."""
    out = {}
    for code, departement, region in communes:
        if statuts.get(code) == Laureat.Statut.ACTIF:
            out[code] = "laureat"
        elif not coverage.covers_commune(departement=departement, region=region):
            out[code] = "non_couvert"
        else:
            out[code] = "sorti" if code in statuts else "non_laureat"
    return out


def filters_covered(programme: Programme, *, region: str | None, departement: str | None) -> bool:
    """Whether a list filtered on a region or department is inside the loaded lists' coverage
    (an empty result there means "no laureate"; outside, it means "not known")."""
    coverage = registry_coverage(programme)
    if departement:
        return covers(coverage, "departement", departement)
    if region:
        return covers(coverage, "region", region)
    return not coverage.empty

"""Practices' reads (selectors): the public search of published practices (theme, population
band, region, funder, words), the review queue of a programme team member, one practice with
what its page shows, and the rows of the CSV/JSON exports and of the Atom feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pvd import access
from pvd.domain import network as rules
from pvd.network.models import Pratique, StatutPratique
from pvd.programme.models import Perimetre
from pvd.programme.services import user_scopes
from pvd.projects.models import Axe, Financeur, Membre

PAGE_SIZE = 20


@dataclass
class PracticeFilters:
    q: str = ""
    axe: str = ""
    tranche: str = ""
    region: str = ""
    financeur: str = ""


def _band_q(band: str) -> Q:
    for code, _, low, high in rules.BANDS:
        if code == band:
            q = Q(commune__population__gte=low)
            if high is not None:
                q &= Q(commune__population__lt=high)
            return q
    return Q(pk__in=[])


def published() -> QuerySet[Pratique]:
    return Pratique.objects.filter(statut=StatutPratique.PUBLIEE, supprime_le__isnull=True)


def search(filters: PracticeFilters) -> QuerySet[Pratique]:
    qs = published().select_related("commune", "region", "departement")
    if filters.axe:
        qs = qs.filter(axe=filters.axe)
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.tranche:
        qs = qs.filter(_band_q(filters.tranche))
    if filters.financeur:
        qs = qs.filter(financeurs__contains=f",{filters.financeur},")
    if filters.q.strip():
        words = filters.q.strip()
        qs = qs.filter(
            Q(titre__icontains=words)
            | Q(commune__nom__icontains=words)
            | Q(commune__code=words)
            | Q(realisation__icontains=words)
        )
    return qs.order_by("-publiee_le", "-id")


def review_queue(user) -> list[Pratique]:
    """Practices under review that ``user`` may publish or send back."""
    qs = Pratique.objects.filter(statut=StatutPratique.RELECTURE, supprime_le__isnull=True)
    if not user.is_superuser:
        scopes = user_scopes(user)
        if not any(s.niveau == Perimetre.Niveau.NATIONAL for s in scopes):
            regions = [s.region_id for s in scopes if s.niveau == Perimetre.Niveau.REGION]
            qs = qs.filter(region_id__in=regions)
    return list(qs.select_related("commune").order_by("updated_at", "id"))


def team_practices(user) -> list[Pratique]:
    """The practices of the user's project teams (every status, deleted ones included)."""
    groupes = Membre.objects.filter(user=user).values_list("groupe_id", flat=True)
    return list(
        Pratique.objects.filter(groupe_id__in=list(groupes))
        .select_related("commune")
        .order_by("-updated_at", "-id")
    )


def practice_get(*, pk: int, user) -> Pratique | None:
    """The practice if ``user`` may read it, None otherwise (not found or not visible)."""
    p = (
        Pratique.objects.select_related("commune", "departement", "region", "groupe", "action")
        .filter(pk=pk)
        .first()
    )
    if p is None or not access.has(user, "network.view_practice", p):
        return None
    return p


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    regions = sorted(set(published().values_list("region_id", "region__nom")))
    return {
        "axes": list(Axe.choices),
        "tranches": [(c, label) for c, label, _, _ in rules.BANDS],
        "regions": regions,
        "financeurs": list(Financeur.choices),
    }


def axe_label(code: str) -> str:
    return dict(Axe.choices).get(code, code)


def export_row(p: Pratique, url: str = "") -> dict:
    funders = dict(Financeur.choices)
    return {
        "id": p.pk,
        "titre": p.titre,
        "thematique": p.axe,
        "commune": p.commune.nom,
        "code_commune": p.commune.code,
        "departement": p.departement_id,
        "region": p.region_id,
        "population": p.commune.population,
        "contexte": p.contexte,
        "realisation": p.realisation,
        "cout": p.cout,
        "financement": p.financement,
        "financeurs": ";".join(funders.get(f, f) for f in p.financeurs_list),
        "resultats": p.resultats,
        "publiee_le": p.publiee_le.isoformat() if p.publiee_le else None,
        "url": url,
    }


def export_rows(filters: PracticeFilters | None = None, base_url: str = "") -> list[dict]:
    qs = search(filters or PracticeFilters())
    return [export_row(p, f"{base_url}/reseau/pratiques/{p.pk}/" if base_url else "") for p in qs]

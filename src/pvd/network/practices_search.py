"""Practices' reads (selectors): the public search of published practices (theme, population
band, region, funder, words), the review queue of a programme team member, one practice with
what its page shows, and the rows of the CSV/JSON exports and of the Atom feed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pvd import access
from pvd.caching import ProcessMemo, network_version, shared
from pvd.domain import network as rules
from pvd.domain.numbers import NARROW_NBSP, grouped
from pvd.domain.search import normalize
from pvd.network.models import Pratique, StatutPratique
from pvd.programme.models import Perimetre
from pvd.programme.services import user_scopes
from pvd.projects.models import Action, Axe, Financement, Financeur, Membre

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


def _compute_keys() -> list[tuple[int, str]]:
    """(id, search key) of every published practice: its title, its town's name and code and
    what was done, folded as the directory folds names (:func:`pvd.domain.search.normalize`:
    no accents nor case, hyphens and apostrophes as spaces), with a space before and after."""
    rows = published().values_list("pk", "titre", "commune__nom", "commune__code", "realisation")
    return [(pk, f" {normalize(' '.join(parts))} ") for pk, *parts in rows.order_by("pk")]


# Kept in each process for the data version (the towns' names) and the network's version (the
# practices); the shared cache folds them once for all the processes.
_memo: ProcessMemo = ProcessMemo("network-practices", size=2)


def _keys() -> list[tuple[int, str]]:
    version = network_version()
    return _memo.get(
        version, lambda: shared(("network", "practices", "keys", version), _compute_keys)
    )


def _words_q(q: str) -> Q | None:
    """The published practices whose key holds every word of ``q`` as the start of a word, in
    any order (« chely », « BOUTIQUES A L'ESSAI », « centre bourg »), as a filter on their ids;
    None when ``q`` holds no word (punctuation only): no filter. A common word matches most
    practices: the filter then excludes the others, so that the SQL never carries more than
    half of the ids (a list of 2,000 ids cost 40 ms to build and run; issue 15's bench)."""
    words = [f" {w}" for w in normalize(q).split()]
    if not words:
        return None
    keys = _keys()
    matching = [pk for pk, key in keys if all(w in key for w in words)]
    if len(matching) <= len(keys) // 2:
        return Q(pk__in=matching)
    kept = set(matching)
    return ~Q(pk__in=[pk for pk, _ in keys if pk not in kept])


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
    words = _words_q(filters.q)
    if words is not None:
        qs = qs.filter(words)
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


def _euros(n: int) -> str:
    return grouped(n, NARROW_NBSP) + " €"


def initial_from_action(action: Action) -> dict:
    """What a new practice takes from its action (editable in the form): the title; the total
    cost, the sum of its budget lines (the realised amount of a line when known, else the
    planned one; absent when the action has no budget line); the funders and the financing plan
    of its co-financing lines not refused."""
    lines = list(action.budget.all())
    cost = sum(b.realise if b.realise is not None else b.prevu for b in lines) if lines else None
    labels = dict(Financeur.choices)
    funds = [f for f in action.financements.all() if f.decision != Financement.Decision.REFUSE]
    order = {code: i for i, code in enumerate(labels)}
    plan = []
    for f in sorted(funds, key=lambda f: (order.get(f.financeur, len(order)), f.pk)):
        name = labels.get(f.financeur, f.financeur) + (f" ({f.dispositif})" if f.dispositif else "")
        if f.decision == Financement.Decision.ACCORDE and f.montant_accorde is not None:
            plan.append(f"{name} : {_euros(f.montant_accorde)} accordés")
        else:
            plan.append(f"{name} : {_euros(f.montant_demande)} demandés")
    return {
        "titre": action.titre,
        "cout": cost,
        "financeurs": sorted({f.financeur for f in funds}, key=lambda c: order.get(c, len(order))),
        "financement": "\n".join(plan),
    }


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


def indicators_text(p: Pratique) -> str:
    """The result indicators as one text field: "Commerces rouverts : 4 commerces | Vitrines
    vides : 8 vitrines" (values with a decimal comma; none: "")."""
    parts = []
    for i in p.indicateurs.all():
        value = "" if i.valeur is None else format(i.valeur, "g").replace(".", ",")
        parts.append(" ".join(x for x in (f"{i.libelle} :", value, i.unite) if x))
    return " | ".join(parts)


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
        "indicateurs": indicators_text(p),
        "publiee_le": p.publiee_le.isoformat() if p.publiee_le else None,
        "url": url,
    }


def export_rows(filters: PracticeFilters | None = None, base_url: str = "") -> list[dict]:
    qs = search(filters or PracticeFilters()).prefetch_related("indicateurs")
    return [export_row(p, f"{base_url}/reseau/pratiques/{p.pk}/" if base_url else "") for p in qs]

"""« Qui fait pareil ? » (reads): for a town and a theme (an axe of the programme's offer), the
laureate towns whose projects have live actions on that theme: its similar towns first (the
portrait's, stored by the indicators' build), then the towns of its department, then of its
region (:func:`pvd.domain.network.rank_peers`), each with its actions on the theme (name, phase,
funding) and its published practices on it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from pvd.caching import ProcessMemo, shared
from pvd.diagnostics.models import TerritoryValues
from pvd.domain import network as rules
from pvd.network import directory
from pvd.network.models import Pratique, StatutPratique
from pvd.projects.models import Action, Axe, Financement
from pvd.territories.models import Commune

LIMIT = 12


@dataclass(frozen=True)
class PeerAction:
    titre: str
    phase: str
    statut: str
    financeurs: list[str]
    montant_accorde: int | None  # None: no decision recorded (missing, never 0)


@dataclass(frozen=True)
class Peer:
    town: directory.Town
    tier: str
    actions: list[PeerAction]
    practices: list[tuple[int, str]]  # (id, titre) of published practices on the theme

    @property
    def tier_label(self) -> str:
        return rules.TIER_LABELS[self.tier]


@dataclass(frozen=True)
class PeersResult:
    commune: Commune
    axe: str
    axe_label: str
    peers: list[Peer]
    similar_known: bool  # False when the similar towns are not computed on this platform


def _groups_by_axe() -> dict[str, frozenset[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for groupe_id, axe in (
        Action.objects.vivantes().values_list("projet__groupe_id", "axe").distinct()
    ):
        out[axe].add(groupe_id)
    return {axe: frozenset(ids) for axe, ids in out.items()}


_memo: ProcessMemo = ProcessMemo("network-peers", size=2)


def groups_by_axe() -> dict[str, frozenset[int]]:
    return _memo.get(
        "groups_by_axe", lambda: shared(("network", "peers", "groups_by_axe"), _groups_by_axe)
    )


def _similar_codes(code: str) -> list[str] | None:
    peers = (
        TerritoryValues.objects.filter(level="COM", code=code)
        .values_list("peers", flat=True)
        .first()
    )
    return list(peers["c"]) if peers else None


def peers_of(*, commune: Commune, axe: str, limit: int = LIMIT) -> PeersResult:
    labels = dict(Axe.choices)
    if axe not in labels:
        raise ValueError(f"thématique inconnue : {axe}")
    working = groups_by_axe().get(axe, frozenset())
    towns = directory.towns()
    by_code = {t.code: t for t in towns if t.groupe_id in working}
    own_group = next((t.groupe_id for t in towns if t.code == commune.code), None)
    candidates = {
        code: (t.departement, t.region, t.population)
        for code, t in by_code.items()
        if t.groupe_id != own_group or own_group is None
    }
    similar = _similar_codes(commune.code)
    ranked = rules.rank_peers(
        town=commune.code,
        population=commune.population,
        similar=similar or [],
        departement=commune.departement_id,
        region=commune.region_id,
        candidates=candidates,
        limit=len(candidates),
    )
    # One town per group (a binôme's two towns share one project).
    seen_groups: set[int | None] = set()
    kept = []
    for code, tier in ranked:
        if by_code[code].groupe_id not in seen_groups:
            seen_groups.add(by_code[code].groupe_id)
            kept.append((code, tier))
    ranked = kept[:limit]
    group_ids = {by_code[code].groupe_id for code, _ in ranked}
    actions: dict[int, list[PeerAction]] = defaultdict(list)
    qs = (
        Action.objects.vivantes()
        .filter(projet__groupe_id__in=group_ids, axe=axe)
        .select_related("projet")
        .prefetch_related(Prefetch("financements", queryset=Financement.objects.order_by("id")))
        .order_by("id")
    )
    for a in qs:
        fins = list(a.financements.all())
        granted = [f.montant_accorde for f in fins if f.montant_accorde is not None]
        actions[a.projet.groupe_id].append(
            PeerAction(
                titre=a.titre,
                phase=a.get_phase_display(),
                statut=a.get_statut_display(),
                financeurs=sorted({f.get_financeur_display() for f in fins}),
                montant_accorde=sum(granted) if granted else None,
            )
        )
    practices: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, groupe_id, titre in Pratique.objects.filter(
        groupe_id__in=group_ids, axe=axe, statut=StatutPratique.PUBLIEE, supprime_le__isnull=True
    ).values_list("pk", "groupe_id", "titre"):
        practices[groupe_id].append((pk, titre))
    return PeersResult(
        commune=commune,
        axe=axe,
        axe_label=labels[axe],
        peers=[
            Peer(
                town=by_code[code],
                tier=tier,
                actions=actions.get(by_code[code].groupe_id, []),
                practices=practices.get(by_code[code].groupe_id, []),
            )
            for code, tier in ranked
        ],
        similar_known=similar is not None,
    )

"""The directory (reads): every laureate town of the programme with its group, region,
department, population band and themes (the axes of its project and of its live actions), and
the project managers of its group. The rows without personal data are computed once per data
version for every process (:func:`pvd.caching.shared`); names and contacts are read for the page
shown only, and only for who may see them.

And the one write of the directory: a member's own profile (:func:`profile_update`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pvd.caching import ProcessMemo, bump_network_version, shared
from pvd.domain import network as rules
from pvd.domain.search import normalize
from pvd.network.models import ProfilReseau
from pvd.programme import audit
from pvd.programme.models import Changement, Laureat
from pvd.projects.models import Action, Axe, Membre, Projet

PROGRAMME = "pvd"
PAGE_SIZE = 50


@dataclass(frozen=True)
class Town:
    code: str
    nom: str
    key: str  # search key of the name (pvd.domain.search.normalize)
    population: int | None
    band: str | None
    departement: str
    departement_nom: str
    region: str
    region_nom: str
    groupe_id: int | None
    groupe_code: str
    groupe_nom: str
    groupe_key: str  # search key of the group's name
    axes: tuple[str, ...]

    @property
    def axes_labels(self) -> list[str]:
        labels = dict(Axe.choices)
        return [labels.get(a, a) for a in self.axes]

    @property
    def band_label(self) -> str:
        return rules.BAND_LABELS.get(self.band or "", "Population inconnue")


@dataclass(frozen=True)
class Person:
    """A project manager as the directory shows her: the contact only with her consent."""

    nom: str
    fonction: str
    email: str = ""
    telephone: str = ""
    consent: bool = False


@dataclass
class Filters:
    q: str = ""
    region: str = ""
    departement: str = ""
    axe: str = ""
    tranche: str = ""


def _axes_by_group() -> dict[int, set[str]]:
    axes: dict[int, set[str]] = defaultdict(set)
    for groupe_id, projet_axes in Projet.objects.values_list("groupe_id", "axes"):
        axes[groupe_id].update(a for a in projet_axes or [] if a)
    for groupe_id, axe in (
        Action.objects.vivantes().values_list("projet__groupe_id", "axe").distinct()
    ):
        axes[groupe_id].add(axe)
    return axes


def _compute_towns() -> list[Town]:
    axes = _axes_by_group()
    rows = (
        Laureat.objects.filter(programme__slug=PROGRAMME, statut=Laureat.Statut.ACTIF)
        .select_related("commune__departement", "commune__region", "groupe")
        .order_by("commune__nom", "commune__code")
    )
    order = [a for a, _ in Axe.choices]
    towns = []
    for laureat in rows:
        c, g = laureat.commune, laureat.groupe
        found = axes.get(g.pk, set()) if g else set()
        towns.append(
            Town(
                code=c.code,
                nom=c.nom,
                key=normalize(c.nom),
                population=c.population,
                band=rules.band_of(c.population),
                departement=c.departement_id,
                departement_nom=c.departement.nom,
                region=c.region_id,
                region_nom=c.region.nom,
                groupe_id=g.pk if g else None,
                groupe_code=g.code if g else "",
                groupe_nom=str(g) if g else "",
                groupe_key=normalize(str(g)) if g else "",
                axes=tuple(a for a in order if a in found),
            )
        )
    return towns


# Rows kept in each process for the data version (unpickling them from the shared cache on every
# request cost 60 ms under load); the shared cache computes them once for all the processes.
_memo: ProcessMemo = ProcessMemo("network-directory", size=4)


def towns() -> list[Town]:
    """Every active laureate town of the programme (no personal data)."""
    return _memo.get("towns", lambda: shared(("network", "directory", "towns"), _compute_towns))


def search(filters: Filters) -> list[Town]:
    q = filters.q.strip()
    key = normalize(q) if q else ""
    out = []
    for t in towns():
        if filters.region and t.region != filters.region:
            continue
        if filters.departement and t.departement != filters.departement:
            continue
        if filters.axe and filters.axe not in t.axes:
            continue
        if filters.tranche and t.band != filters.tranche:
            continue
        if q and not (t.code.startswith(q) or key in t.key or key in t.groupe_key):
            continue
        out.append(t)
    return out


def facets() -> dict[str, list[tuple[str, str]]]:
    """Choices of the filters, from the towns themselves."""
    return _memo.get("facets", _facets)


def _facets() -> dict[str, list[tuple[str, str]]]:
    regions = sorted({(t.region, t.region_nom) for t in towns()})
    departements = sorted(
        {(t.departement, f"{t.departement} – {t.departement_nom}") for t in towns()}
    )
    return {
        "regions": regions,
        "departements": departements,
        "axes": list(Axe.choices),
        "tranches": [(c, label) for c, label, _, _ in rules.BANDS],
    }


def managers(*, groupe_ids: list[int], full: bool) -> dict[int, list[Person]]:
    """The project managers of these groups (their teams' managers): everyone with their
    consent (name, function, public contact); without it, the name and function for programme
    members only (``full``), nothing for the public."""
    out: dict[int, list[Person]] = defaultdict(list)
    members = (
        Membre.objects.filter(groupe_id__in=groupe_ids, role=Membre.Role.GESTIONNAIRE)
        .select_related("user", "user__profil_reseau")
        .order_by("groupe_id", "id")
    )
    for m in members:
        profil = getattr(m.user, "profil_reseau", None)
        consent = bool(profil and profil.consentement)
        if not consent and not full:
            continue
        nom = m.user.get_full_name() or m.user.get_username()
        out[m.groupe_id].append(
            Person(
                nom=nom,
                fonction=m.fonction,
                email=profil.email_public if consent else "",
                telephone=profil.telephone_public if consent else "",
                consent=consent,
            )
        )
    return out


def export_rows(filters: Filters | None = None) -> list[dict]:
    """The public directory as rows (CSV/JSON exports): no personal data; the towns the
    directory's filters select when given (the page's « Télécharger » keeps its filters)."""
    return [
        {
            "code_commune": t.code,
            "commune": t.nom,
            "population": t.population,
            "tranche": t.band or "",
            "departement": t.departement,
            "region": t.region,
            "groupe": t.groupe_code,
            "libelle_groupe": t.groupe_nom,
            "thematiques": ";".join(t.axes),
        }
        for t in (search(filters) if filters else towns())
    ]


def profile_get(*, user) -> ProfilReseau:
    return ProfilReseau.objects.filter(user=user).first() or ProfilReseau(user=user)


def profile_update(
    *,
    actor: audit.Actor,
    consentement: bool,
    email_public: str,
    telephone_public: str,
    presentation: str = "",
    lettre_hebdo: bool | None = None,
) -> ProfilReseau:
    """Set one's own directory profile (the actor is the person: nobody sets it for her), and
    whether she receives the weekly digest (unchanged when ``lettre_hebdo`` is None)."""
    user = actor.user
    profil = profile_get(user=user)
    values = {
        "consentement": bool(consentement),
        "email_public": email_public.strip()[:254],
        "telephone_public": telephone_public.strip()[:20],
        "presentation": presentation.strip()[:300],
    }
    if lettre_hebdo is not None:
        values["lettre_hebdo"] = bool(lettre_hebdo)
    with transaction.atomic():
        created = profil.pk is None
        diff = audit.assign_changes(profil, values)
        if diff or created:
            profil.save()
            profile_audit(actor, profil, created=created, changes=diff)
            bump_network_version()
    return profil


def profile_audit(actor: audit.Actor, profil: ProfilReseau, *, created: bool, changes: dict) -> None:
    """Record a change of a network profile (saved) in the one audit trail."""
    audit.change(
        actor,
        programme=None,
        objet="profil_reseau",
        objet_id=profil.pk,
        libelle=f"profil réseau de {profil.user.get_username()}",
        commune_code="",
        action=Changement.Action.CREATION if created else Changement.Action.MODIFICATION,
        changes=changes,
        at=timezone.now(),
    ).save()

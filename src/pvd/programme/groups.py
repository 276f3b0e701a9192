"""PVD groups (``id_pvd``) written by a laureate list import: one group per identifier, its
EPCI and department from its communes; groups left empty are deleted (logged)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Q

from pvd.domain.programme import group_label
from pvd.programme.audit import assign_changes, change, deleted, fmt
from pvd.programme.models import Groupe, Laureat, Programme
from pvd.sources.pvd_list import id_pvd_parts
from pvd.sources.report import TableCounts
from pvd.territories.models import EPCI

GROUPE_FIELDS = ("epci_id", "departement_id", "region_id", "nom", "libelle_communes", "notes")


def sync(programme: Programme, ctx) -> dict[str, Groupe]:
    """Create or update the groups of the list's rows (``ctx``: the pipeline's context)."""
    wanted, actor, report, now = ctx.wanted, ctx.actor, ctx.report, ctx.now
    members: dict[str, list] = defaultdict(list)
    file_epci: dict[str, Counter] = defaultdict(Counter)
    for row, info in wanted:
        if row.id_pvd:
            members[row.id_pvd].append(info)
            if row.siren_epci:
                file_epci[row.id_pvd][row.siren_epci] += 1
    existing = {g.code: g for g in Groupe.objects.filter(programme=programme)}
    counts = TableCounts()
    log = []
    to_create, to_update = [], []
    known_epci = set(EPCI.objects.values_list("siren", flat=True))
    for code, infos in members.items():
        # The carrying EPCI: today's EPCI of the communes (the referential is current; the
        # file's may be older). When members belong to several, the most common one.
        epcis = Counter(i.epci for i in infos if i.epci)
        epci = epcis.most_common(1)[0][0] if epcis else None
        if epci is None and file_epci[code]:
            candidate = file_epci[code].most_common(1)[0][0]
            epci = candidate if candidate in known_epci else None
        first = infos[0]
        parts = id_pvd_parts(code)
        dep = first.departement
        if parts and parts[1] and parts[1][0] in {i.departement for i in infos}:
            dep = parts[1][0]
        region = next(i.region for i in infos if i.departement == dep)
        by_size = sorted(infos, key=lambda i: (-(i.population or 0), i.nom))
        values = {
            "epci_id": epci,
            "departement_id": dep,
            "region_id": region,
            "libelle_communes": group_label([i.nom for i in by_size])[:300],
        }
        group = existing.get(code)
        if group is None:
            group = Groupe(programme=programme, code=code, **values)
            to_create.append(group)
            continue
        diff = assign_changes(group, values)
        if not diff:
            counts.unchanged += 1
            continue
        to_update.append(group)
        report.changes.append(
            f"~ groupe {code} : "
            + ", ".join(f"{k} {fmt(a)} → {fmt(b)}" for k, (a, b) in diff.items())
        )
        log.append(
            change(
                actor,
                programme=programme,
                objet="groupe",
                objet_id=group.pk,
                libelle=f"groupe {code}",
                commune_code="",
                action="modification",
                changes=diff,
                at=now,
            )
        )
    if to_create:
        for g in Groupe.objects.bulk_create(to_create, batch_size=1000):
            existing[g.code] = g
            report.changes.append(f"+ groupe {g.code}")
            log.append(
                change(
                    actor,
                    programme=programme,
                    objet="groupe",
                    objet_id=g.pk,
                    libelle=f"groupe {g.code}",
                    commune_code="",
                    action="creation",
                    changes={k: (None, getattr(g, k)) for k in GROUPE_FIELDS if getattr(g, k)},
                    at=now,
                )
            )
        counts.created = len(to_create)
    if to_update:
        Groupe.objects.bulk_update(to_update, list(GROUPE_FIELDS), batch_size=1000)
        counts.updated = len(to_update)
    report.tables["groupes"] = counts
    ctx.log.extend(log)
    return existing


def delete_empty(programme: Programme, ctx, *, was_active: set[int] | None = None) -> None:
    """Groups left without any active laureate and without notes are deleted (logged).

    A group that carries a projet de territoire or a project team is never deleted by an import:
    it is kept (its project stays readable, with its actions, budgets and history) and reported.
    The database protects it too (``on_delete=PROTECT`` on the project and team links)."""
    actor, report, now = ctx.actor, ctx.report, ctx.now
    candidates = Groupe.objects.filter(programme=programme).exclude(
        laureats__statut=Laureat.Statut.ACTIF
    )
    kept = list(
        candidates.filter(Q(projet__isnull=False) | Q(membres_projet__isnull=False))
        .distinct()
        .order_by("code")
    )
    was_active = was_active or set()
    for g in kept:
        # The group's project through the reverse one-to-one link (no import of the projects app,
        # which builds on the programme): None when the group only has a team.
        if g.pk in was_active and getattr(g, "projet", None) is not None:
            names = ", ".join(
                f"{c} ({code})"
                for c, code in g.laureats.order_by("commune__code").values_list(
                    "commune__nom", "commune__code"
                )
            )
            report.detached.append(
                f"« {g.projet.nom} », groupe {g.code}" + (f" ({names})" if names else "")
            )
        report.changes.append(
            f"= groupe {g.code} gardé sans commune active : son projet de territoire et son "
            "équipe sont conservés"
        )
    if kept:
        report.warnings.append(
            f"{len(kept)} groupe(s) sans commune active gardés car ils portent un projet de "
            f"territoire ou une équipe : {', '.join(g.code for g in kept[:10])}"
            + ("…" if len(kept) > 10 else "")
        )
    empty = list(
        candidates.filter(notes="", projet__isnull=True, membres_projet__isnull=True).distinct()
    )
    if not empty:
        return
    linked: dict[int, list[str]] = defaultdict(list)
    for gid, code in Laureat.objects.filter(groupe__in=empty).values_list(
        "groupe_id", "commune__code"
    ):
        linked[gid].append(code)
    # With the deleted row (restorable) and the communes it grouped.
    ctx.log.extend(
        [
            deleted(
                actor,
                [g],
                programme=programme,
                objet="groupe",
                libelle=f"groupe {g.code}",
                changes={"communes": (sorted(linked[g.pk]), None)} if linked[g.pk] else {},
                at=now,
                cascade=False,
            )
            for g in empty
        ]
    )
    for g in empty:
        report.changes.append(f"- groupe {g.code} (plus aucune commune)")
    Laureat.objects.filter(groupe__in=empty).update(groupe=None)
    Groupe.objects.filter(pk__in=[g.pk for g in empty]).delete()
    report.tables["groupes"].deleted = len(empty)

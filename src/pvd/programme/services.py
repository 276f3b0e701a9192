"""Writes to the programme registry. One transaction per service; every write leaves a
``Changement`` row (who, when, what).

Imports are atomic (all or nothing), idempotent (a second run of the same file changes nothing
and says so) and have a dry run (everything is computed and reported, then rolled back).
Rules shared by the imports:
- the file is the authority for the values it carries; an empty value (``NA``, blank) never
  erases a value already in the registry (it means "not reported", not "none");
- codes of merged communes are mapped to the current commune (communes déléguées/associées of
  the referential, former codes of the embedded snapshot's re-basing report) with a warning;
- unknown codes, duplicates and inconsistencies are reported with their line, never silently
  dropped; a file that cannot be read changes nothing.
"""

from __future__ import annotations

import getpass
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from pvd.domain.rebase import CurrentGeography
from pvd.programme.models import Changement, Groupe, Laureat, Ort, Perimetre, Programme
from pvd.sources import ort_list, pvd_list
from pvd.sources.pvd_list import Issue, id_pvd_parts
from pvd.sources.report import ImportReport, SourceError, TableCounts
from pvd.territories.current_geography import current_geography
from pvd.territories.models import Commune
from pvd.territories.services import dataset_record

UNKNOWN_CODE = "unknown-code"
MERGED_CODE = "merged-code"
DUPLICATE = "duplicate"
DEPARTEMENT_MISMATCH = "departement-mismatch"
EPCI_MISMATCH = "epci-mismatch"
GROUP_MISMATCH = "group-mismatch"
NO_GROUP = "no-group"
PROGRAMME_MISMATCH = "programme-mismatch"

ISSUE_LABELS = {
    "invalid-code": "codes commune invalides (ligne ignorée)",
    UNKNOWN_CODE: "codes commune inconnus du référentiel (ligne ignorée)",
    MERGED_CODE: "codes de communes fusionnées, rattachés à la commune actuelle",
    DUPLICATE: "doublons (seule la première ligne est gardée)",
    DEPARTEMENT_MISMATCH: "département du fichier différent du référentiel",
    EPCI_MISMATCH: "EPCI du fichier différent du référentiel actuel",
    GROUP_MISMATCH: "identifiant de groupe incohérent avec la commune",
    NO_GROUP: "lignes sans identifiant de groupe (id_pvd)",
    PROGRAMME_MISMATCH: "appartenance au programme différente du registre",
    "invalid-value": "valeurs illisibles (ignorées)",
    pvd_list.FIXED_ZERO: "codes dont le zéro initial était perdu (corrigés)",
}
SKIPPING = {"invalid-code", UNKNOWN_CODE, DUPLICATE}
CHANGES_SHOWN = 50
ISSUES_SHOWN = 10

LAUREAT_FIELDS = (
    "groupe_id",
    "statut",
    "date_selection",
    "date_convention_adhesion",
    "date_chef_projet",
    "date_convention_cadre",
    "notes",
    "code_source",
)
GROUPE_FIELDS = ("epci_id", "departement_id", "region_id", "nom", "notes")
ORT_FIELDS = (
    "signature",
    "date_signature",
    "date_envisagee",
    "duree_annees",
    "date_fin",
    "avancement",
    "statut_commune",
    "acv",
    "pvd",
    "code_source",
    "longitude",
    "latitude",
)


@dataclass
class RegistryImportReport(ImportReport):
    """An import report with the row issues (by stable code) and the changes, one per line."""

    file: str = ""
    encoding: str = ""
    layout: str = ""
    rows_read: int = 0
    issues: list[Issue] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def issue_counts(self) -> Counter:
        return Counter(i.code for i in self.issues)

    def lines(self) -> list[str]:
        out = super().lines()
        out.insert(
            1,
            f"  fichier : {self.file} ({self.layout}, {self.encoding}), "
            f"{self.rows_read} lignes lues",
        )
        by_code: dict[str, list[Issue]] = defaultdict(list)
        for issue in self.issues:
            by_code[issue.code].append(issue)
        for code, issues in by_code.items():
            out.append(f"  {ISSUE_LABELS.get(code, code)} : {len(issues)}")
            for i in issues[:ISSUES_SHOWN]:
                where = f"ligne {i.line} : " if i.line else ""
                out.append(f"    - {where}{i.message}")
            if len(issues) > ISSUES_SHOWN:
                out.append(f"    - ... et {len(issues) - ISSUES_SHOWN} autres")
        if self.changes:
            out.append("  changements" + (" qui seraient faits :" if self.dry_run else " :"))
            out.extend(f"    {c}" for c in self.changes[:CHANGES_SHOWN])
            if len(self.changes) > CHANGES_SHOWN:
                out.append(f"    ... et {len(self.changes) - CHANGES_SHOWN} autres")
        return out


# --- Geography: current communes, and where old codes went ----------------------------------


@dataclass(frozen=True)
class CommuneInfo:
    pk: int
    code: str
    nom: str
    departement: str
    region: str
    epci: str | None


def _geography() -> tuple[dict[str, CommuneInfo], CurrentGeography]:
    """Current communes with what the registry shows of them, and the one current geography
    (:mod:`pvd.territories.current_geography`) to place the file's codes."""
    geo = current_geography()
    current: dict[str, CommuneInfo] = {}
    rows = Commune.objects.filter(type=Commune.Type.COM).values_list(
        "pk", "code", "nom", "departement_id", "region_id", "epci_id"
    )
    for pk, code, nom, dep, reg, epci in rows.iterator(chunk_size=5000):
        if code in geo.actual:
            current[code] = CommuneInfo(pk, code, nom, dep, reg, epci)
    return current, geo


def _resolve(
    code: str,
    line: int,
    current: dict[str, CommuneInfo],
    geo: CurrentGeography,
    report: RegistryImportReport,
    seen: dict[int, int],
) -> CommuneInfo | None:
    """The current commune a file code designates, reporting unknown, merged and duplicates."""
    target = geo.target_of(code)
    if target is None or target not in current:
        report.issues.append(
            Issue(
                UNKNOWN_CODE,
                f"code commune « {code} » inconnu du référentiel (COG en vigueur)",
                line,
                code,
            )
        )
        return None
    info = current[target]
    if target != code:
        how = (
            "commune déléguée/associée" if code in geo.delegated_parent else "ancien code (fusion)"
        )
        report.issues.append(
            Issue(
                MERGED_CODE,
                f"{code} ({how}) rattaché à la commune actuelle {target} {info.nom}",
                line,
                code,
            )
        )
    if info.pk in seen:
        report.issues.append(
            Issue(
                DUPLICATE,
                f"{code} : commune {target} {info.nom} déjà lue ligne {seen[info.pk]}",
                line,
                code,
            )
        )
        return None
    seen[info.pk] = line
    return info


# --- History ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who writes: a user (web, API, admin) or an import (CLI user name and file)."""

    origine: str
    user: Any = None
    auteur: str = ""

    @classmethod
    def import_of(cls, path: str) -> Actor:
        try:
            who = getpass.getuser()
        except Exception:  # no login name in some containers
            who = "inconnu"
        return cls("import", None, f"import {Path(path).name} ({who})"[:200])


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


def _change(
    actor: Actor,
    *,
    programme: Programme | None,
    objet: str,
    objet_id: int,
    libelle: str,
    commune_code: str,
    action: str,
    changes: dict,
    at,
) -> Changement:
    user = actor.user if actor.user is not None and actor.user.is_authenticated else None
    return Changement(
        at=at,
        user=user,
        origine=actor.origine,
        auteur=actor.auteur,
        programme=programme,
        objet=objet,
        objet_id=objet_id,
        libelle=libelle[:300],
        commune_code=commune_code,
        action=action,
        changes={k: [_jsonable(a), _jsonable(b)] for k, (a, b) in changes.items()},
    )


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- Laureate list import --------------------------------------------------------------------


BUILTIN_PROGRAMMES = {
    "pvd": {
        "nom": "Petites villes de demain",
        "description": "Programme de revitalisation des communes de moins de 20 000 habitants "
        "exerçant des fonctions de centralité et présentant des signes de fragilité, piloté "
        "par l'Agence nationale de la cohésion des territoires (ANCT).",
        "date_lancement": date(2020, 10, 1),
        "url": "https://agence-cohesion-territoires.gouv.fr/petites-villes-de-demain-45",
        "avec_groupes": True,
    },
    "acv": {
        "nom": "Action Cœur de Ville",
        "description": "Programme de revitalisation des centres des villes moyennes (2018).",
        "date_lancement": date(2018, 3, 27),
        "url": "https://agence-cohesion-territoires.gouv.fr/action-coeur-de-ville-42",
        "avec_groupes": False,
    },
}


def programme_get(*, slug: str) -> Programme:
    """The programme; the built-in ones (pvd, acv) are created when missing (the migration
    creates them, but a flushed test database or a hand-cleaned one may lack them)."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None and slug in BUILTIN_PROGRAMMES:
        programme, _ = Programme.objects.get_or_create(slug=slug, defaults=BUILTIN_PROGRAMMES[slug])
    if programme is None:
        known = ", ".join(
            sorted({*Programme.objects.values_list("slug", flat=True), *BUILTIN_PROGRAMMES})
        )
        raise SourceError(slug, f"programme inconnu « {slug} » (programmes connus : {known})")
    return programme


def _laureates_import(
    *,
    path: Path,
    programme_slug: str = "pvd",
    dry_run: bool = False,
    millesime: str | None = None,
    selection_date: date | None = None,
    actor: Actor | None = None,
) -> RegistryImportReport:
    """Import an official list of a programme's laureate communes (see :mod:`pvd.sources.pvd_list`).

    Laureates absent from the file are not deleted (their notes and history stay) but marked
    "sorti du programme"; they come back if a later list has them again. ``selection_date``
    fills the selection date of laureates that have none (lists do not carry it).
    """
    parsed = pvd_list.read_programme_list(Path(path))
    programme = programme_get(slug=programme_slug)
    actor = actor or Actor.import_of(parsed.path)
    report = RegistryImportReport(
        source=f"Lauréats {programme.nom} — {Path(parsed.path).name}",
        dry_run=dry_run,
        file=parsed.path,
        encoding=parsed.encoding,
        layout=parsed.layout,
        rows_read=len(parsed.rows) + sum(1 for i in parsed.issues if i.code == "invalid-code"),
    )
    report.issues.extend(parsed.issues)
    current, geo = _geography()
    has_group_column = "ID_PVD" in {c.upper() for c in parsed.columns}

    # 1. Resolve every row to a current commune, with consistency checks.
    seen: dict[int, int] = {}
    wanted: list[tuple[pvd_list.ListRow, CommuneInfo]] = []
    for row in parsed.rows:
        info = _resolve(row.code, row.line, current, geo, report, seen)
        if info is None:
            continue
        if row.departement and row.departement != info.departement:
            report.issues.append(
                Issue(
                    DEPARTEMENT_MISMATCH,
                    f"{row.code} {info.nom} : département {row.departement} "
                    f"dans le fichier, {info.departement} dans le référentiel (gardé)",
                    row.line,
                    row.code,
                )
            )
        if row.siren_epci and row.siren_epci != info.epci:
            report.issues.append(
                Issue(
                    EPCI_MISMATCH,
                    f"{row.code} {info.nom} : EPCI {row.siren_epci} "
                    f"{row.lib_epci} dans le fichier, {info.epci or 'aucun'} dans le référentiel "
                    "(gardé)",
                    row.line,
                    row.code,
                )
            )
        if row.id_pvd and (parts := id_pvd_parts(row.id_pvd)):
            region, deps = parts
            if region != info.region or info.departement not in deps:
                report.issues.append(
                    Issue(
                        GROUP_MISMATCH,
                        f"{row.code} {info.nom} (région {info.region}, département "
                        f"{info.departement}) : identifiant de groupe {row.id_pvd}",
                        row.line,
                        row.code,
                    )
                )
        if has_group_column and not row.id_pvd and programme.avec_groupes:
            report.issues.append(
                Issue(
                    NO_GROUP,
                    f"{row.code} {info.nom} : pas d'identifiant de groupe",
                    row.line,
                    row.code,
                )
            )
        wanted.append((row, info))
    report.skipped.update(ISSUE_LABELS[i.code] for i in report.issues if i.code in SKIPPING)

    with transaction.atomic():
        now = timezone.now()
        dataset = dataset_record(
            key=f"programme-{programme.slug}-laureats",
            title=f"{pvd_list.TITLE if programme.slug == 'pvd' else 'Liste des communes ' + programme.nom}",
            publisher=pvd_list.PUBLISHER,
            licence=pvd_list.LICENCE,
            url=pvd_list.URL if programme.slug == "pvd" else programme.url,
            vintage=millesime or _vintage_from_name(parsed.path),
            version=Path(parsed.path).name,
            checksum=parsed.sha256,
            details={
                "layout": parsed.layout,
                "rows": report.rows_read,
                "issues": dict(report.issue_counts()),
            },
        )
        if programme.dataset_id != dataset.pk:
            programme.dataset = dataset
            programme.save(update_fields=["dataset"])

        # 2. Groups (PVD): one per id_pvd; EPCI and department from its communes.
        groups_by_code = _sync_groups(programme, wanted, actor, report, now)

        # 3. Laureates.
        existing = {
            lau.commune_id: lau
            for lau in Laureat.objects.filter(programme=programme).select_related("commune")
        }
        counts = TableCounts()
        to_create: list[tuple[Laureat, CommuneInfo]] = []
        to_update: list[Laureat] = []
        log: list[Changement] = []
        for row, info in wanted:
            values = {"statut": Laureat.Statut.ACTIF}
            if row.id_pvd and row.id_pvd in groups_by_code:
                values["groupe_id"] = groups_by_code[row.id_pvd].pk
            if row.date_signature:
                values["date_convention_adhesion"] = row.date_signature
            if row.date_selection:
                values["date_selection"] = row.date_selection
            values["code_source"] = row.code if row.code != info.code else ""
            lau = existing.get(info.pk)
            if lau is None:
                if selection_date and "date_selection" not in values:
                    values["date_selection"] = selection_date
                to_create.append((Laureat(programme=programme, commune_id=info.pk, **values), info))
                continue
            if selection_date and lau.date_selection is None and "date_selection" not in values:
                values["date_selection"] = selection_date
            diff = {k: (getattr(lau, k), v) for k, v in values.items() if getattr(lau, k) != v}
            if not diff:
                counts.unchanged += 1
                continue
            for k, (_, v) in diff.items():
                setattr(lau, k, v)
            lau.updated_at = now
            to_update.append(lau)
            report.changes.append(
                f"~ {info.code} {info.nom} : "
                + ", ".join(f"{k} {_fmt(a)} → {_fmt(b)}" for k, (a, b) in diff.items())
            )
            log.append(
                _change(
                    actor,
                    programme=programme,
                    objet="laureat",
                    objet_id=lau.pk,
                    libelle=f"{info.nom} ({info.departement})",
                    commune_code=info.code,
                    action="modification",
                    changes=diff,
                    at=now,
                )
            )
        # Laureates absent from the file leave the programme (kept, with their history).
        in_file = {info.pk for _, info in wanted}
        for commune_id, lau in existing.items():
            if commune_id in in_file or lau.statut == Laureat.Statut.SORTI:
                continue
            diff = {"statut": (lau.statut, Laureat.Statut.SORTI)}
            lau.statut = Laureat.Statut.SORTI
            lau.updated_at = now
            to_update.append(lau)
            report.changes.append(
                f"- {lau.commune.code} {lau.commune.nom} : absente du fichier, "
                "marquée « sortie du programme »"
            )
            log.append(
                _change(
                    actor,
                    programme=programme,
                    objet="laureat",
                    objet_id=lau.pk,
                    libelle=f"{lau.commune.nom} ({lau.commune.departement_id})",
                    commune_code=lau.commune.code,
                    action="modification",
                    changes=diff,
                    at=now,
                )
            )
        if to_create:
            created = Laureat.objects.bulk_create([lau for lau, _ in to_create], batch_size=1000)
            for lau, (_, info) in zip(created, to_create, strict=True):
                report.changes.append(f"+ {info.code} {info.nom} ({info.departement})")
                log.append(
                    _change(
                        actor,
                        programme=programme,
                        objet="laureat",
                        objet_id=lau.pk,
                        libelle=f"{info.nom} ({info.departement})",
                        commune_code=info.code,
                        action="creation",
                        changes={
                            k: (None, getattr(lau, k))
                            for k in LAUREAT_FIELDS
                            if getattr(lau, k) not in (None, "")
                        },
                        at=now,
                    )
                )
            counts.created = len(created)
        if to_update:
            Laureat.objects.bulk_update(to_update, [*LAUREAT_FIELDS, "updated_at"], batch_size=1000)
            counts.updated = len(to_update)
        report.tables["lauréats"] = counts
        _delete_empty_groups(programme, actor, report, now)
        Changement.objects.bulk_create(log, batch_size=1000)
    return report


def laureates_import(*, dry_run: bool = False, **kwargs) -> RegistryImportReport:
    """See :func:`_laureates_import`; everything (even a built-in programme created on the way)
    is rolled back in a dry run."""
    with transaction.atomic():
        report = _laureates_import(dry_run=dry_run, **kwargs)
        if dry_run:
            transaction.set_rollback(True)
    return report


def ort_import(*, dry_run: bool = False, **kwargs) -> RegistryImportReport:
    """See :func:`_ort_import` (rolled back entirely in a dry run)."""
    with transaction.atomic():
        report = _ort_import(dry_run=dry_run, **kwargs)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _vintage_from_name(path: str) -> str:
    import re

    m = re.search(r"(20\d\d)(?:[-_](\d\d))?", Path(path).name)
    if not m:
        return f"importé le {timezone.localdate():%d/%m/%Y}"
    return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)


def _sync_groups(
    programme: Programme, wanted, actor: Actor, report: RegistryImportReport, now
) -> dict[str, Groupe]:
    members: dict[str, list[CommuneInfo]] = defaultdict(list)
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
    from pvd.territories.models import EPCI

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
        values = {"epci_id": epci, "departement_id": dep, "region_id": region}
        group = existing.get(code)
        if group is None:
            group = Groupe(programme=programme, code=code, **values)
            to_create.append(group)
            continue
        diff = {k: (getattr(group, k), v) for k, v in values.items() if getattr(group, k) != v}
        if not diff:
            counts.unchanged += 1
            continue
        for k, (_, v) in diff.items():
            setattr(group, k, v)
        to_update.append(group)
        report.changes.append(
            f"~ groupe {code} : "
            + ", ".join(f"{k} {_fmt(a)} → {_fmt(b)}" for k, (a, b) in diff.items())
        )
        log.append(
            _change(
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
                _change(
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
    Changement.objects.bulk_create(log, batch_size=1000)
    return existing


def _delete_empty_groups(
    programme: Programme, actor: Actor, report: RegistryImportReport, now
) -> None:
    """Groups left without any active laureate and without notes are deleted (logged)."""
    empty = list(
        Groupe.objects.filter(programme=programme, notes="").exclude(
            laureats__statut=Laureat.Statut.ACTIF
        )
    )
    if not empty:
        return
    Changement.objects.bulk_create(
        [
            _change(
                actor,
                programme=programme,
                objet="groupe",
                objet_id=g.pk,
                libelle=f"groupe {g.code}",
                commune_code="",
                action="suppression",
                changes={},
                at=now,
            )
            for g in empty
        ]
    )
    for g in empty:
        report.changes.append(f"- groupe {g.code} (plus aucune commune)")
    Laureat.objects.filter(groupe__in=empty).update(groupe=None)
    Groupe.objects.filter(pk__in=[g.pk for g in empty]).delete()
    report.tables["groupes"].deleted = len(empty)


# --- ORT import ------------------------------------------------------------------------------


def _ort_import(
    *, path: Path, dry_run: bool = False, millesime: str | None = None, actor: Actor | None = None
) -> RegistryImportReport:
    """Import the national ORT tracking sheet; its signature dates fill the laureates'
    convention-cadre date (the PVD convention-cadre is the one *valant ORT*).

    The ORT table mirrors the file (rows absent from it are deleted, logged). Laureates are
    never deleted; a signed date in the file replaces theirs, an empty one keeps theirs.
    """
    parsed = ort_list.read_ort_list(Path(path))
    actor = actor or Actor.import_of(parsed.path)
    report = RegistryImportReport(
        source=f"ORT — {Path(parsed.path).name}",
        dry_run=dry_run,
        file=parsed.path,
        encoding=parsed.encoding,
        layout="tableau national de suivi des ORT",
        rows_read=len(parsed.rows) + sum(1 for i in parsed.issues if i.code == "invalid-code"),
    )
    report.issues.extend(parsed.issues)
    current, geo = _geography()
    seen: dict[int, int] = {}
    wanted: list[tuple[ort_list.OrtRow, CommuneInfo]] = []
    for row in parsed.rows:
        info = _resolve(row.code, row.line, current, geo, report, seen)
        if info is None:
            continue
        if row.departement_prefix and row.departement_prefix != info.departement:
            report.issues.append(
                Issue(
                    DEPARTEMENT_MISMATCH,
                    f"{row.code} {info.nom} : département "
                    f"{row.departement_prefix} dans le fichier, {info.departement} dans le "
                    "référentiel (gardé)",
                    row.line,
                    row.code,
                )
            )
        wanted.append((row, info))
    report.skipped.update(ISSUE_LABELS[i.code] for i in report.issues if i.code in SKIPPING)

    with transaction.atomic():
        now = timezone.now()
        dataset_record(
            key="programme-ort",
            title=ort_list.TITLE,
            publisher=ort_list.PUBLISHER,
            licence=ort_list.LICENCE,
            url=ort_list.URL,
            vintage=millesime or _vintage_from_name(parsed.path),
            version=Path(parsed.path).name,
            checksum=parsed.sha256,
            details={"rows": report.rows_read, "issues": dict(report.issue_counts())},
        )
        existing = {o.commune_id: o for o in Ort.objects.select_related("commune")}
        counts = TableCounts()
        log: list[Changement] = []
        to_create, to_update = [], []
        for row, info in wanted:
            values = {
                "signature": row.signature,
                "date_signature": row.date_signature,
                "date_envisagee": row.date_envisagee,
                "duree_annees": row.duree_annees,
                "date_fin": row.date_fin,
                "avancement": row.avancement,
                "statut_commune": row.statut_commune,
                "acv": row.acv,
                "pvd": row.pvd,
                "code_source": row.code if row.code != info.code else "",
                "longitude": row.longitude,
                "latitude": row.latitude,
            }
            ort = existing.get(info.pk)
            if ort is None:
                to_create.append((Ort(commune_id=info.pk, **values), info))
                continue
            diff = {k: (getattr(ort, k), v) for k, v in values.items() if getattr(ort, k) != v}
            if not diff:
                counts.unchanged += 1
                continue
            for k, (_, v) in diff.items():
                setattr(ort, k, v)
            to_update.append(ort)
            report.changes.append(
                f"~ ORT {info.code} {info.nom} : "
                + ", ".join(f"{k} {_fmt(a)} → {_fmt(b)}" for k, (a, b) in diff.items())
            )
            log.append(
                _change(
                    actor,
                    programme=None,
                    objet="ort",
                    objet_id=ort.pk,
                    libelle=f"ORT {info.nom} ({info.departement})",
                    commune_code=info.code,
                    action="modification",
                    changes=diff,
                    at=now,
                )
            )
        if to_create:
            created = Ort.objects.bulk_create([o for o, _ in to_create], batch_size=1000)
            for o, (_, info) in zip(created, to_create, strict=True):
                report.changes.append(f"+ ORT {info.code} {info.nom} ({o.get_signature_display()})")
                log.append(
                    _change(
                        actor,
                        programme=None,
                        objet="ort",
                        objet_id=o.pk,
                        libelle=f"ORT {info.nom} ({info.departement})",
                        commune_code=info.code,
                        action="creation",
                        changes={
                            "signature": (None, o.signature),
                            "date_signature": (None, o.date_signature),
                        },
                        at=now,
                    )
                )
            counts.created = len(created)
        if to_update:
            Ort.objects.bulk_update(to_update, list(ORT_FIELDS), batch_size=1000)
            counts.updated = len(to_update)
        in_file = {info.pk for _, info in wanted}
        stale = [o for cid, o in existing.items() if cid not in in_file]
        for o in stale:
            report.changes.append(f"- ORT {o.commune.code} {o.commune.nom} (absente du fichier)")
            log.append(
                _change(
                    actor,
                    programme=None,
                    objet="ort",
                    objet_id=o.pk,
                    libelle=f"ORT {o.commune.nom}",
                    commune_code=o.commune.code,
                    action="suppression",
                    changes={},
                    at=now,
                )
            )
        Ort.objects.filter(pk__in=[o.pk for o in stale]).delete()
        counts.deleted = len(stale)
        report.tables["ORT"] = counts

        # Laureates: the convention-cadre date from the signed ORT; membership cross-check.
        signed = {info.pk: row.date_signature for row, info in wanted if row.date_signature}
        flagged_pvd = {info.pk: row for row, info in wanted if row.pvd}
        lau_counts = TableCounts()
        to_update = []
        pvd_members = set()
        for lau in Laureat.objects.filter(statut=Laureat.Statut.ACTIF).select_related(
            "commune", "programme"
        ):
            if lau.programme.slug == "pvd":
                pvd_members.add(lau.commune_id)
            new = signed.get(lau.commune_id)
            if new is None:
                continue
            if lau.date_convention_cadre == new:
                lau_counts.unchanged += 1
                continue
            diff = {"date_convention_cadre": (lau.date_convention_cadre, new)}
            lau.date_convention_cadre = new
            lau.updated_at = now
            to_update.append(lau)
            report.changes.append(
                f"~ {lau.commune.code} {lau.commune.nom} ({lau.programme.slug})"
                f" : date_convention_cadre {_fmt(diff['date_convention_cadre'][0])}"
                f" → {_fmt(new)}"
            )
            log.append(
                _change(
                    actor,
                    programme=lau.programme,
                    objet="laureat",
                    objet_id=lau.pk,
                    libelle=f"{lau.commune.nom} ({lau.commune.departement_id})",
                    commune_code=lau.commune.code,
                    action="modification",
                    changes=diff,
                    at=now,
                )
            )
        if to_update:
            Laureat.objects.bulk_update(
                to_update, ["date_convention_cadre", "updated_at"], batch_size=1000
            )
            lau_counts.updated = len(to_update)
        report.tables["lauréats (date de convention-cadre)"] = lau_counts
        if pvd_members:
            for pk, row in flagged_pvd.items():
                if pk not in pvd_members:
                    report.issues.append(
                        Issue(
                            PROGRAMME_MISMATCH,
                            f"{row.code} : marquée PVD dans le fichier, absente "
                            "des lauréats PVD du registre",
                            row.line,
                            row.code,
                        )
                    )
        Changement.objects.bulk_create(log, batch_size=1000)
    return report


# --- Editing (web, API) ----------------------------------------------------------------------


class PermissionDenied(Exception):
    """The user's editing scope does not cover this laureate (message in French)."""


def user_scopes(user) -> list[Perimetre]:
    if not user or not user.is_authenticated or not user.is_active:
        return []
    return list(Perimetre.objects.filter(group__user=user))


def can_edit(user, *, departement_id: str, region_id: str) -> bool:
    """Superusers edit everything; other users within the scopes of their groups."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        s.covers(departement_id=departement_id, region_id=region_id) for s in user_scopes(user)
    )


EDITABLE = (
    "statut",
    "date_selection",
    "date_convention_adhesion",
    "date_chef_projet",
    "date_convention_cadre",
    "notes",
)


def laureate_update(*, laureat: Laureat, user, values: dict, origine: str = "web") -> dict:
    """Change editable fields of a laureate after checking the user's scope; returns the diff."""
    commune = laureat.commune
    if not can_edit(user, departement_id=commune.departement_id, region_id=commune.region_id):
        raise PermissionDenied(
            f"Vous n'avez pas les droits pour modifier {commune.nom} ({commune.departement_id})."
        )
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"champs non modifiables : {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Laureat.objects.select_for_update().get(pk=laureat.pk)
        diff = {k: (getattr(locked, k), v) for k, v in values.items() if getattr(locked, k) != v}
        if not diff:
            return {}
        for k, (_, v) in diff.items():
            setattr(locked, k, v)
        locked.save()
        _change(
            Actor(origine, user),
            programme=locked.programme,
            objet="laureat",
            objet_id=locked.pk,
            libelle=f"{commune.nom} ({commune.departement_id})",
            commune_code=commune.code,
            action="modification",
            changes=diff,
            at=timezone.now(),
        ).save()
    for k, (_, v) in diff.items():
        setattr(laureat, k, v)
    return diff


def scope_group_ensure(*, niveau: str, code: str | None = None) -> Perimetre:
    """The auth group (and its scope) for national, ``region`` or ``departement`` editing."""
    from django.contrib.auth.models import Group

    from pvd.territories.models import Departement, Region

    with transaction.atomic():
        if niveau == Perimetre.Niveau.NATIONAL:
            group, _ = Group.objects.get_or_create(name="Programme — national")
            scope, _ = Perimetre.objects.get_or_create(group=group, defaults={"niveau": niveau})
        elif niveau == Perimetre.Niveau.REGION:
            region = Region.objects.get(code=code)
            group, _ = Group.objects.get_or_create(
                name=f"Programme — région {region.code} {region.nom}"
            )
            scope, _ = Perimetre.objects.get_or_create(
                group=group, defaults={"niveau": niveau, "region": region}
            )
        elif niveau == Perimetre.Niveau.DEPARTEMENT:
            dep = Departement.objects.get(code=code)
            group, _ = Group.objects.get_or_create(
                name=f"Programme — département {dep.code} {dep.nom}"
            )
            scope, _ = Perimetre.objects.get_or_create(
                group=group, defaults={"niveau": niveau, "departement": dep}
            )
        else:
            raise ValueError(f"niveau inconnu : {niveau}")
    return scope

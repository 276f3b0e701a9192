"""The report of a registry list import (:mod:`pvd.programme.pipeline`): the row issues by
stable code (and their French labels), the coverage of the list, what ends and what becomes
read-only (by name, to confirm), and the changes, one per line."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pvd.domain import coverage as cov
from pvd.programme.models import ListeImportee
from pvd.sources import pvd_list
from pvd.sources.pvd_list import Issue
from pvd.sources.report import ImportReport

UNKNOWN_CODE = "unknown-code"
MERGED_CODE = "merged-code"
DUPLICATE = "duplicate"
OUTSIDE = "outside-coverage"
DEPARTEMENT_MISMATCH = "departement-mismatch"
EPCI_MISMATCH = "epci-mismatch"
GROUP_MISMATCH = "group-mismatch"
NO_GROUP = "no-group"
PROGRAMME_MISMATCH = "programme-mismatch"
STATUS_DATE = "status-date-mismatch"

ISSUE_LABELS = {
    "invalid-code": "codes commune invalides (ligne ignorée)",
    UNKNOWN_CODE: "codes commune inconnus du référentiel (ligne ignorée)",
    MERGED_CODE: "codes de communes fusionnées, rattachés à la commune actuelle",
    DUPLICATE: "doublons (seule la première ligne est gardée)",
    OUTSIDE: "lignes hors du périmètre déclaré (ligne ignorée)",
    DEPARTEMENT_MISMATCH: "département du fichier différent du référentiel",
    EPCI_MISMATCH: "EPCI du fichier différent du référentiel actuel",
    GROUP_MISMATCH: "identifiant de groupe incohérent avec la commune",
    NO_GROUP: "lignes sans identifiant de groupe (id_pvd)",
    PROGRAMME_MISMATCH: "appartenance au programme différente du registre",
    STATUS_DATE: "état « Signée ? » et date de signature en désaccord",
    "invalid-value": "valeurs illisibles (ignorées)",
    pvd_list.FIXED_ZERO: "codes dont le zéro initial était perdu (corrigés)",
}
SKIPPING = {"invalid-code", UNKNOWN_CODE, DUPLICATE, OUTSIDE}
CHANGES_SHOWN = 50
ISSUES_SHOWN = 10


@dataclass
class RegistryImportReport(ImportReport):
    """An import report with the row issues (by stable code), the coverage of the list and
    the changes, one per line."""

    file: str = ""
    encoding: str = ""
    layout: str = ""
    rows_read: int = 0
    issues: list[Issue] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    coverage: cov.Coverage = field(default_factory=cov.Coverage)
    coverage_mode: str = ListeImportee.Mode.DEDUIT
    coverage_label: str = ""
    # What ends (laureates leaving, ORT rows removed) by region code, and what the list left
    # alone because it lies outside its coverage.
    ended_by_region: Counter = field(default_factory=Counter)
    ended_label: str = "lauréats qui sortent du programme"
    outside_kept: int = 0
    # By name, what needs an explicit confirmation (``confirm=True``, ``--confirmer``): the
    # entries that end ("Ahun (23001), groupe pvd-75-23-1") and the projets de territoire that
    # become read-only because their group has no active laureate left.
    ended: list[str] = field(default_factory=list)
    detached: list[str] = field(default_factory=list)
    ended_title: str = "lauréats qui sortent du programme"

    def issue_counts(self) -> Counter:
        return Counter(i.code for i in self.issues)

    def lines(self) -> list[str]:
        out = super().lines()
        out.insert(
            1,
            f"  fichier : {self.file} ({self.layout}, {self.encoding}), "
            f"{self.rows_read} lignes lues",
        )
        mode = ListeImportee.Mode(self.coverage_mode).label.lower()
        out.insert(2, f"  périmètre couvert ({mode}) : {self.coverage_label}")
        ended = sum(self.ended_by_region.values())
        verb = "qui sortiraient" if self.dry_run else ""
        detail = ", ".join(f"{r} : {n}" for r, n in sorted(self.ended_by_region.items()))
        label = self.ended_label.replace("qui sortent", verb) if verb else self.ended_label
        out.insert(3, f"  {label} : {ended}" + (f" (par région : {detail})" if detail else ""))
        if self.outside_kept:
            out.insert(
                4,
                f"  hors périmètre, laissés inchangés : {self.outside_kept} "
                "(--national pour traiter la liste comme nationale)",
            )
        out.extend(self.loss_lines())
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

    def loss_lines(self) -> list[str]:
        """Every entry that ends and every project that becomes read-only, by name."""
        out = []
        would = " (confirmation nécessaire : --confirmer)" if self.dry_run else ""
        if self.ended:
            title = (
                self.ended_title.replace("qui sortent", "qui sortiraient")
                if self.dry_run
                else self.ended_title
            )
            out.append(f"  {title}, par nom{would} :")
            out.extend(f"    - {e}" for e in self.ended)
        if self.detached:
            verb = "passeraient" if self.dry_run else "passent"
            out.append(
                f"  projets de territoire qui {verb} en lecture seule (plus aucune commune "
                f"lauréate active){would} :"
            )
            out.extend(f"    - {d}" for d in self.detached)
        return out

    def confirmation_items(self) -> list[str]:
        return [
            *(f"{self.ended_title} : {e}" for e in self.ended),
            *(f"projet en lecture seule : {d}" for d in self.detached),
        ]

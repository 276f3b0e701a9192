"""Programme registry computations on plain data: life-cycle stage, progress, delays, alerts.

Pure Python (no Django): the selectors fetch one row per laureate (a few thousand at most) with a
single query and hand them here, so the statistics are computed once per request, never with a
query per commune.

Life cycle of a *Petites villes de demain* laureate (ANCT): selection → convention d'adhésion
(State, commune(s), EPCI; within months) → recruitment of a project manager (co-funded up to
75 %) → convention-cadre valant ORT (expected within about 18 months of the convention
d'adhésion) → actions → evaluation.
"""

from __future__ import annotations

import calendar
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# The convention-cadre (valant ORT) is expected within about 18 months of the convention
# d'adhésion (ANCT programme guide); past that the town is flagged.
CADRE_DELAY_MONTHS = 18
# The convention d'adhésion was to follow selection "within months": flagged after 12.
ADHESION_DELAY_MONTHS = 12


class Stage(StrEnum):
    SELECTION = "selection"
    ADHESION = "adhesion"
    CHEF_PROJET = "chef_projet"
    CONVENTION_CADRE = "convention_cadre"


STAGE_LABELS = {
    Stage.SELECTION: "Sélectionnée",
    Stage.ADHESION: "Convention d'adhésion signée",
    Stage.CHEF_PROJET: "Chef de projet recruté",
    Stage.CONVENTION_CADRE: "Convention-cadre (ORT) signée",
}


@dataclass(frozen=True)
class LaureateFacts:
    """One laureate commune as the registry knows it (active laureates only)."""

    code: str
    nom: str
    departement: str
    region: str
    population: int | None = None
    groupe: str | None = None
    epci: str | None = None
    date_selection: date | None = None
    date_convention_adhesion: date | None = None
    date_chef_projet: date | None = None
    date_convention_cadre: date | None = None
    # The ORT sheet says "Signée" for the commune (the date may be unknown).
    ort_signee: bool = False
    # A loaded ORT sheet covers the commune: its convention-cadre status is known (outside,
    # the convention-cadre figures are "donnée non disponible", never "not signed").
    cadre_connu: bool = True

    @property
    def cadre_signee(self) -> bool:
        return bool(self.date_convention_cadre) or self.ort_signee


def stage_of(f: LaureateFacts) -> Stage:
    """The furthest stage reached (a later date implies the earlier stages)."""
    if f.cadre_signee:
        return Stage.CONVENTION_CADRE
    if f.date_chef_projet:
        return Stage.CHEF_PROJET
    if f.date_convention_adhesion:
        return Stage.ADHESION
    return Stage.SELECTION


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (31 January + 1 month = 28/29 February)."""
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def median_days(pairs: Iterable[tuple[date | None, date | None]]) -> float | None:
    """Median of (end - start) in days over the pairs where both dates are known and end
    is not before start (an end before the start is a data error, not a negative delay)."""
    days = [(end - start).days for start, end in pairs if start and end and end >= start]
    return statistics.median(days) if days else None


@dataclass(frozen=True)
class Lifecycle:
    """Counts of the stages reached. ``chef_projet`` is None when no source carries the
    recruitment of project managers; ``convention_cadre`` counts the laureates whose status an
    ORT sheet gives (``cadre_total`` of them), None when no ORT sheet covers any."""

    total: int
    adhesion: int
    chef_projet: int | None
    convention_cadre: int | None
    by_stage: dict[str, int]
    median_selection_adhesion: float | None
    median_adhesion_chef: float | None
    median_adhesion_cadre: float | None
    cadre_total: int = 0

    def share(self, count: int | None) -> float | None:
        return count / self.total if self.total and count is not None else None

    @property
    def share_cadre(self) -> float | None:
        """Share of the laureates whose convention-cadre status is known."""
        return share(self.convention_cadre, self.cadre_total)


def lifecycle(rows: Sequence[LaureateFacts], *, chef_known: bool = True) -> Lifecycle:
    stages = {s.value: 0 for s in Stage}
    for f in rows:
        stages[stage_of(f).value] += 1
    known = [f for f in rows if f.cadre_connu]
    return Lifecycle(
        total=len(rows),
        adhesion=sum(1 for f in rows if f.date_convention_adhesion),
        chef_projet=sum(1 for f in rows if f.date_chef_projet) if chef_known else None,
        convention_cadre=sum(1 for f in known if f.cadre_signee) if known else None,
        by_stage=stages,
        median_selection_adhesion=median_days(
            (f.date_selection, f.date_convention_adhesion) for f in rows
        ),
        median_adhesion_chef=median_days(
            (f.date_convention_adhesion, f.date_chef_projet) for f in rows
        )
        if chef_known
        else None,
        median_adhesion_cadre=median_days(
            (f.date_convention_adhesion, f.date_convention_cadre) for f in known
        ),
        cadre_total=len(known),
    )


@dataclass(frozen=True)
class Alert:
    code: str
    nom: str
    departement: str
    kind: str  # "cadre" or "adhesion"
    since: date  # the date the delay runs from
    due: date
    overdue_days: int
    message: str


def alerts(
    rows: Iterable[LaureateFacts],
    *,
    today: date,
    cadre_months: int = CADRE_DELAY_MONTHS,
    adhesion_months: int = ADHESION_DELAY_MONTHS,
) -> list[Alert]:
    """Laureates late on their life cycle, most overdue first. A convention-cadre is awaited
    only where an ORT sheet gives its status (``cadre_connu``): elsewhere it is unknown."""
    out = []
    for f in rows:
        if f.date_convention_adhesion and not f.cadre_signee:
            if not f.cadre_connu:
                continue
            due = add_months(f.date_convention_adhesion, cadre_months)
            if due < today:
                out.append(
                    Alert(
                        f.code,
                        f.nom,
                        f.departement,
                        "cadre",
                        f.date_convention_adhesion,
                        due,
                        (today - due).days,
                        f"Convention-cadre non signée {cadre_months} mois après la convention "
                        f"d'adhésion du {f.date_convention_adhesion:%d/%m/%Y}",
                    )
                )
        elif f.date_selection and not f.date_convention_adhesion and not f.cadre_signee:
            due = add_months(f.date_selection, adhesion_months)
            if due < today:
                out.append(
                    Alert(
                        f.code,
                        f.nom,
                        f.departement,
                        "adhesion",
                        f.date_selection,
                        due,
                        (today - due).days,
                        f"Convention d'adhésion non signée {adhesion_months} mois après la "
                        f"sélection du {f.date_selection:%d/%m/%Y}",
                    )
                )
    return sorted(out, key=lambda a: (-a.overdue_days, a.code))


def share(part: int | None, whole: int | None) -> float | None:
    """part / whole, or None when the whole is unknown or zero (never a division error)."""
    if part is None or not whole:
        return None
    return part / whole


GROUP_LABEL_NAMES = 3  # communes named in a group's label before "et N autres"


def group_label(names: Sequence[str]) -> str:
    """A group named after its communes, most populated first: "Nontron", "Saint-Flour –
    Neuvéglise", "A – B – C et 2 autres communes" (never a code like pvd-75-24-12)."""
    names = [n for n in names if n]
    shown = " – ".join(names[:GROUP_LABEL_NAMES])
    rest = len(names) - GROUP_LABEL_NAMES
    if rest <= 0:
        return shown
    return f"{shown} et {rest} autre{'s' if rest > 1 else ''} commune{'s' if rest > 1 else ''}"

"""The steering committee's pack of a projet de territoire: the plan's progress, the late and
blocked actions with their reasons, the co-financing by funder and decision, the indicators
against their targets. One set of figures, printed in the PDF report and written in the XLSX."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from pvd.domain import steering
from pvd.formats.formula_guard import neutralise_row
from pvd.projects.models import Financement, Indicateur, Projet
from pvd.projects.selectors import ActionRow

DECISIONS = dict(Financement.Decision.choices)


@dataclass
class IndicatorLine:
    action: str
    label: str
    unit: str
    initial: float | None
    last: float | None
    last_date: date | None
    target: float | None
    target_date: date | None

    @property
    def progress(self) -> float | None:
        """Share of the way from the initial value to the target (None when unknown)."""
        if None in (self.initial, self.last, self.target) or self.target == self.initial:
            return None
        return (self.last - self.initial) / (self.target - self.initial)


def funding_by_funder_and_decision(projet: Projet) -> list[dict]:
    """One line per funder and decision (live actions): count, requested, granted, paid."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    lines = Financement.objects.filter(action__projet=projet, action__supprime_le__isnull=True)
    for f in lines:
        s = sums[(f.get_financeur_display(), f.decision)]
        s[0] += 1
        s[1] += f.montant_demande or 0
        s[2] += f.montant_accorde or 0
        s[3] += f.montant_verse or 0
    return [
        {
            "funder": funder,
            "decision": DECISIONS.get(decision, decision),
            "lines": n,
            "requested": req,
            "granted": granted,
            "paid": paid,
        }
        for (funder, decision), (n, req, granted, paid) in sorted(sums.items())
    ]


def indicator_lines(projet: Projet) -> list[IndicatorLine]:
    inds = (
        Indicateur.objects.filter(action__projet=projet, action__supprime_le__isnull=True)
        .select_related("action")
        .prefetch_related("mesures")
    )
    out = []
    for i in inds:
        measures = list(i.mesures.all())  # ordered by date
        last = measures[-1] if measures else None
        out.append(
            IndicatorLine(
                i.action.titre,
                i.libelle,
                i.unite,
                i.valeur_initiale,
                last.valeur if last else None,
                last.date if last else None,
                i.cible,
                i.date_cible,
            )
        )
    return out


def alerts(rows: list[ActionRow]) -> list[ActionRow]:
    return [r for r in rows if r.status in (steering.LATE, steering.BLOCKED)]


def pack_xlsx(*, projet: Projet, rows: list[ActionRow], totals, today: date) -> bytes:
    """The XLSX pack: Synthèse, Actions, Alertes, Cofinancements, Indicateurs."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Synthèse"
    cof = totals.cofinancing
    _sheet(
        ws,
        ["Rubrique", "Valeur"],
        [
            ["Projet", projet.nom],
            ["Groupe", str(projet.groupe)],
            ["Situation au", today],
            ["Actions", totals.actions],
            ["Actions livrées", totals.delivered],
            ["Actions en retard", totals.late],
            ["Actions bloquées", totals.blocked],
            ["Cofinancements demandés (€)", cof["requested"]],
            ["Cofinancements accordés (€)", cof["granted"]],
            ["Cofinancements versés (€)", cof["paid"]],
        ],
    )
    _sheet(
        wb.create_sheet("Actions"),
        ["Action", "Axe", "Statut", "Début", "Fin prévue", "Coût prévu (€)", "Accordé (€)"],
        [
            [
                r.action.titre,
                r.action.get_axe_display(),
                r.status_label,
                r.action.date_debut,
                r.action.date_fin_prevue,
                r.budget.forecast if r.budget.forecast_lines else None,  # empty: no budget line
                r.budget.granted,
            ]
            for r in rows
        ],
    )
    _sheet(
        wb.create_sheet("Alertes"),
        ["Action", "Statut", "Raison"],
        [[r.action.titre, r.status_label, r.late_reason] for r in alerts(rows)],
    )
    _sheet(
        wb.create_sheet("Cofinancements"),
        ["Financeur", "Décision", "Lignes", "Demandé (€)", "Accordé (€)", "Versé (€)"],
        [
            [f["funder"], f["decision"], f["lines"], f["requested"], f["granted"], f["paid"]]
            for f in funding_by_funder_and_decision(projet)
        ],
    )
    _sheet(
        wb.create_sheet("Indicateurs"),
        [
            "Action",
            "Indicateur",
            "Unité",
            "Valeur initiale",
            "Dernière mesure",
            "Date de la mesure",
            "Cible",
            "Échéance",
            "Avancement vers la cible",
        ],
        [
            [
                i.action,
                i.label,
                i.unit,
                i.initial,
                i.last,
                i.last_date,
                i.target,
                i.target_date,
                i.progress,
            ]
            for i in indicator_lines(projet)
        ],
        percent_column=9,
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet(ws, header: list[str], rows: list[list], *, percent_column: int | None = None) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(neutralise_row(row, xlsx=True))
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif percent_column and cell.column == percent_column and cell.value is not None:
                cell.number_format = "0 %"
    ws.freeze_panes = "A2"

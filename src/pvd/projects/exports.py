"""CSV and XLSX exports of a project's actions and co-financing lines.

Same conventions as the programme exports (UTF-8 with BOM, semicolons, plain numbers; XLSX with
a bold frozen header). Amounts are in euros.
"""

from __future__ import annotations

from pvd.programme.exports import to_csv, to_xlsx
from pvd.projects.selectors import ActionRow

ACTION_COLUMNS = (
    "id",
    "intitule",
    "axe",
    "communes",
    "porteur",
    "partenaires",
    "phase",
    "statut",
    "priorite",
    "date_debut",
    "date_fin_prevue",
    "date_fin_reelle",
    "cout_previsionnel",
    "dont_investissement",
    "dont_fonctionnement",
    "realise",
    "cofinancement_demande",
    "cofinancement_accorde",
    "cofinancement_verse",
    "reste_a_financer",
    "jalons",
)
FUNDING_COLUMNS = (
    "action_id",
    "action",
    "axe",
    "financeur",
    "dispositif",
    "montant_demande",
    "montant_accorde",
    "montant_verse",
    "date_demande",
    "date_decision",
    "date_versement",
)


def action_rows(rows: list[ActionRow]) -> list[list]:
    out = []
    for r in rows:
        a, b = r.action, r.budget
        out.append(
            [
                a.pk,
                a.titre,
                a.get_axe_display(),
                ", ".join(r.communes),
                a.porteur.nom if a.porteur_id else "",
                ", ".join(p.nom for p in a.partenaires.all()),
                a.get_phase_display(),
                r.status_label,
                a.get_priorite_display(),
                a.date_debut,
                a.date_fin_prevue,
                a.date_fin_reelle,
                b.forecast,
                b.forecast_investment,
                b.forecast_operating,
                b.actual if b.actual_reported else None,
                b.requested,
                b.granted,
                b.paid,
                b.remaining,
                len(r.milestones),
            ]
        )
    return out


def funding_rows(rows: list[ActionRow]) -> list[list]:
    out = []
    for r in rows:
        a = r.action
        for f in a.financements.all():
            out.append(
                [
                    a.pk,
                    a.titre,
                    a.get_axe_display(),
                    f.get_financeur_display(),
                    f.dispositif,
                    f.montant_demande,
                    f.montant_accorde,
                    f.montant_verse,
                    f.date_demande,
                    f.date_decision,
                    f.date_versement,
                ]
            )
    return out


def export(kind: str, fmt: str, rows: list[ActionRow], *, variant: str = "fr") -> bytes:
    columns, data = (
        (ACTION_COLUMNS, action_rows(rows))
        if kind == "actions"
        else (FUNDING_COLUMNS, funding_rows(rows))
    )
    if fmt == "csv":
        return to_csv(columns, data, [], variant=variant)
    return to_xlsx(kind, columns, data, [])

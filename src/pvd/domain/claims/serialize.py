"""The JSON of a check, the same for the API, the CLI (``--json``) and the page's data."""

from __future__ import annotations

import math

from pvd.domain.claims import lexicon as lx
from pvd.domain.claims.check import Report, Verdict


def _finite(x: float) -> float | None:
    return None if math.isinf(x) else x


def verdict_dict(v: Verdict, number: int | None = None) -> dict:
    c = v.claim
    out = {
        "numero": number,
        "enonce": v.text,
        "statut": v.status,
        "verifiable": v.status != lx.NOT_VERIFIABLE,
        "message": v.message,
        "valeur_registre": v.registry_value,
        "valeur_enoncee": c.value if c else None,
        "qualificatif": (c.qualifier or None) if c else None,
        "tolerance": c.tolerance if c else None,
        "intervalle_accepte": [_finite(c.low), _finite(c.high)] if c else None,
        "mesure": c.measure if c else None,
        "pourcentage": c.percent if c else None,
        "perimetre": {"niveau": c.scope.kind, "code": c.scope.code, "nom": c.scope.nom}
        if c
        else None,
        "position": [c.start, c.end] if c else None,
        "position_territoire": [c.scope_start, c.scope_end] if c and c.scope_start >= 0 else None,
        "partie_de": (c.total + 1) if c and c.total is not None else None,
        "millesimes": [
            {"liste": m.label, "statut": m.status, "valeur_registre": m.value} for m in v.vintages
        ],
        "communes": [
            {
                "code": f.code,
                "nom": f.nom,
                "departement": f.departement,
                "population": f.population,
                "groupe": f.groupe,
            }
            for f in sorted(v.communes, key=lambda f: f.code)
        ],
    }
    if number is None:
        del out["numero"]
    return out


def report_dict(report: Report, sources: list[dict] | None = None) -> dict:
    return {
        "texte": report.text,
        "affirmations": [verdict_dict(v, i + 1) for i, v in enumerate(report.verdicts)],
        "coherence": [
            {
                "total": c.total + 1,
                "parties": [p + 1 for p in c.parts],
                "valeur_totale": c.total_value,
                "somme_des_parties": c.parts_sum,
                "coherent": c.consistent,
                "message": c.message,
            }
            for c in report.consistency
        ],
        "resume": {st: sum(1 for v in report.verdicts if v.status == st) for st in lx.SEVERITY},
        "sources": sources or [],
    }

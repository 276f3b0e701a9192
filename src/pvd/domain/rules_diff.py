"""Which rules differ between two selection scenarios, in French (the compare page says why
communes enter or leave, not only which)."""

from __future__ import annotations

from dataclasses import dataclass

from pvd.domain.centrality import LEVEL_SHORT
from pvd.domain.centrality_source import CENTRALITE_LABELS
from pvd.domain.eligibility import Rules
from pvd.domain.fragility import COMPONENT_BY_KEY
from pvd.domain.numbers import compact as _n


@dataclass(frozen=True)
class RuleChange:
    label: str
    a: str
    b: str


def _text(name: str, value) -> str:
    if value is None:
        return {
            "population_millesime": "la plus récente",
            "rang_epci_max": "pas de critère",
        }.get(name, "aucune")
    if name == "niveaux":
        return ", ".join(LEVEL_SHORT.get(n, n) for n in value) or "aucun"
    if name == "centralite_source":
        return CENTRALITE_LABELS.get(value, value)
    if name in ("fragilite_min",):
        return f"{_n(value)}e percentile"
    if name == "part_epci_min":
        return f"{_n(value * 100)} %"
    if name == "population_millesime":
        return str(value)
    if name in ("population_max", "enveloppe_nationale", "enveloppe_region", "rang_epci_max"):
        return _n(value)
    return str(value)


LABELS = {
    "population_max": "Seuil de population (moins de, habitants)",
    "population_millesime": "Millésime de la population légale",
    "niveaux": "Niveaux de centralité retenus",
    "fragilite_min": "Fragilité minimale",
    "fragilite_manquante": "Fragilité non calculable",
    "enveloppe_nationale": "Enveloppe nationale (communes)",
    "enveloppe_region": "Enveloppe par région (communes)",
    "centralite_source": "Source de la centralité",
    "rang_epci_max": "Rang maximal dans l'EPCI",
    "part_epci_min": "Part minimale de la population de l'EPCI",
}


def differences(a: Rules, b: Rules) -> list[RuleChange]:
    """Each rule whose value differs from A to B, in the order of the editor."""
    out = []
    for name, label in LABELS.items():
        va, vb = getattr(a, name), getattr(b, name)
        if va != vb:
            out.append(RuleChange(label, _text(name, va), _text(name, vb)))
    for key in sorted(set(a.poids) | set(b.poids)):
        wa, wb = a.poids.get(key, 0.0), b.poids.get(key, 0.0)
        if wa != wb:
            component = COMPONENT_BY_KEY.get(key)
            label = f"Poids de la composante « {component.label if component else key} »"
            out.append(RuleChange(label, _n(float(wa)), _n(float(wb))))
    return out

"""The selection model's scenarios: the built-in rules and the saved ones, and the learned model's
name. Imports neither polars nor numpy (`pvd selection scenarios` lists them without starting
the model); served by :mod:`pvd.selection.selectors` too."""

from __future__ import annotations

from dataclasses import dataclass

from pvd.domain import eligibility_rules as edomain
from pvd.selection.models import ModeleAppris, Scenario

DEFAULT_SLUG = "pvd"
BUILTIN = {
    DEFAULT_SLUG: (
        "Règles PVD (par défaut)",
        "Moins de 20 000 habitants, centre intermédiaire ou structurant, fragilité au moins au "
        "50e percentile national, une des 2 communes les plus peuplées de son EPCI (ou 15 % de "
        "sa population).",
        edomain.Rules(),
    ),
}


@dataclass(frozen=True)
class ScenarioView:
    slug: str
    nom: str
    description: str
    rules: edomain.Rules
    builtin: bool


def scenarios_list() -> list[ScenarioView]:
    out = [ScenarioView(s, n, d, r, True) for s, (n, d, r) in BUILTIN.items()]
    for s in Scenario.objects.all():
        if s.slug not in BUILTIN:
            out.append(
                ScenarioView(s.slug, s.nom, s.description, edomain.Rules.from_dict(s.regles), False)
            )
    return out


def scenario_get(*, slug: str) -> ScenarioView | None:
    if slug in BUILTIN:
        n, d, r = BUILTIN[slug]
        return ScenarioView(slug, n, d, r, True)
    s = Scenario.objects.filter(slug=slug).first()
    if s is None:
        return None
    return ScenarioView(s.slug, s.nom, s.description, edomain.Rules.from_dict(s.regles), False)


# The learned model (pvd.selection.learned), listed beside the scenarios.
LEARNED_SLUG = "appris"
LEARNED_NOM = "Modèle appris (régression logistique sur les lauréats)"


def current_model(*, programme: str = "pvd") -> ModeleAppris | None:
    return ModeleAppris.objects.filter(programme=programme).first()

"""Scenario rules <-> URL query strings, so that any what-if is shareable by its URL
(``/selection/resultats/?base=pvd&fragilite_min=60&niveaux=intermediaire``)."""

from __future__ import annotations

from urllib.parse import urlencode

from pvd.domain.eligibility import Rules
from pvd.domain.fragility import COMPONENTS

INT_KEYS = (
    "population_max",
    "population_millesime",
    "enveloppe_nationale",
    "enveloppe_region",
    "rang_epci_max",
)
FLOAT_KEYS = ("fragilite_min", "part_epci_min")


def rules_from_query(base: Rules, query) -> Rules:
    """``query``: a QueryDict (or a dict of lists). Absent keys keep the base rules; an empty
    value of an optional integer clears it. Raises ValueError with a French message."""

    def first(key: str) -> str | None:
        values = query.getlist(key) if hasattr(query, "getlist") else query.get(key, [])
        if isinstance(values, str):
            values = [values]
        return values[0].strip() if values else None

    data = base.as_dict()
    for key in INT_KEYS:
        raw = first(key)
        if raw is None:
            continue
        if raw == "":
            if key == "population_max":
                continue
            data[key] = None
            continue
        try:
            data[key] = int(raw.replace(" ", ""))
        except ValueError as exc:
            raise ValueError(f"{key} : nombre entier attendu, lu « {raw} »") from exc
    for key in FLOAT_KEYS:
        raw = first(key)
        if raw:
            try:
                data[key] = float(raw.replace(",", "."))
            except ValueError as exc:
                raise ValueError(f"{key} : nombre attendu, lu « {raw} »") from exc
    raw = first("fragilite_manquante")
    if raw:
        data["fragilite_manquante"] = raw
    raw = first("centralite_source")
    if raw:
        data["centralite_source"] = raw
    niveaux = query.getlist("niveaux") if hasattr(query, "getlist") else query.get("niveaux")
    if niveaux:
        data["niveaux"] = [n for n in niveaux if n]
    for comp in COMPONENTS:
        raw = first(f"poids_{comp.key}")
        if raw is not None and raw != "":
            try:
                data["poids"][comp.key] = float(raw.replace(",", "."))
            except ValueError as exc:
                raise ValueError(f"poids {comp.key} : nombre attendu, lu « {raw} »") from exc
    return Rules.from_dict(data)


def rules_to_query(rules: Rules, base_slug: str = "pvd") -> str:
    pairs: list[tuple[str, str]] = [("base", base_slug)]
    for key in INT_KEYS:
        value = getattr(rules, key)
        pairs.append((key, "" if value is None else str(value)))
    pairs.append(("fragilite_min", f"{rules.fragilite_min:g}"))
    pairs.append(("part_epci_min", f"{rules.part_epci_min:g}"))
    pairs.append(("fragilite_manquante", rules.fragilite_manquante))
    pairs.append(("centralite_source", rules.centralite_source))
    pairs += [("niveaux", n) for n in rules.niveaux]
    pairs += [(f"poids_{k}", f"{v:g}") for k, v in rules.poids.items()]
    return urlencode(pairs)

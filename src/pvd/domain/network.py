"""Pure rules of the network of programme towns (no Django): population bands used to filter
the directory and the practices, and the order in which peers are proposed."""

from __future__ import annotations

# Bands of the latest legal population (the programme's towns: fewer than 20,000 inhabitants
# at selection; a few grew past it). Lower bound included, upper bound excluded.
BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("moins-2500", "Moins de 2 500 habitants", 0, 2500),
    ("2500-5000", "De 2 500 à 5 000 habitants", 2500, 5000),
    ("5000-10000", "De 5 000 à 10 000 habitants", 5000, 10000),
    ("10000-plus", "10 000 habitants ou plus", 10000, None),
)
BAND_LABELS = {code: label for code, label, _, _ in BANDS}

# Where a peer comes from, in the order they are proposed.
TIER_SIMILAR = "similaire"
TIER_DEPARTMENT = "departement"
TIER_REGION = "region"
TIERS = (TIER_SIMILAR, TIER_DEPARTMENT, TIER_REGION)
TIER_LABELS = {
    TIER_SIMILAR: "Commune similaire",
    TIER_DEPARTMENT: "Même département",
    TIER_REGION: "Même région",
}


def band_of(population: int | None) -> str | None:
    """The band code of a population; None when the population is unknown (never a guess)."""
    if population is None:
        return None
    for code, _, low, high in BANDS:
        if population >= low and (high is None or population < high):
            return code
    return None


def rank_peers(
    *,
    town: str,
    population: int | None,
    similar: list[str],
    departement: str,
    region: str,
    candidates: dict[str, tuple[str, str, int | None]],
    limit: int,
) -> list[tuple[str, str]]:
    """Peers of ``town`` as (code, tier): its similar towns first (closest first), then the
    towns of its department, then of its region, each by population closest to the town's.
    ``candidates``: code -> (department, region, population) of the towns working on the theme
    (the town itself is skipped); ``population``: the town's."""
    own_pop = population
    seen: set[str] = {town}
    out: list[tuple[str, str]] = []
    for code in similar:
        if code in candidates and code not in seen:
            out.append((code, TIER_SIMILAR))
            seen.add(code)

    def closeness(code: str) -> tuple[float, str]:
        pop = candidates[code][2]
        if pop is None or own_pop is None:
            return (float("inf"), code)
        return (abs(pop - own_pop), code)

    for tier, index, wanted in ((TIER_DEPARTMENT, 0, departement), (TIER_REGION, 1, region)):
        same = [c for c, v in candidates.items() if v[index] == wanted and c not in seen]
        for code in sorted(same, key=closeness):
            out.append((code, tier))
            seen.add(code)
    return out[:limit]

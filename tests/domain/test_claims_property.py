"""Issue 14, property: a French sentence generated from the registry's own counts (digits or
words, with or without a qualifier, territories with their prepositions, enumerations sharing a
number, a total with its parts) is always confirmed, and its parts agree with its total."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pvd.domain import claims
from pvd.domain.programme import LaureateFacts

REGIONS = {"75": ("Nouvelle-Aquitaine", "en"), "76": ("Occitanie", "en")}
DEPARTEMENTS = {
    "23": ("Creuse", "dans la", "75"),
    "33": ("Gironde", "en", "75"),
    "40": ("Landes", "dans les", "75"),
    "47": ("Lot-et-Garonne", "dans le", "75"),
    "86": ("Vienne", "dans la", "75"),
    "87": ("Haute-Vienne", "en", "75"),
    "46": ("Lot", "dans le", "76"),
    "09": ("Ariège", "en", "76"),
}
T = claims.Territories(
    regions={c: n for c, (n, _) in REGIONS.items()},
    departements={c: n for c, (n, _, _) in DEPARTEMENTS.items()},
    region_of={c: r for c, (_, _, r) in DEPARTEMENTS.items()},
)

_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf"
).split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def in_words(n: int) -> str:
    """French words for 0 <= n < 1000 (written here independently of the reader)."""
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        if tens in (7, 9):
            base = "soixante" if tens == 7 else "quatre-vingt"
            return f"{base}-{'et-onze' if n == 71 else _UNITS[10 + unit]}"
        base = "quatre-vingt" if tens == 8 else _TENS[tens]
        if unit == 0:
            return "quatre-vingts" if tens == 8 else base
        return f"{base}-et-un" if unit == 1 and tens != 8 else f"{base}-{_UNITS[unit]}"
    hundreds, rest = divmod(n, 100)
    head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
    return head if rest == 0 else f"{head} {in_words(rest)}"


def _rows(counts: dict[str, int]) -> list[LaureateFacts]:
    return [
        LaureateFacts(f"{dep}{i:03d}", f"Commune {dep}-{i}", dep, DEPARTEMENTS[dep][2])
        for dep, n in counts.items()
        for i in range(n)
    ]


def _figure(n: int, words: bool, qualifier: str) -> str:
    shown = in_words(n) if words and 1 < n < 1000 else f"{n:,}".replace(",", "\u202f")
    return f"{qualifier} {shown}".strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.fixed_dictionaries({d: st.integers(0, 40) for d in DEPARTEMENTS}),
    region=st.sampled_from(sorted(REGIONS)),
    words=st.booleans(),
    qualifier=st.sampled_from(["", "près de", "environ", "au moins", "au plus", "quelque"]),
    take=st.integers(1, 6),
)
def test_generated_sentence_is_confirmed(counts, region, words, qualifier, take):
    rows = _rows(counts)
    deps = [d for d in DEPARTEMENTS if DEPARTEMENTS[d][2] == region][:take]
    total = sum(counts[d] for d in DEPARTEMENTS if DEPARTEMENTS[d][2] == region)
    name, prep = REGIONS[region]
    # Departments sharing a count are enumerated after one number.
    by_count: dict[int, list[str]] = {}
    for d in deps:
        by_count.setdefault(counts[d], []).append(d)
    parts = []
    for n, same in by_count.items():
        places = " et ".join(f"{DEPARTEMENTS[d][1]} {DEPARTEMENTS[d][0]}" for d in same)
        parts.append(f"{_figure(n, words, '')} {places}")
    text = (
        f"{_figure(total, words, qualifier).capitalize()} communes {prep} {name} sont "
        f"lauréates, dont {', '.join(parts)}. Le programme compte "
        f"{_figure(len(rows), words, '')} communes."
    )
    report = claims.check_text(text, claims.Registry(rows, T))
    assert [v.status for v in report.verdicts] == [claims.CONFIRMED] * (len(deps) + 2), (
        text,
        [v.message for v in report.verdicts],
    )
    assert [v.claim.scope.code for v in report.verdicts[1:-1]] == [
        d for same in by_count.values() for d in same
    ]
    (consistency,) = report.consistency
    assert consistency.consistent, consistency.message

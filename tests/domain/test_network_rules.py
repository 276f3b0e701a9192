"""Pure rules of the network: population bands and the order of peers."""

from __future__ import annotations

import pytest

from pvd.domain import network as rules


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (None, None),
        (0, "moins-2500"),
        (2499, "moins-2500"),
        (2500, "2500-5000"),
        (9999, "5000-10000"),
        (10000, "10000-plus"),
        (25000, "10000-plus"),
    ],
)
def test_band_of(population, band):
    assert rules.band_of(population) == band


def test_rank_peers_order_and_limit():
    candidates = {
        "A": ("23", "75", 3000),  # similar, far in population
        "B": ("23", "75", 2100),  # same department
        "C": ("23", "75", None),  # same department, population unknown: last of its tier
        "D": ("16", "75", 2050),  # same region
        "E": ("01", "84", 2000),  # elsewhere: never
        "T": ("23", "75", 2000),  # the town itself: never
    }
    ranked = rules.rank_peers(
        town="T",
        population=2000,
        similar=["X", "A", "T"],
        departement="23",
        region="75",
        candidates=candidates,
        limit=10,
    )
    assert ranked == [
        ("A", "similaire"),
        ("B", "departement"),
        ("C", "departement"),
        ("D", "region"),
    ]
    assert rules.rank_peers(
        town="T",
        population=2000,
        similar=["A"],
        departement="23",
        region="75",
        candidates=candidates,
        limit=2,
    ) == [("A", "similaire"), ("B", "departement")]

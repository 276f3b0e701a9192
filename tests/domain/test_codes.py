"""The territories' code patterns (pvd.domain.codes): one table per kind of code, and each
file reader checking with the pattern it checked with before they were gathered."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.domain import codes

COMMUNES = [
    ("01001", True),  # L'Abergement-Clémenciat
    ("2A004", True),  # Ajaccio
    ("2B033", True),  # Bastia
    ("97101", True),  # Les Abymes (Guadeloupe)
    ("97611", True),  # Mamoudzou (Mayotte)
    ("75056", True),  # Paris
    ("75101", True),  # Paris 1er arrondissement (ARM)
    ("99999", True),  # written as a code; whether it exists is the COG's business
    ("976", False),  # a department
    ("1001", False),  # leading zero lost
    ("20001", True),  # 5 digits (Corsica's old 20xxx codes are well formed)
    ("2C004", False),
    ("2a004", False),
    ("", False),
    ("01 001", False),
    ("０１００１", False),  # full-width digits
    ("01001\n", False),  # a trailing newline ("$" alone would accept it)
]


@pytest.mark.parametrize(("code", "valid"), COMMUNES)
def test_commune_codes(code, valid):
    assert codes.is_commune(code) is valid
    frame = pl.DataFrame({"c": [code]})
    assert frame.filter(pl.col("c").str.contains(codes.COMMUNE_CODE_PATTERN)).height == valid


# code -> (COG department, Filosofi's 97x, contours' 97x/98x, region)
DEPARTEMENTS = [
    ("01", (True, True, True, True)),
    ("2A", (True, True, True, False)),
    ("2B", (True, True, True, False)),
    ("976", (True, True, True, False)),
    ("971", (True, True, True, False)),
    ("977", (False, True, True, False)),  # Saint-Barthélemy (collectivity)
    ("970", (False, True, True, False)),
    ("988", (False, False, True, False)),  # New Caledonia
    ("20", (True, True, True, True)),  # two digits
    ("2C", (False, False, False, False)),
    ("1", (False, False, False, False)),
    ("001", (False, False, False, False)),
    ("75056", (False, False, False, False)),
    ("2a", (False, False, False, False)),
]


@pytest.mark.parametrize(("code", "expected"), DEPARTEMENTS)
def test_departement_and_region_codes(code, expected):
    found = tuple(
        p.match(code) is not None
        for p in (
            codes.DEPARTEMENT_CODE,
            codes.DEPARTEMENT_OR_97_CODE,
            codes.DEPARTEMENT_OR_COLLECTIVITY_CODE,
            codes.REGION_CODE,
        )
    )
    assert found == expected
    assert codes.is_departement(code) is expected[0]
    assert codes.is_region(code) is expected[3]


@pytest.mark.parametrize(
    ("code", "arrondissement", "epci"),
    [
        ("011", True, False),
        ("2A1", True, False),
        ("9711", True, False),
        ("01", False, False),
        ("200054781", False, True),  # Métropole du Grand Paris's SIREN
        ("20005478", False, False),
        ("2000547810", False, False),
    ],
)
def test_arrondissement_and_epci_codes(code, arrondissement, epci):
    assert (codes.ARRONDISSEMENT_CODE.match(code) is not None) is arrondissement
    assert codes.is_epci(code) is epci


def test_the_readers_use_the_patterns_of_one_module():
    from pvd.sources import cog, contracts, geo, insee_filosofi, population, pvd_list

    for module in (cog, contracts, geo, population, pvd_list):
        assert module.COMMUNE_CODE is codes.COMMUNE_CODE
    assert cog.DEPARTEMENT_CODE is population.DEPARTEMENT_CODE is codes.DEPARTEMENT_CODE
    assert insee_filosofi.AGGREGATES["DEP"][1] == codes.DEPARTEMENT_OR_97_CODE_PATTERN

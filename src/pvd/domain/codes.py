"""The official codes of territories (COG, INSEE, SIREN): the one place of their patterns.

Codes are strings (leading zeros and Corsica's 2A/2B are part of them). Each pattern is
given twice: as text (``*_PATTERN``, for polars' ``str.contains`` and the file contracts) and
compiled (for ``match``). Only ASCII digits count (``[0-9]``, never ``\\d``, which would take
full-width digits).

The departments have three patterns because the files they check say different things:

- :data:`DEPARTEMENT_CODE`: the 101 departments of the COG (2 digits, 2A, 2B, 971 to 976);
- :data:`DEPARTEMENT_OR_97_CODE`: any 97x, as INSEE's Filosofi aggregates write them;
- :data:`DEPARTEMENT_OR_COLLECTIVITY_CODE`: 97x and 98x, as the departments' contours
  (IGN / Etalab GeoJSON) include the overseas collectivities.
"""

from __future__ import annotations

import re

# Commune: 5 digits, or 2A/2B and 3 digits for Corsica. Overseas communes (97xxx) and
# municipal arrondissements (75101, 69381, 13201) are 5 digits too.
COMMUNE_CODE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"
DEPARTEMENT_CODE_PATTERN = r"^([0-9]{2}|2[AB]|97[1-6])$"
DEPARTEMENT_OR_97_CODE_PATTERN = r"^([0-9]{2}|2[AB]|97[0-9])$"
DEPARTEMENT_OR_COLLECTIVITY_CODE_PATTERN = r"^([0-9]{2}|2[AB]|9[78][0-9])$"
# Arrondissement (of a department): its department's code and one digit (011, 2A1, 9711).
ARRONDISSEMENT_CODE_PATTERN = r"^([0-9]{2}|2[AB]|97[0-9])[0-9]$"
REGION_CODE_PATTERN = r"^[0-9]{2}$"
EPCI_CODE_PATTERN = r"^[0-9]{9}$"  # the EPCI's SIREN

# Compiled patterns are used with ``fullmatch``: ``$`` alone would accept a trailing newline.
COMMUNE_CODE = re.compile(COMMUNE_CODE_PATTERN)
DEPARTEMENT_CODE = re.compile(DEPARTEMENT_CODE_PATTERN)
DEPARTEMENT_OR_97_CODE = re.compile(DEPARTEMENT_OR_97_CODE_PATTERN)
DEPARTEMENT_OR_COLLECTIVITY_CODE = re.compile(DEPARTEMENT_OR_COLLECTIVITY_CODE_PATTERN)
ARRONDISSEMENT_CODE = re.compile(ARRONDISSEMENT_CODE_PATTERN)
REGION_CODE = re.compile(REGION_CODE_PATTERN)
EPCI_CODE = re.compile(EPCI_CODE_PATTERN)


def is_commune(code: str) -> bool:
    """``code`` is written as a commune code ("01001", "2A004", "97101", "75101")."""
    return COMMUNE_CODE.fullmatch(code) is not None


def is_departement(code: str) -> bool:
    """``code`` is one of the COG's departments' codes ("01", "2A", "976")."""
    return DEPARTEMENT_CODE.fullmatch(code) is not None


def is_region(code: str) -> bool:
    return REGION_CODE.fullmatch(code) is not None


def is_epci(code: str) -> bool:
    return EPCI_CODE.fullmatch(code) is not None

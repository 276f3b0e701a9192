"""Checking figures published in French prose against the registry (pure Python, no Django).

- :mod:`.text`, :mod:`.numbers`, :mod:`.territory`: reading (positions kept, numbers in
  digits and words, territories with their articles and prepositions);
- :mod:`.extract`: the claims of a text (unit, qualifier and tolerance, territories,
  enumerations, totals and their parts);
- :mod:`.check`: verdicts against the registry (coverage, vintages) and internal consistency;
- :mod:`.segments`, :mod:`.serialize`: the highlighted text and the shared JSON.
"""

from pvd.domain.claims.check import (
    Consistency,
    Registry,
    Report,
    Verdict,
    Vintage,
    VintageMatch,
    check_claim,
    check_text,
    in_scope,
    registry_value,
)
from pvd.domain.claims.extract import Claim, extract
from pvd.domain.claims.lexicon import (
    ADHESION,
    CADRE,
    CHEF_PROJET,
    COMMUNES,
    CONFIRMED,
    CONTRADICTED,
    EPCI,
    GROUPES,
    MEASURE_LABELS,
    NOT_UNDERSTOOD,
    NOT_VERIFIABLE,
    POPULATION,
    STATUS_LABELS,
)
from pvd.domain.claims.segments import Segment, segments
from pvd.domain.claims.serialize import report_dict, verdict_dict
from pvd.domain.claims.territory import FRANCE, Scope, Territories

__all__ = [
    "ADHESION", "CADRE", "CHEF_PROJET", "COMMUNES", "CONFIRMED", "CONTRADICTED", "EPCI",
    "FRANCE", "GROUPES", "MEASURE_LABELS", "NOT_UNDERSTOOD", "NOT_VERIFIABLE", "POPULATION",
    "STATUS_LABELS", "Claim", "Consistency", "Registry", "Report", "Scope", "Segment",
    "Territories", "Verdict", "Vintage", "VintageMatch", "check_claim", "check_text",
    "extract", "in_scope", "registry_value", "report_dict", "segments", "verdict_dict",
]  # fmt: skip

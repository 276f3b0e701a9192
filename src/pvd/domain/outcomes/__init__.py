"""Outcomes of the laureate towns against matched comparable towns (issue 16): matching on the
situation before the programme (:mod:`.matching`), difference-in-differences with bootstrap
intervals (:mod:`.effects`), the whole analysis with its breakdowns (:mod:`.analysis`) and its
French readings and caveats (:mod:`.reading`). Pure Python (numpy, polars), no Django."""

from pvd.domain.outcomes.analysis import DIMENSIONS, Outcomes, compute
from pvd.domain.outcomes.effects import Estimate
from pvd.domain.outcomes.reading import caveats, reading

__all__ = ["DIMENSIONS", "Estimate", "Outcomes", "caveats", "compute", "reading"]

"""The frames the indicators' engine reads, as the official files' readers (``pvd.sources``)
write them: one place for their columns and for the status of a publisher's own figure. Pure, no
Django, and light to import (the readers do not load the indicators' catalogue).
"""

from __future__ import annotations

import polars as pl

# Observations of communes: ``millesime`` 0 for a figure without date (an area).
OBS_SCHEMA = {"code": pl.String, "variable": pl.String, "millesime": pl.Int32, "value": pl.Float64}
# The publisher's own figures of larger territories (medians do not add up).
PUBLISHED_SCHEMA = {
    "level": pl.String,
    "code": pl.String,
    "variable": pl.String,
    "millesime": pl.Int32,
    "value": pl.Float64,
    "status": pl.String,  # INSEE or INSEE_METROPOLE
}
# Status of an aggregate that is not a sum of the communes' inputs (null for the others).
INSEE = "insee"  # the publisher's own figure for that territory, read from the imported file
INSEE_METROPOLE = "insee_metropole"  # INSEE's figure for metropolitan France, shown for France

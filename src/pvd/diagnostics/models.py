"""Imported indicator inputs and computed indicator values of the portrait de ville."""

from __future__ import annotations

from django.db import models

from pvd.territories.models import Dataset


class SourceTable(models.Model):
    """The observations of one imported official file (one per kind: the latest import
    replaces the previous one), already re-based onto the current geography.

    Stored as one compressed Arrow IPC blob rather than as rows: ``pvd indicators build`` reads
    every table back as a polars frame in milliseconds, and an import writes one row (a BPE file
    gives about a million observations).
    """

    kind = models.CharField(max_length=32, unique=True)
    dataset = models.OneToOneField(Dataset, on_delete=models.PROTECT, related_name="+")
    millesimes = models.JSONField(default=list)
    variables = models.PositiveIntegerField(default=0)
    observations = models.PositiveIntegerField(default=0)
    frame = models.BinaryField()
    # The publisher's own figures of larger territories, when the file has them (Filosofi's
    # EPCI, department, region and France medians): level, code, variable, millesime, value,
    # status; same encoding as ``frame``. Null for the other files.
    published = models.BinaryField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} ({', '.join(map(str, self.millesimes))})"


class Build(models.Model):
    """One run of ``pvd indicators build``; the values below belong to the latest one."""

    built_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    values = models.PositiveIntegerField()
    communes = models.PositiveIntegerField()
    datasets = models.JSONField(default=dict)  # source name -> dataset key used
    missing = models.JSONField(default=dict)  # indicator -> variables lacking

    class Meta:
        ordering = ["-built_at"]


class TerritoryValues(models.Model):
    """Every indicator value of one territory from the latest build and, for a commune, its
    similar towns: what a portrait, an API call or a comparison reads, in one indexed row.

    ``level``: COM (commune code), EPCI (SIREN), DEP, REG (codes) or FR (code "FR").
    ``values``: columns of equal length, one entry per (indicator, millésime), sorted:
    ``{"i": [indicator ids], "m": [millésimes], "v": [values], "p": [percentiles]}``; the
    percentile (communes only, else null) is the share of communes, in %, with a strictly
    lower value at that millésime. The aggregates' rows add ``"s"``: each value's status (null,
    or how a figure that does not add up was obtained: ``engine.STATUS_LABELS``).
    ``peers`` (communes only): the most similar communes, closest first:
    ``{"c": [codes], "d": [distances], "r": ["id,id,…" indicators that make them close]}``.

    One row per territory (about 37,000) rather than one per value (about 830,000): the build
    writes it in a fraction of a second, and bulk readers decode the JSON columns with polars.
    """

    level = models.CharField(max_length=4)
    code = models.CharField(max_length=9)
    values = models.JSONField()
    peers = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="territory_values_unique")
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code}"

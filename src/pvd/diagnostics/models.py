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


class IndicatorValue(models.Model):
    """The value of an indicator for a territory and millésime.

    ``level``: COM (commune code), EPCI (SIREN), DEP, REG (codes) or FR (code "FR").
    ``percentile`` (communes only): share of communes, in %, with a strictly lower value.
    """

    level = models.CharField(max_length=4)
    code = models.CharField(max_length=9)
    indicator = models.CharField(max_length=64)
    millesime = models.PositiveSmallIntegerField()
    value = models.FloatField()
    percentile = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "indicator", "millesime"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["level", "code"], name="indicator_value_territory")]


class Peer(models.Model):
    """One of the most similar communes of a commune (rank 1 = closest)."""

    commune = models.CharField(max_length=5, db_index=True)
    rank = models.PositiveSmallIntegerField()
    peer = models.CharField(max_length=5)
    distance = models.FloatField()
    # Indicators that make them close, comma-separated ids (closest first).
    reasons = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["commune", "rank"]
        constraints = [models.UniqueConstraint(fields=["commune", "rank"], name="peer_unique")]

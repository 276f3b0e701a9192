"""Selection scenarios and the centrality levels they read."""

from __future__ import annotations

from django.db import models


class Centralite(models.Model):
    """Centrality levels of every commune from one source, stored as one Arrow IPC blob
    (code, niveau, and n_p/n_i/n_s for the computed levels).

    ``kind``: "calculee" (computed from a BPE file by ``pvd selection calibrate``) or
    "officielle" (the published classification, imported for comparison). ``details``: file,
    vintage, thresholds, calibration counts, agreement, re-basing counts.
    """

    class Kind(models.TextChoices):
        CALCULEE = "calculee", "calculée (BPE)"
        OFFICIELLE = "officielle", "classification officielle"

    kind = models.CharField(max_length=12, choices=Kind.choices, unique=True)
    frame = models.BinaryField()
    communes = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.communes} communes)"


class Scenario(models.Model):
    """A named set of eligibility rules (``pvd.domain.eligibility.Rules.as_dict()``),
    shareable by its URL /selection/scenarios/<slug>/."""

    slug = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    regles = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom

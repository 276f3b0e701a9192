"""Selection scenarios and the centrality levels they read."""

from __future__ import annotations

from django.conf import settings
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
    shareable by its URL /selection/scenarios/<slug>/: everyone reads it, only its author (or a
    superuser, or the operator's CLI) changes or deletes it (``services.can_change_scenario``).
    No author: saved before authors were recorded, or from the CLI."""

    slug = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    regles = models.JSONField(default=dict)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios_selection",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Typologie(models.Model):
    """A commune typology of the Observatoire des territoires (density, rurality, mountain),
    one Arrow IPC blob (code, valeur) per kind, current geography; imported by ``pvd selection
    import-territoires``. ``details``: file, sha256, counts, codes re-based or not placed."""

    class Kind(models.TextChoices):
        DENSITE = "densite", "grille communale de densité"
        RURALITE = "ruralite", "typologie des ruralités"
        MONTAGNE = "montagne", "zones de montagne"

    kind = models.CharField(max_length=12, choices=Kind.choices, unique=True)
    frame = models.BinaryField()
    communes = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.communes} communes)"


class ModeleAppris(models.Model):
    """A fitted learned selection model (``pvd.domain.learned``): what it was trained on, its
    columns, standardisation and coefficients, and its leave-one-region-out evaluation. The
    latest row is the one the scenario "appris" uses; ``pvd selection fit`` adds one."""

    programme = models.CharField(max_length=20, default="pvd")
    source = models.CharField(max_length=300)  # "registre" or the laureate file
    entrainement = models.JSONField(default=dict)  # regions, communes, laureates, codes
    modele = models.JSONField(default=dict)  # Fitted.as_dict()
    evaluation = models.JSONField(default=dict)  # Evaluation.as_dict() + folds, notes
    notes = models.JSONField(default=list)  # features left out and why
    secondes = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"modèle appris {self.programme} du {self.created_at:%Y-%m-%d %H:%M}"

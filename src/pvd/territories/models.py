"""The national territorial referential: regions, departments, arrondissements, EPCI, communes,
population series, and the record of which dataset (source, vintage, licence) filled them.

INSEE codes are strings everywhere ("01001", "2A004", "97105").
"""

from __future__ import annotations

from django.db import models


class Dataset(models.Model):
    """One loaded dataset: what it is, where it comes from, its vintage and licence.

    Every figure shown on a page names the dataset it comes from through this table.
    """

    key = models.CharField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.TextField()
    licence = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    vintage = models.CharField("millésime", max_length=64)
    version = models.TextField(blank=True)
    checksum = models.CharField(max_length=128, blank=True)
    loaded_at = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.title} ({self.vintage})"


class Region(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    chef_lieu = models.CharField(max_length=5, blank=True)
    zone = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField(max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    chef_lieu = models.CharField(max_length=5, blank=True)
    zone = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class Arrondissement(models.Model):
    code = models.CharField(max_length=4, primary_key=True)
    nom = models.CharField(max_length=100)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="arrondissements"
    )
    chef_lieu = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nom


class EPCI(models.Model):
    """Établissement public de coopération intercommunale à fiscalité propre."""

    class Type(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d'agglomération"
        CU = "CU", "Communauté urbaine"
        METRO = "METRO", "Métropole"
        MET69 = "MET69", "Métropole de Lyon"

    siren = models.CharField(max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=5, choices=Type.choices)
    mode_financement = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom


class Commune(models.Model):
    """A commune of the current COG, or one of its communes associées / déléguées, or a
    municipal arrondissement. A commune déléguée can share its code with its parent commune
    nouvelle, so the key is (code, type)."""

    class Type(models.TextChoices):
        COM = "COM", "Commune"
        COMA = "COMA", "Commune associée"
        COMD = "COMD", "Commune déléguée"
        ARM = "ARM", "Arrondissement municipal"

    code = models.CharField(max_length=5, db_index=True)
    type = models.CharField(max_length=4, choices=Type.choices)
    nom = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subdivisions"
    )
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    arrondissement = models.ForeignKey(
        Arrondissement, null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        EPCI, null=True, blank=True, on_delete=models.PROTECT, related_name="communes"
    )
    siren = models.CharField(max_length=9, blank=True)
    codes_postaux = models.JSONField(default=list, blank=True)
    zone = models.CharField(max_length=10, blank=True)
    # Latest legal population (denormalised from Population for sorting lists quickly).
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code", "type"]
        constraints = [
            models.UniqueConstraint(fields=["code", "type"], name="commune_code_type_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.departement_id})"


class Population(models.Model):
    """Legal population (population municipale) of a current commune for one census vintage,
    re-based onto the current geography: merged communes carry the sum of their former parts."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="populations")
    millesime = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()
    parts = models.PositiveSmallIntegerField(
        default=1, help_text="Number of communes of the source geography summed into this value."
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["commune", "millesime"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "millesime"], name="population_unique"),
        ]


class GeoFeature(models.Model):
    """The geometry of a territory for the location maps, in WGS84 longitude/latitude.

    ``level``: "commune" (the commune's centre, a GeoJSON Point) or "departement" (its contour,
    a Polygon or MultiPolygon). One row per territory and level; the latest import of a level
    replaces the previous one (see :mod:`pvd.territories.geography`).
    """

    level = models.CharField(max_length=16)
    code = models.CharField(max_length=5)
    nom = models.CharField(max_length=100, blank=True)
    geometry = models.JSONField()
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="geo_feature_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code}"

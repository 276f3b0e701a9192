"""The programme registry.

- ``Programme``: a national programme (Petites villes de demain first; Action Cœur de Ville fits
  the same model, without groups).
- ``Groupe``: a PVD — one laureate commune alone, or several (a *binôme* or more), carried
  together with their EPCI; identified by the official ``id_pvd`` (``pvd-<region>-<dept>-<rank>``).
- ``Laureat``: a commune in a programme, with its life-cycle dates, status and notes.
- ``Ort``: the national tracking sheet of *opérations de revitalisation de territoire*, one row per
  commune (PVD, ACV or other); its signature date fills the laureates' convention-cadre date.
- ``Changement``: the change history (who, when, what) of every write, imports included.
- ``ListeImportee``: each imported laureate or ORT list and its **coverage** (regions and
  departments it speaks for); the registry's coverage is the union of them (see
  :mod:`pvd.domain.coverage`).
- ``Perimetre``: an editing scope (national, one region, one department) attached to a Django
  auth group: members of the group may edit the laureates inside the scope.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models

from pvd.territories.models import EPCI, Commune, Dataset, Departement, Region


class Programme(models.Model):
    slug = models.SlugField(max_length=20, unique=True)
    nom = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    date_lancement = models.DateField("date de lancement", null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    # Whether laureates are organised in groups (PVD: yes; ACV: one town per convention).
    avec_groupes = models.BooleanField(default=True)
    # The dataset the laureate list was last imported from (source, vintage, licence).
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.nom


class Groupe(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groupes")
    code = models.CharField(max_length=64)
    nom = models.CharField(max_length=200, blank=True)  # an official or chosen name, if any
    # Its communes' names, most populated first, rewritten by each list import: what the group
    # is called when it has no name ("Saint-Flour – Neuvéglise", never "pvd-75-15-12").
    libelle_communes = models.CharField(max_length=300, blank=True)
    epci = models.ForeignKey(
        EPCI, null=True, blank=True, on_delete=models.SET_NULL, related_name="groupes_programme"
    )
    # Department and region of the group (its first commune's): used for editing scopes.
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="groupe_unique"),
        ]

    def __str__(self) -> str:
        return self.nom or self.libelle_communes or self.code


class Laureat(models.Model):
    class Statut(models.TextChoices):
        ACTIF = "actif", "Dans le programme"
        SORTI = "sorti", "Sorti du programme"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="laureats")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="laureats")
    groupe = models.ForeignKey(
        Groupe, null=True, blank=True, on_delete=models.SET_NULL, related_name="laureats"
    )
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.ACTIF)
    date_selection = models.DateField("date de sélection", null=True, blank=True)
    date_convention_adhesion = models.DateField(
        "date de signature de la convention d'adhésion", null=True, blank=True
    )
    date_chef_projet = models.DateField(
        "date de recrutement du chef de projet", null=True, blank=True
    )
    date_convention_cadre = models.DateField(
        "date de signature de la convention-cadre valant ORT", null=True, blank=True
    )
    # When the laureate left the programme (status "sorti"); its group's project is read-only
    # from then on when no laureate of the group is active (``pvd.projects.readonly``).
    date_sortie = models.DateField("date de sortie du programme", null=True, blank=True)
    notes = models.TextField(blank=True)
    # The code as written in the imported file when it was a former code (merged commune).
    code_source = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "commune__code"]
        verbose_name = "lauréat"
        constraints = [
            models.UniqueConstraint(fields=["programme", "commune"], name="laureat_unique"),
        ]
        indexes = [models.Index(fields=["programme", "statut"])]

    def __str__(self) -> str:
        return f"{self.commune.nom} ({self.commune.departement_id}) — {self.programme.slug}"


class Ort(models.Model):
    """One row of the national ORT tracking sheet (ANCT / DGALN)."""

    class Signature(models.TextChoices):
        SIGNEE = "signee", "Signée"
        EN_COURS = "en_cours", "En cours"
        NON_SIGNEE = "non_signee", "Non signée"
        INCONNU = "inconnu", "Non renseigné"

    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="ort")
    signature = models.CharField(max_length=12, choices=Signature.choices)
    date_signature = models.DateField(null=True, blank=True)
    date_envisagee = models.CharField(max_length=100, blank=True)
    duree_annees = models.PositiveSmallIntegerField(null=True, blank=True)
    date_fin = models.DateField(null=True, blank=True)
    avancement = models.CharField(max_length=100, blank=True)
    statut_commune = models.CharField(max_length=50, blank=True)
    acv = models.BooleanField(null=True)
    pvd = models.BooleanField(null=True)
    code_source = models.CharField(max_length=10, blank=True)
    # Location of the commune as given by the sheet (WGS84), used for point exports.
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["commune__code"]
        verbose_name = "ORT"
        verbose_name_plural = "ORT"

    def __str__(self) -> str:
        return f"ORT {self.commune.nom} ({self.get_signature_display()})"


class Changement(models.Model):
    """One write to the registry: who (user, or the import and its file), when, what."""

    class Action(models.TextChoices):
        CREATION = "creation", "Création"
        MODIFICATION = "modification", "Modification"
        SUPPRESSION = "suppression", "Suppression"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origine = models.CharField(max_length=20)  # "web", "api", "admin", "import"
    auteur = models.CharField(max_length=200, blank=True)  # who, when there is no user
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="changements"
    )
    objet = models.CharField(max_length=20)  # "laureat", "groupe", "ort", "programme"
    objet_id = models.BigIntegerField()
    libelle = models.CharField(max_length=300)
    commune_code = models.CharField(max_length=5, blank=True, db_index=True)
    # The programme group a write concerns (a projet de territoire's lines, its team): the
    # project's history is read through it, and the line is named after the group's communes.
    groupe = models.ForeignKey(
        Groupe, null=True, blank=True, on_delete=models.SET_NULL, related_name="changements"
    )
    action = models.CharField(max_length=15, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True)  # field -> [old, new]
    # A deletion's removed rows (Django serializer format, referenced rows first), so that an
    # administrator can restore them (``pvd.programme.audit.deletion_restore``).
    contenu = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["objet", "objet_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.libelle}"

    @property
    def qui(self) -> str:
        if self.user_id:
            return self.user.get_username()
        return self.auteur or self.origine


class ListeImportee(models.Model):
    """One imported list (laureates of a programme, or the ORT sheet) and its coverage."""

    class Nature(models.TextChoices):
        LAUREATS = "laureats", "Lauréats"
        ORT = "ort", "ORT"

    class Mode(models.TextChoices):
        DEDUIT = "deduit", "Déduit des lignes"
        DECLARE = "declare", "Déclaré (--perimetre)"
        NATIONAL = "national", "National (--national)"

    # None for the ORT sheet (it lists communes of every programme).
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="listes"
    )
    nature = models.CharField(max_length=10, choices=Nature.choices)
    fichier = models.CharField(max_length=300)
    millesime = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.DEDUIT)
    national = models.BooleanField(default=False)
    regions = models.JSONField(default=list, blank=True)  # region codes (strings)
    departements = models.JSONField(default=list, blank=True)  # departments stated alone
    lignes = models.PositiveIntegerField(default=0)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "liste importée"
        verbose_name_plural = "listes importées"

    def __str__(self) -> str:
        return f"{self.get_nature_display()} {self.fichier} ({self.at:%Y-%m-%d})"


class Perimetre(models.Model):
    """Editing scope of an auth group: national, one region or one department."""

    class Niveau(models.TextChoices):
        NATIONAL = "national", "National"
        REGION = "region", "Région"
        DEPARTEMENT = "departement", "Département"

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="perimetre")
    niveau = models.CharField(max_length=12, choices=Niveau.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE)
    departement = models.ForeignKey(Departement, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "périmètre d'édition"
        verbose_name_plural = "périmètres d'édition"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(niveau="national", region=None, departement=None)
                    | models.Q(niveau="region", region__isnull=False, departement=None)
                    | models.Q(niveau="departement", region=None, departement__isnull=False)
                ),
                name="perimetre_coherent",
            ),
        ]

    def __str__(self) -> str:
        if self.niveau == self.Niveau.REGION:
            return f"Région {self.region}"
        if self.niveau == self.Niveau.DEPARTEMENT:
            return f"Département {self.departement}"
        return "National"

    def covers(self, *, departement_id: str, region_id: str) -> bool:
        if self.niveau == self.Niveau.NATIONAL:
            return True
        if self.niveau == self.Niveau.REGION:
            return self.region_id == region_id
        return self.departement_id == departement_id

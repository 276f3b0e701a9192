"""Imported lists and their coverage. Registries imported before this migration get one
inferred list per programme (the regions of their laureates) and one for the ORT sheet, so
that what was shown before stays shown (and nothing else is claimed)."""

from django.db import migrations, models
from django.db.models import deletion
from django.utils import timezone


def infer_existing(apps, schema_editor):
    Programme = apps.get_model("programme", "Programme")
    Laureat = apps.get_model("programme", "Laureat")
    Ort = apps.get_model("programme", "Ort")
    ListeImportee = apps.get_model("programme", "ListeImportee")
    now = timezone.now()
    for prog in Programme.objects.all():
        regions = sorted(
            set(Laureat.objects.filter(programme=prog).values_list("commune__region_id", flat=True))
        )
        if regions:
            ListeImportee.objects.create(
                programme=prog,
                nature="laureats",
                fichier="registre antérieur (périmètre déduit des lauréats)",
                regions=regions,
                at=now,
            )
    regions = sorted(set(Ort.objects.values_list("commune__region_id", flat=True)))
    if regions:
        ListeImportee.objects.create(
            nature="ort",
            fichier="registre antérieur (périmètre déduit des ORT)",
            regions=regions,
            at=now,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0003_ort_coordinates"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListeImportee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "nature",
                    models.CharField(
                        choices=[("laureats", "Lauréats"), ("ort", "ORT")], max_length=10
                    ),
                ),
                ("fichier", models.CharField(max_length=300)),
                ("millesime", models.CharField(blank=True, max_length=100)),
                ("sha256", models.CharField(blank=True, max_length=64)),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("deduit", "Déduit des lignes"),
                            ("declare", "Déclaré (--perimetre)"),
                            ("national", "National (--national)"),
                        ],
                        default="deduit",
                        max_length=10,
                    ),
                ),
                ("national", models.BooleanField(default=False)),
                ("regions", models.JSONField(blank=True, default=list)),
                ("departements", models.JSONField(blank=True, default=list)),
                ("lignes", models.PositiveIntegerField(default=0)),
                ("at", models.DateTimeField()),
                (
                    "programme",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=deletion.CASCADE,
                        related_name="listes",
                        to="programme.programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "liste importée",
                "verbose_name_plural": "listes importées",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.RunPython(infer_existing, migrations.RunPython.noop),
    ]

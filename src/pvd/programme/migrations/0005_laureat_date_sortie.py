"""When a laureate left the programme. Laureates already "sorti" get the date of their last
change (``updated_at``), the best the registry knows; the history (``Changement``) keeps the
exact import that ended them."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Laureat = apps.get_model("programme", "Laureat")
    for lau in Laureat.objects.filter(statut="sorti", date_sortie__isnull=True).only(
        "pk", "updated_at"
    ):
        Laureat.objects.filter(pk=lau.pk).update(date_sortie=lau.updated_at.date())


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0004_listeimportee"),
    ]

    operations = [
        migrations.AddField(
            model_name="laureat",
            name="date_sortie",
            field=models.DateField(
                blank=True, null=True, verbose_name="date de sortie du programme"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

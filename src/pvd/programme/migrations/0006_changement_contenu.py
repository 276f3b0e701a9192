"""The content of a deletion, restorable (issue 18)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0005_laureat_date_sortie"),
    ]

    operations = [
        migrations.AddField(
            model_name="changement",
            name="contenu",
            field=models.JSONField(blank=True, default=list),
        ),
    ]

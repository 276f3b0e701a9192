from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_territory_values"),
    ]

    operations = [
        migrations.AddField(
            model_name="sourcetable",
            name="published",
            field=models.BinaryField(blank=True, null=True),
        ),
    ]

"""The round's fields that moved to its process go (a migration of its own: on PostgreSQL
the rows written by the previous one must be committed before the tables are altered)."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("changed_at", "closes_at", "created_at", "created_by", "name", "opens_at", "place",
         "results_public", "slug", "status")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_round_process"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="round", name="round_unique_slug"),
        *[migrations.RemoveField(model_name="round", name=name) for name in MOVED],
        migrations.AlterField(
            model_name="round",
            name="process",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="round",
                to="processes.process",
            ),
        ),
        migrations.AlterModelOptions(name="round", options={"ordering": ["-process__created_at"]}),
    ]

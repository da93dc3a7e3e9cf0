"""Every assessment round becomes a process of the kind ``assessment``: its place, name,
slug, status, dates, publication, author and stamps move to ``processes.Process`` (one per
round, the same slug under the same place, so every URL stays as it was)."""

import django.db.models.deletion
from django.db import migrations, models


def rounds_to_processes(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    Process = apps.get_model("processes", "Process")
    ProcessEvent = apps.get_model("processes", "ProcessEvent")
    for round_ in Round.objects.all().iterator():
        process = Process.objects.create(
            place_id=round_.place_id,
            kind="assessment",
            slug=round_.slug,
            title=round_.name,
            phase=round_.status,
            opens_at=round_.opens_at,
            closes_at=round_.closes_at,
            is_public=round_.results_public,
            created_by_id=round_.created_by_id,
            created_at=round_.created_at,
            changed_at=round_.changed_at,
        )
        Round.objects.filter(pk=round_.pk).update(process=process)
        ProcessEvent.objects.create(
            process=process,
            actor_id=round_.created_by_id,
            action="created",
            after=round_.status,
            details={"migrated": True},
            at=round_.created_at,
        )


def processes_to_rounds(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    for round_ in Round.objects.select_related("process").iterator():
        p = round_.process
        Round.objects.filter(pk=round_.pk).update(
            place_id=p.place_id,
            slug=p.slug,
            name=p.title,
            status=p.phase,
            opens_at=p.opens_at,
            closes_at=p.closes_at,
            results_public=p.is_public,
            created_by_id=p.created_by_id,
            created_at=p.created_at,
            changed_at=p.changed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_earlier_submissions"),
        ("processes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="process",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="round",
                to="processes.process",
            ),
        ),
        migrations.RunPython(rounds_to_processes, processes_to_rounds),
    ]

"""A database made by the previous version (rounds with their own place, name, slug,
status and publication) moves onto the spine with nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _before():
    """Every app as it is, the assessments as the previous version left them. Open
    innovation and the action plans are left out: they came after the spine (their records
    point at frozen recommendations), so they are unapplied with the assessments and come
    back at the end."""
    later = ("assessments", "processes", "innovation", "plans")
    others = [n for n in _latest() if n[0] not in later]
    return [*others, ("assessments", "0004_earlier_submissions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rounds_of_the_previous_version_become_processes(borlange, framework):
    old = _migrate(_before())
    User = old.get_model("accounts", "User")
    Place = old.get_model("places", "Place")
    Round = old.get_model("assessments", "Round")
    RoundGroup = old.get_model("assessments", "RoundGroup")
    Response = old.get_model("assessments", "Response")
    Comment = old.get_model("assessments", "Comment")

    user = User.objects.create(email="gammal@example.org", password="!")
    place = Place.objects.create(
        name="Domnarvet",
        slug="domnarvet-borlange",
        municipality_id=borlange.pk,
        kind="locality",
        population_estimate=8000,
    )
    made = timezone.now() - dt.timedelta(days=400)
    closes = timezone.now() - dt.timedelta(days=300)
    earlier = Round.objects.create(
        place=place,
        name="Hösten 2025",
        slug="hosten-2025",
        framework_id="place-attractiveness",
        framework_version=framework.version,
        framework_snapshot=framework.model_dump(mode="json"),
        status="closed",
        closes_at=closes,
        results_public=True,
        survey_key="gammal-nyckel-1",
        created_by=user,
    )
    Round.objects.filter(pk=earlier.pk).update(created_at=made)
    current = Round.objects.create(
        place=place,
        name="Hösten 2026",
        slug="hosten-2026",
        framework_id="place-attractiveness",
        framework_version=framework.version,
        framework_snapshot=framework.model_dump(mode="json"),
        status="open",
        requires_code=True,
        survey_key="gammal-nyckel-2",
    )
    group = RoundGroup.objects.create(round=current, key="residents", label_sv="Invånare")
    answer = Response.objects.create(round=current, group=group, answers="7" * 15)
    Comment.objects.create(
        round=current, response=answer, theme_id="housing", kind="better", text="Fler hyresrätter"
    )

    new = _migrate(_latest())
    Process = new.get_model("processes", "Process")
    ProcessEvent = new.get_model("processes", "ProcessEvent")
    NewRound = new.get_model("assessments", "Round")  # noqa: N806 - a model class
    rows = {r.survey_key: r for r in NewRound.objects.select_related("process").order_by("pk")}
    assert set(rows) == {"gammal-nyckel-1", "gammal-nyckel-2"}
    first, second = rows["gammal-nyckel-1"].process, rows["gammal-nyckel-2"].process
    assert (first.kind, first.title, first.slug, first.phase, first.is_public) == (
        "assessment",
        "Hösten 2025",
        "hosten-2025",
        "closed",
        True,
    )
    assert first.place_id == place.pk
    assert first.created_by_id == user.pk
    assert first.closes_at == closes
    assert abs((first.created_at - made).total_seconds()) < 1
    assert (second.title, second.phase, second.is_public) == ("Hösten 2026", "open", False)
    assert rows["gammal-nyckel-2"].requires_code
    assert Process.objects.count() == 2
    assert ProcessEvent.objects.filter(action="created").count() == 2
    # the answers and comments are where they were
    NewResponse = new.get_model("assessments", "Response")  # noqa: N806 - a model class
    assert NewResponse.objects.get().round_id == rows["gammal-nyckel-2"].pk
    assert new.get_model("assessments", "Comment").objects.get().text == "Fler hyresrätter"

    # and the app reads the migrated rounds: the old URLs, the published page
    from django.test import Client

    from platsa.assessments.models import Round as AppRound

    migrated = AppRound.objects.get(survey_key="gammal-nyckel-1")
    assert migrated.name == "Hösten 2025"
    assert migrated.results_public
    assert Client().get("/p/domnarvet-borlange/hosten-2025/").status_code == 200

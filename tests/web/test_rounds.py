"""Creating and running a round: groups per round, status, dates, another framework."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.assessments.models import Response, Round

pytestmark = pytest.mark.django_db


def _groups_post(rows, initial=None):
    """The formset as the browser posts it: the rows shown from the start are initial forms."""
    initial = len([r for r in rows if r.get("key")]) if initial is None else initial
    data = {
        "groups-TOTAL_FORMS": str(len(rows)),
        "groups-INITIAL_FORMS": str(initial),
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is not None:
                data[f"groups-{i}-{key}"] = value
    return data


def test_create_round_with_edited_groups(client, organiser, place):
    client.force_login(organiser)
    data = {
        "name": "Hösten 2026",
        "framework": "place-attractiveness",
        "opens_at": "",
        "closes_at": "",
        **_groups_post(
            [
                {
                    "key": "residents",
                    "label_sv": "Invånare",
                    "label_en": "Residents",
                    "side": "place",
                    "include": "on",
                },
                {
                    "key": "young_people",
                    "label_sv": "Unga",
                    "label_en": "Young",
                    "side": "place",
                    "include": None,
                },
                {
                    "key": "",
                    "label_sv": "Sommargäster",
                    "label_en": "",
                    "side": "other",
                    "include": "on",
                },
            ]
        ),
    }
    response = client.post(reverse("assessments:create", args=[place.slug]), data)
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert [(g.key, g.label_sv) for g in round_.groups.all()] == [
        ("residents", "Invånare"),
        ("sommargaster", "Sommargäster"),
    ]
    assert round_.status == Round.Status.DRAFT
    assert round_.framework.id == "place-attractiveness"


def test_round_with_the_test_framework_works_end_to_end(client, organiser, place):
    """A second questionnaire needs only its data file: create, answer, see results."""
    client.force_login(organiser)
    data = {
        "name": "Test",
        "framework": "test-mini",
        **_groups_post(
            [{"key": "staff", "label_sv": "Personal", "side": "public", "include": "on"}]
        ),
    }
    client.post(reverse("assessments:create", args=[place.slug]), data)
    round_ = Round.objects.get()
    client.post(reverse("assessments:status", args=[place.slug, round_.slug]), {"status": "open"})
    form = client.get(reverse("survey:form", args=[round_.survey_key])).content.decode()
    assert "Vi får utbildning." in form
    assert 'name="q_competence_time"' in form
    import uuid

    from django.test import Client

    Client().post(
        reverse("survey:form", args=[round_.survey_key]),
        {
            "group": "staff",
            "submission_id": str(uuid.uuid4()),
            "q_competence_training": "5",
            "q_competence_time": "3",
            "q_digital_tools": "dk",
            "priorities": ["digital"],
        },
    )
    assert Response.objects.get().answers == "42?"
    html = client.get(
        reverse("assessments:results", args=[place.slug, round_.slug])
    ).content.decode()
    assert "Kompetens" in html
    assert "Digital teknik" in html


def test_open_close_and_dates(client, organiser, round_):
    client.force_login(organiser)
    args = [round_.place.slug, round_.slug]
    client.post(reverse("assessments:status", args=args), {"status": "closed"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert not round_.accepts_responses()
    bad = client.post(
        reverse("assessments:settings", args=args),
        {"name": "X", "opens_at": "2026-12-01T10:00", "closes_at": "2026-11-01T10:00"},
    )
    assert bad.status_code == 302
    round_.refresh_from_db()
    assert round_.name == "Hösten 2026"  # invalid dates saved nothing


def test_group_with_answers_cannot_be_removed(client, organiser, filled_round):
    client.force_login(organiser)
    groups = list(filled_round.groups.all())
    rows = [
        {
            "key": g.key,
            "label_sv": g.label_sv,
            "label_en": g.label_en,
            "side": g.side,
            "include": "on" if i else None,
        }
        for i, g in enumerate(groups)
    ]
    client.post(
        reverse("assessments:groups", args=[filled_round.place.slug, filled_round.slug]),
        _groups_post(rows),
    )
    assert filled_round.groups.count() == len(groups)

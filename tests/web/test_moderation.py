"""Reviewing comments: each says which question it answers and which group wrote it, and
many can be approved or hidden at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.assessments.models import Comment
from tests.conftest import fill_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented(round_):
    fill_round(round_, 30, groups=["residents"], comment_rate=1.0)
    fill_round(round_, 10, seed=3, groups=["young_people"], comment_rate=1.0)
    return round_


def url(round_, **query):
    base = reverse("assessments:comments", args=[round_.place.slug, round_.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_each_comment_names_its_question_and_group(client, organiser, commented):
    client.force_login(organiser)
    html = client.get(url(commented)).content.decode()
    assert "Invånare" in html
    assert "Unga (16–25 år)" in html
    questions = [c.prompt.sv for c in commented.framework.comments]
    assert all(q in html for q in questions)


def test_approve_the_ticked_ones(client, organiser, commented):
    client.force_login(organiser)
    picked = list(Comment.objects.values_list("pk", flat=True)[:3])
    response = client.post(url(commented), {"bulk": "approved", "comment": picked})
    assert response.status_code == 302
    assert set(Comment.objects.filter(status="approved").values_list("pk", flat=True)) == set(
        picked
    )


def test_hide_everything_the_filter_shows(client, organiser, commented):
    client.force_login(organiser)
    theme = commented.framework.theme_ids[0]
    on_theme = Comment.objects.filter(theme_id=theme).count()
    assert on_theme
    client.post(url(commented), {"bulk_all": "hidden", "status": "pending", "theme": theme})
    assert Comment.objects.filter(status="hidden").count() == on_theme
    assert not Comment.objects.filter(status="hidden").exclude(theme_id=theme).exists()
    client.post(url(commented), {"bulk_all": "approved", "status": "pending"})
    assert Comment.objects.filter(status="pending").count() == 0
    assert Comment.objects.filter(status="hidden").count() == on_theme  # hidden stay hidden


def test_ticks_from_another_round_change_nothing(
    client, organiser, commented, place, owner, framework
):
    from platsa.assessments.services import default_groups, round_create

    other = round_create(
        place=place, user=owner, name="Annan", framework=framework, groups=default_groups(framework)
    )
    fill_round(other, 5, comment_rate=1.0)
    foreign = list(Comment.objects.filter(round=other).values_list("pk", flat=True))
    client.force_login(organiser)
    client.post(url(commented), {"bulk": "approved", "comment": foreign})
    assert not Comment.objects.filter(round=other, status="approved").exists()


def test_viewers_cannot_moderate(client, viewer, commented):
    client.force_login(viewer)
    assert client.post(url(commented), {"bulk_all": "approved"}).status_code == 403
    assert not Comment.objects.filter(status="approved").exists()

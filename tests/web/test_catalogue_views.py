"""The public catalogue and a place's own actions and examples."""

from __future__ import annotations

import pytest
from django.urls import reverse

from platsa.assessments.analysis import analyse
from platsa.catalogue.models import LocalAction, LocalExample

pytestmark = pytest.mark.django_db


def test_catalogue_is_public_and_filterable(client):
    assert client.get(reverse("catalogue:list")).status_code == 200
    # The list is paged (20 a page), so the REKO ring is found by searching for it.
    html = client.get(reverse("catalogue:list"), {"q": "REKO"}).content.decode()
    assert "REKO" in html
    filtered = client.get(
        reverse("catalogue:list"), {"theme": "mobility", "horizon": "short"}
    ).content.decode()
    assert "Bilpool" in filtered or "bilpool" in filtered.lower()
    detail = client.get(reverse("catalogue:detail", args=["svc_reko_ring"])).content.decode()
    assert "Grästorp" in detail
    assert "https://" in detail
    assert client.get(reverse("catalogue:detail", args=["nope"])).status_code == 404


def test_organiser_adds_own_action_and_example(client, organiser, filled_round, framework):
    place = filled_round.place
    client.force_login(organiser)
    data = {
        "title_sv": "Bruksbussen",
        "title_en": "",
        "summary_sv": "En buss mellan bruket och centrum.",
        "summary_en": "",
        "description_sv": "",
        "description_en": "",
        "effort": "low",
        "cost_band": "low",
        "horizon": "short",
        "lead_actors": ["industry", "municipality"],
        "theme_mobility": "3",
        "theme_work_business": "1",
    }
    response = client.post(reverse("place_catalogue:create", args=[place.slug]), data)
    assert response.status_code == 302
    action = LocalAction.objects.get()
    assert action.themes == {"mobility": 3, "work_business": 1}
    client.post(
        reverse("place_catalogue:example_create", args=[place.slug]),
        {
            "action_id": "car_sharing_pool",
            "example_place": "Grängesberg",
            "country": "SE",
            "year": "2024",
            "text_sv": "Föreningen startade en bilpool.",
            "text_en": "",
            "source_title": "Lokaltidningen",
            "source_url": "https://example.org/a",
        },
    )
    assert LocalExample.objects.count() == 1
    analysis = analyse(filled_round)
    ids = [r.action_id for r in analysis.recommendations.recommendations]
    assert action.action_id in ids  # the place's own action is ranked with the others
    car = next(
        r for r in analysis.recommendations.recommendations if r.action_id == "car_sharing_pool"
    )
    assert car.action.examples[0].place == "Grängesberg"


def test_own_action_needs_a_theme(client, organiser, place):
    client.force_login(organiser)
    response = client.post(
        reverse("place_catalogue:create", args=[place.slug]),
        {
            "title_sv": "X",
            "summary_sv": "Y",
            "effort": "low",
            "cost_band": "low",
            "horizon": "short",
            "lead_actors": ["industry"],
        },
    )
    assert response.status_code == 200
    assert not LocalAction.objects.exists()


def test_viewer_cannot_add_actions(client, viewer, place):
    client.force_login(viewer)
    assert client.get(reverse("place_catalogue:create", args=[place.slug])).status_code == 403


def test_a_merged_action_keeps_its_link(client):
    """`com_development_company` was merged into `community_investment_company`: a plan or a
    bookmark pointing at the old id lands on the action that replaced it."""
    response = client.get("/katalog/com_development_company/")
    assert response.status_code == 301
    assert response["Location"].endswith("/katalog/community_investment_company/")
    page = client.get(response["Location"])
    assert page.status_code == 200

"""The results page compares who answered with the municipality's real age structure and
shows scores weighted to it beside the raw ones; a frozen version keeps both."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from platsa.assessments.models import Round
from platsa.assessments.services import round_publish
from platsa.assessments.snapshots import displayed_analysis
from tests.conftest import fill_round

pytestmark = pytest.mark.django_db


def test_the_public_page_compares_respondents_with_the_population(round_, owner):
    fill_round(round_, 60)
    round_publish(round_=round_, public=True, actor=owner)
    html = Client().get(reverse("public:results", args=[round_.place.slug, round_.slug]))
    page = html.content.decode()
    assert 'id="who-answered"' in page
    shown = displayed_analysis(Round.objects.get(pk=round_.pk))
    rep = shown.representation
    assert rep is not None
    assert rep.respondents == 60
    assert sum(b.respondents for b in rep.bands) + rep.without_band == 60
    # the shares come from the municipality's own age structure, through the snapshot
    assert round_.snapshots.get().representation["respondents"] == 60
    assert shown.weighted is not None
    assert "viktat" in page or "weighted" in page


def test_no_comparison_without_population_figures(round_, owner):
    area = round_.place.municipality
    area.age_bands = {}
    area.save(update_fields=["age_bands"])
    fill_round(round_, 30)
    client = Client()
    client.force_login(owner)
    page = client.get(reverse("assessments:results", args=[round_.place.slug, round_.slug]))
    assert 'id="who-answered"' not in page.content.decode()

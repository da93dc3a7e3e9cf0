"""The results page and the board report put each theme beside the figures that speak to
it, and name a disagreement between the answers and a figure only when both are clear; a
frozen version keeps showing what it showed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from platsa.assessments.generated import round_fill_generated
from platsa.assessments.models import Round
from platsa.assessments.presenters import Audience, results_context
from platsa.assessments.services import round_publish
from platsa.assessments.snapshots import displayed_analysis
from platsa.places.models import Area, AreaIndicator

pytestmark = pytest.mark.django_db


def _shrink(area: Area, pct: float) -> None:
    """Make the municipality's newest year ``pct`` per cent below the one ten years back."""
    series = {int(y): int(v) for y, v in area.population_series.items()}
    last = max(series)
    series[last] = round(series[last - 10] * (1 + pct / 100))
    area.population_series = {str(y): v for y, v in series.items()}
    area.save(update_fields=["population_series"])


def _page(client: Client, round_: Round, **params: str) -> str:
    url = reverse("assessments:results", args=[round_.place.slug, round_.slug])
    client.cookies["platsa_lang"] = "en"  # Swedish first, English when chosen
    return client.get(url, params).content.decode()


def _broadband(value_of: dict[Area, float], year: int, when: dt.datetime) -> None:
    AreaIndicator.objects.bulk_create(
        AreaIndicator(area=a, kpi="N07900", year=year, value=v, fetched_at=when)
        for a, v in value_of.items()
    )


def test_work_rated_high_in_a_shrinking_municipality_is_pointed_out(round_, owner):
    _shrink(round_.place.municipality, -6.0)
    round_fill_generated(round_, 80, seed=3, profile_shift={"work_business": 1.8})
    client = Client()
    client.force_login(owner)
    with translation.override("en"):
        page = _page(client, round_)
    assert "data-perception" in page
    assert 'data-finding="work_decline"' in page
    assert "Respondents rate Work and business" in page
    assert "but the population of Borlänge fell 6.0" in page
    # every figure beside a theme has its period and source
    assert "2012–2022" in page or "2013–2023" in page
    assert "Source: SCB" in page


def test_no_disagreement_when_the_answers_agree_with_the_figures(round_, owner):
    _shrink(round_.place.municipality, -6.0)
    round_fill_generated(round_, 80, seed=3, profile_shift={"work_business": -1.5})
    client = Client()
    client.force_login(owner)
    page = _page(client, round_)
    assert "data-perception" in page  # the figures are still shown beside the themes
    assert "data-finding" not in page


def test_a_frozen_version_keeps_its_comparison(round_, owner, reference):
    """Published, the round shows a frozen version: a later population figure or a Kolada
    import does not change what it showed; the live figures of an open round do."""
    area = round_.place.municipality
    _shrink(area, -6.0)
    round_fill_generated(
        round_, 80, seed=4, profile_shift={"work_business": 1.8, "digital_connectivity": 1.8}
    )
    round_publish(round_=round_, public=True, actor=owner)
    round_ = Round.objects.get(pk=round_.pk)
    snapshot = round_.snapshots.get()
    # afterwards: the population turns out to grow, and Kolada's broadband figures arrive,
    # Borlänge among the lowest
    _shrink(area, +3.0)
    others = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, country="SE")[:80])
    values = {a: 90.0 + i * 0.1 for i, a in enumerate(others) if a.pk != area.pk}
    values[area] = 40.0
    _broadband(values, 2023, snapshot.created_at + dt.timedelta(minutes=5))
    client = Client()
    client.force_login(owner)
    with translation.override("en"):
        frozen_page = _page(client, round_)
        anonymous = Client()
        anonymous.cookies["platsa_lang"] = "en"
        public_page = anonymous.get(
            reverse("public:results", args=[round_.place.slug, round_.slug])
        ).content.decode()
    for page in (frozen_page, public_page):
        assert 'data-finding="work_decline"' in page
        assert 'data-figure="broadband_100"' not in page
        assert "digital_low_broadband" not in page
    # the same round live (still open, taken down) reads today's figures
    round_publish(round_=round_, public=False, actor=owner)
    live = Round.objects.get(pk=round_.pk)
    with translation.override("en"):
        page = _page(client, live)
    assert 'data-finding="work_decline"' not in page
    assert 'data-figure="broadband_100"' in page
    assert 'data-finding="digital_low_broadband"' in page
    assert "median of 80 municipalities" in page


def test_a_kolada_figure_fetched_before_freezing_stays(round_, owner, reference):
    area = round_.place.municipality
    others = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, country="SE")[:80])
    values = {a: 90.0 + i * 0.1 for i, a in enumerate(others) if a.pk != area.pk}
    values[area] = 40.0
    _broadband(values, 2023, timezone.now() - dt.timedelta(days=1))
    round_fill_generated(round_, 80, seed=5, profile_shift={"digital_connectivity": 1.8})
    round_publish(round_=round_, public=True, actor=owner)
    client = Client()
    client.force_login(owner)
    page = _page(client, Round.objects.get(pk=round_.pk))
    assert 'data-finding="digital_low_broadband"' in page


def test_the_board_report_has_the_panel(round_, owner):
    _shrink(round_.place.municipality, -6.0)
    round_fill_generated(round_, 80, seed=3, profile_shift={"work_business": 1.8})
    round_publish(round_=round_, public=True, actor=owner)
    with translation.override("en"):
        context = results_context(
            displayed_analysis(Round.objects.get(pk=round_.pk)), audience=Audience.PUBLIC
        )
        html = render_to_string("assessments/report_pdf.html", {**context, "pdf_comments": []})
    assert "What the figures say beside the answers" in html
    assert "but the population of Borlänge fell 6.0" in html
    assert "style=" not in html.split("</style>", 1)[1]


def test_too_few_ratings_give_no_panel_to_viewers(round_, viewer):
    _shrink(round_.place.municipality, -6.0)
    round_fill_generated(round_, 3, seed=3, profile_shift={"work_business": 1.8})
    client = Client()
    client.force_login(viewer)
    page = _page(client, round_)
    assert "data-perception" not in page


def test_a_framework_the_links_do_not_know_gets_no_panel(place, owner):
    from platsa.assessments.services import default_groups, round_create
    from platsa.core.schema.frameworks import get_framework

    _shrink(place.municipality, -6.0)
    fw = get_framework("innovation-capacity")
    round_ = round_create(
        place=place,
        user=owner,
        name="Innovation 2026",
        framework=fw,
        groups=default_groups(fw),
        open_now=True,
    )
    round_fill_generated(round_, 40, seed=3)
    client = Client()
    client.force_login(owner)
    page = _page(client, round_)
    assert "Innovation 2026" in page  # the results page itself is there
    assert "data-perception" not in page

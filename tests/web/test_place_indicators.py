"""A place page shows the key figures imported from Kolada, newest year first, with a small
trend chart; nothing when none were imported."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse
from django.utils import timezone

from platsa.core.io.reference import REFERENCE_DIR
from platsa.places.models import AreaIndicator

pytestmark = pytest.mark.django_db


def _population(code: str) -> dict[int, int]:
    """Kolada's N01951 for 2020-2022 is the population in the shipped file (it came from it)."""
    with (REFERENCE_DIR / "se" / "population_2020_2022.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["municipality_code"] == code)
    return {int(k[4:8]): int(v) for k, v in row.items() if k.startswith("pop_")}


def test_the_place_page_shows_kolada_figures_with_their_trend(client, place, owner):
    client.force_login(owner)
    url = reverse("places:detail", args=[place.slug])
    assert "N01951" not in client.get(url).content.decode()
    figures = _population(place.municipality.code)
    for year, value in figures.items():
        AreaIndicator.objects.create(
            area=place.municipality, kpi="N01951", year=year, value=value, fetched_at=timezone.now()
        )
    html = client.get(url).content.decode()
    latest = max(figures)
    assert "N01951" in html
    assert f"{figures[latest]:,}".replace(",", "\xa0") in html or str(figures[latest]) in html
    assert 'class="sparkline"' in html
    assert f"{min(figures)}–{latest}" in html

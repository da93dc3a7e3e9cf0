"""A regional coordinator's mapping in a real browser: started from a list of codes and
contacts, answered in each municipality, compared side by side (table, map, ranks among
peers), at phone width and by keyboard, without serious axe-core violations."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(borlange):
    """Four real municipalities of Dalarna with their real boundaries."""
    from platsa.core.io.reference import REFERENCE_DIR
    from platsa.places.models import Area, AreaShape

    areas = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=borlange.parent)
        .exclude(pk=borlange.pk)
        .order_by("code")[:4]
    )
    features = json.loads((REFERENCE_DIR / "se" / "kommuner_scb_simplified.geojson").read_text())
    by_code = {str(f["properties"]["code"]): f["geometry"] for f in features["features"]}
    for area in areas:
        AreaShape.objects.get_or_create(
            area=area, defaults={"geometry": by_code[area.code], "source": "scb_geo"}
        )
    return areas


def test_a_coordinator_compares_municipalities(live_server, browser, place, owner, county):
    from platsa.mappings.services import mapping_rounds
    from platsa.processes.models import Process
    from tests.conftest import fill_round

    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))
    page.goto(f"{base}/platser/{place.slug}/")
    page.click("text=Kartlägg flera kommuner")
    page.fill("input[name=title]", "Dalarna 2027")
    page.check("input[name=framework][value=innovation-capacity]")
    lines = "\n".join(f"{a.code} kontakt{i}@example.org" for i, a in enumerate(county))
    page.fill("textarea[name=participants]", lines)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/kartlaggningar/dalarna-2027/"))
    assert "4 kommuner" in page.content()

    mapping = Process.objects.get(kind="mapping")
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 8 + 3 * i, seed=i + 1)
    page.reload()
    rows = page.locator("[data-heat-table] tbody tr")
    assert rows.count() == 4
    for area in county:
        assert page.locator("[data-heat-table]").inner_text().count(area.name) == 1
    assert page.locator("svg.choropleth path").count() == 4
    assert "över" in page.locator("[data-heat-table] tbody").inner_text()  # percentile ranks
    # the actions on most lists arrive after the page (htmx), linked to the catalogue
    page.wait_for_selector("#programme-actions ol li a[href^='/katalog/']")
    assert no_horizontal_scroll(page)
    assert serious_violations(page) == []

    # By keyboard: rank among the same county and map another dimension.
    tab_to(page, "select[name=peers]")
    page.select_option("select[name=peers]", "county")
    tab_to(page, "select[name=theme]")
    page.select_option("select[name=theme]", "innovation_procurement")
    tab_to(page, ".filter-row button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"peers=county"))
    assert "Upphandling" in (page.locator("svg.choropleth title").first.text_content() or "")
    with page.expect_download() as download:
        page.click("text=Jämförelsen (XLSX)")
    assert download.value.suggested_filename.endswith(".xlsx")

    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    desktop.add_cookies(page.context.cookies())
    wide = desktop.new_page()
    wide.goto(page.url)
    assert serious_violations(wide) == []

"""The choropleth of a mapping's comparison page zooms, pans and names the area under the
pointer, finger or keyboard focus (platsa/static/platsa/js/map-zoom.js and its partial
web/_map_zoom.html, included by mappings/detail.html after the map); without script it is
the plain picture it was."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_journey import PHONE, serious_violations, tab_to
from tests.e2e.test_mapping import county  # noqa: F401  (the fixture: 4 Dalarna municipalities)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAP = "svg.choropleth svg.choropleth-map"
AREA = f"{MAP} path[data-key]"


@pytest.fixture
def mapping_url(live_server, place, owner, county):  # noqa: F811
    from platsa.catalogue.selectors import frameworks
    from platsa.core.schema.frameworks import default_framework
    from platsa.mappings.services import Participant, mapping_create, mapping_rounds
    from tests.conftest import fill_round

    available = frameworks()
    mapping, _created = mapping_create(
        place=place,
        user=owner,
        title="Dalarna 2027",
        framework=available.get("innovation-capacity") or default_framework(available),
        participants=[Participant(municipality=a) for a in county],
        base_url=live_server.url + "/",
    )
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 8 + 3 * i, seed=i + 1)
    return f"{live_server.url}/platser/{place.slug}/kartlaggningar/{mapping.slug}/"


def _signed_in(browser, live_server, owner, **context):
    page = browser.new_context(**context).new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))
    return page


def _view(page) -> list[float]:
    return [float(v) for v in (page.locator(MAP).get_attribute("viewBox") or "").split()]


def _title(locator) -> str:
    return locator.locator("title").text_content() or ""


def test_the_map_zooms_pans_and_names_the_area(live_server, browser, owner, mapping_url):
    page = _signed_in(browser, live_server, owner, viewport={"width": 1280, "height": 900})
    page.goto(mapping_url)
    controls = page.locator("[data-map-zoom]")
    assert controls.count() == 1, "mappings/detail.html includes web/_map_zoom.html after the map"
    assert controls.is_visible()  # the script ran (the partial is hidden without it)
    whole = _view(page)
    assert whole[:2] == [0, 0]
    assert whole[2] == 520

    # "+" zooms in about the middle: a smaller viewBox with the same proportions.
    page.click("[data-zoom=in]")
    zoomed = _view(page)
    assert zoomed[2] < whole[2]
    assert zoomed[3] < whole[3]
    assert zoomed[2] / zoomed[3] == pytest.approx(whole[2] / whole[3], rel=1e-3)
    assert page.locator("[data-zoom=out]").get_attribute("aria-disabled") == "false"
    # The same by keyboard: the buttons are real buttons.
    page.focus("[data-zoom=in]")
    page.keyboard.press("Enter")
    assert _view(page)[2] < zoomed[2]
    # Dragging moves the view (the map, not the page).
    box = page.locator(MAP).bounding_box()
    assert box is not None
    before = _view(page)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2 + 40, steps=5)
    page.mouse.up()
    after = _view(page)
    assert after[2] == before[2]
    assert after[0] < before[0] or after[1] < before[1]
    page.click("[data-zoom=reset]")
    assert _view(page) == whole

    # A plain wheel scrolls the page past the map; Ctrl and the wheel zoom it.
    page.locator(MAP).scroll_into_view_if_needed()
    box = page.locator(MAP).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    page.mouse.wheel(0, 100)
    page.wait_for_function("() => window.scrollY > 0")
    assert _view(page) == whole
    box = page.locator(MAP).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(
        "(s) => document.querySelector(s).getAttribute('viewBox').split(' ')[2] < 520", arg=MAP
    )
    page.click("[data-zoom=reset]")

    # Hovering an area names it in the caption (a polite live region).
    caption = page.locator("[data-map-caption]")
    assert caption.get_attribute("aria-live") == "polite"
    areas = page.locator(AREA)
    assert areas.count() == 4
    areas.nth(1).hover()
    assert caption.inner_text() == _title(areas.nth(1))
    assert re.search(r": \d", caption.inner_text())  # "Falun: 3,4"

    # By keyboard: one tab stop into the map, then the arrow keys from area to area.
    page.focus("[data-zoom=reset]")
    tab_to(page, AREA)
    first = _title(page.locator(f"{AREA}:focus"))
    assert caption.inner_text() == first
    page.keyboard.press("ArrowRight")
    assert caption.inner_text() == _title(page.locator(f"{AREA}:focus"))
    assert caption.inner_text() != first
    assert page.locator(f'{AREA}[tabindex="0"]').count() == 1
    page.keyboard.press("+")
    assert _view(page)[2] < whole[2]
    page.keyboard.press("0")
    assert _view(page) == whole
    assert serious_violations(page) == []


def test_a_tap_names_the_area_on_a_phone(live_server, browser, owner, mapping_url):
    page = _signed_in(browser, live_server, owner, viewport=PHONE, has_touch=True)
    page.goto(mapping_url)
    areas = page.locator(AREA)
    page.locator(MAP).scroll_into_view_if_needed()
    # The middle of the area's box may be its neighbour: tap where the area really is.
    point = page.evaluate(
        """(s) => {
          const path = document.querySelectorAll(s)[2];
          const svg = path.ownerSVGElement, m = path.getScreenCTM();
          const len = path.getTotalLength();
          for (let i = 0; i < 200; i++) {
            const p = path.getPointAtLength(len * i / 200);
            const q = new DOMPoint(p.x, p.y).matrixTransform(m);
            for (const [dx, dy] of [[4, 4], [-4, 4], [4, -4], [-4, -4]]) {
              const el = document.elementFromPoint(q.x + dx, q.y + dy);
              if (el === path) return [q.x + dx, q.y + dy];
            }
          }
          return null;
        }""",
        AREA,
    )
    assert point is not None
    page.touchscreen.tap(point[0], point[1])
    assert page.locator("[data-map-caption]").inner_text() == _title(areas.nth(2))
    # Unzoomed, the map leaves a finger's scrolling to the page.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('svg.choropleth')).touchAction")
        == "auto"
    )
    page.click("[data-zoom=in]")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('svg.choropleth')).touchAction")
        == "none"
    )


def test_without_script_the_map_is_the_picture_it_was(live_server, browser, owner, mapping_url):
    page = _signed_in(browser, live_server, owner, java_script_enabled=False)
    page.goto(mapping_url)
    assert page.locator(AREA).count() == 4
    assert not page.locator("[data-map-zoom]").is_visible()  # no buttons that do nothing
    assert page.locator("svg.choropleth").get_attribute("role") == "img"

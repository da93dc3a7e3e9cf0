"""A places question on a real phone: "drop a pin" loads the country's map, a tap on a
municipality fills in its name and drops the pin, Enter on a municipality reached from the
keyboard chooses it by name, and the answer is stored with its point; the page passes axe
with the map open and fits 320 px."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shapes(borlange) -> None:
    from platsa.core.io.reference import REFERENCE_DIR
    from platsa.places.models import Area, AreaShape

    path = REFERENCE_DIR / "se" / "kommuner_scb_simplified.geojson"
    by_code = {
        str(f["properties"]["code"]): f["geometry"]
        for f in json.loads(path.read_text())["features"]
    }
    county = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=borlange.parent)
    AreaShape.objects.bulk_create(
        AreaShape(area=a, geometry=by_code[a.code], source="scb_geo") for a in county
    )


def test_a_pin_dropped_on_a_phone_is_the_answer(live_server, browser, place, owner, borlange):
    from platsa.processes.services import process_set_phase
    from platsa.workshops.models import Answer
    from platsa.workshops.services import question_add, workshop_configure, workshop_create

    _shapes(borlange)
    workshop = workshop_create(place=place, user=owner, title="Träff")
    workshop_configure(workshop=workshop, pace="self", groups=[])
    process_set_phase(process=workshop.process, phase="live")
    question_add(workshop=workshop, kind="places", prompt="Var finns en förebild?")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{live_server.url}/w/{workshop.code}/")
    phone.get_by_text("Eller sätt en nål på kartan").click()
    phone.wait_for_selector(".pin-map svg.choropleth path[data-key]")
    assert serious_violations(phone) == []
    area = phone.locator(".pin-map path[data-key]", has=phone.locator("title", has_text="Falun"))
    area.click()  # a tap, once the opened details stand still
    assert phone.input_value("#id_answer") == "Falun"
    assert "Falun" in phone.locator("[data-pin-said]").inner_text()
    assert phone.locator(".map-pin-mine").count() == 1
    phone.get_by_role("button", name="Skicka").click()
    phone.wait_for_selector("text=Ditt svar är sparat")
    answer = Answer.objects.get()
    assert answer.text == "Falun"
    lat, lon = answer.data["point"]
    assert 60.0 < lat < 61.5
    assert 14.5 < lon < 16.5

    # From the keyboard: the arrow keys reach a municipality, Enter chooses it by name.
    phone.get_by_text("Eller sätt en nål på kartan").click()  # the page came back: open again
    phone.wait_for_selector(".pin-map svg.choropleth path[data-key]")
    phone.locator(".pin-map path[data-key]").first.focus()
    phone.keyboard.press("Enter")
    chosen = phone.input_value("#id_answer")
    assert chosen
    assert phone.input_value("input[name=lat]") == ""  # a name, no pin
    assert phone.locator(".map-pin-mine").count() == 0
    phone.set_viewport_size({"width": 320, "height": 640})
    assert no_horizontal_scroll(phone)

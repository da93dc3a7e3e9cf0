"""A live workshop in a real browser: the facilitator's screen on a projector and two phones
in one browser. The phones join with the code and answer; the screen shows the count and the
chart as the answers come, and moves with the facilitator to the next question, which the
phones then show by themselves. No serious axe-core violations on the phone or the screen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_screen_and_two_phones(live_server, browser, place, owner):
    from platsa.workshops.models import Answer
    from platsa.workshops.services import question_add, workshop_create

    workshop = workshop_create(place=place, user=owner, title="Nätverksträff")
    first = question_add(
        workshop=workshop, kind="choice", prompt="Var bor du?", options=["I byn", "I stan"]
    )
    question_add(workshop=workshop, kind="words", prompt="Vad behöver byn?")
    base = live_server.url
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = facilitator.new_page()
    desk.goto(f"{base}/konto/login/")
    desk.fill("input[name=login]", owner.email)
    desk.fill("input[name=password]", "a-long-test-password")
    desk.press("input[name=password]", "Enter")
    desk.wait_for_url(re.compile(r"/platser/"))
    desk.goto(f"{base}/platser/{place.slug}/workshoppar/{workshop.process.slug}/")
    screen = facilitator.new_page()
    screen.goto(f"{base}/w/{workshop.code}/skarm/")
    assert workshop.code in screen.content()

    phones = [browser.new_context(viewport=PHONE).new_page() for _ in range(2)]
    for phone in phones:
        phone.goto(f"{base}/w/")
        phone.fill("input[name=kod]", workshop.code)
        phone.press("input[name=kod]", "Enter")
        phone.wait_for_url(re.compile(rf"/w/{workshop.code}/"))
    desk.click(f"form[action$='/visa/'] button[value='{first.pk}']")
    for phone in phones:  # the question arrives on the phones by itself
        phone.wait_for_selector("text=Var bor du?", timeout=10000)
    assert no_horizontal_scroll(phones[0])
    assert serious_violations(phones[0]) == []
    phones[0].check("input[name=answer][value='0']")
    phones[0].click("button[type=submit]")
    assert "sparat" in phones[0].locator(".messages").inner_text()
    phones[1].check("input[name=answer][value='1']")
    phones[1].click("button[type=submit]")
    screen.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('2 svar')", timeout=10000
    )
    assert screen.locator("svg.count-bars").count() == 1
    assert serious_violations(screen) == []
    assert Answer.objects.count() == 2

    desk.goto(desk.url.split("#")[0])
    desk.click("form[action$='/visa/'] button:not([data-variant])")  # the next question
    for phone in phones:
        phone.wait_for_selector("text=Vad behöver byn?", timeout=10000)
    screen.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('Vad behöver byn?')",
        timeout=10000,
    )
    for i, phone in enumerate(phones):
        phone.fill("textarea[name=answer]", ["Bredband", "bredbandet och bussar"][i])
        phone.click("button[type=submit]")
    screen.wait_for_selector("svg.word-cloud", timeout=10000)
    assert "bredband" in screen.locator("svg.word-cloud").inner_html()
    for context in (facilitator, *(p.context for p in phones)):
        context.close()  # the screen's stream and the phones' looks end before the database

"""A live workshop in a real browser: the facilitator's screen on a projector and two phones
in one browser. The phones join with the code and answer; the screen shows the count and the
chart as the answers come, and moves with the facilitator to the next question, which the
phones then show by themselves. No serious axe-core violations on the phone or the screen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, owner) -> None:
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", owner.email)
    page.fill("input[name=password]", "a-long-test-password")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(re.compile(r"/platser/"))


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
    _sign_in(desk, base, owner)
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
    phones[0].wait_for_selector("[data-say-ok]:not([hidden])")
    assert "sparat" in phones[0].locator("[data-say-ok]").inner_text()
    assert phones[0].evaluate("document.activeElement.type") == "submit"  # focus stays
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


def test_a_brainstorm_with_groups_side_by_side_and_points(live_server, browser, place, owner):
    """Two phones in two themed groups write ideas and upvote; the screen shows the groups
    side by side; then a 100-points question, refused at 90 points with the points kept."""
    from platsa.workshops.models import Answer, EntryVote
    from platsa.workshops.services import question_add, workshop_configure, workshop_create

    workshop = workshop_create(place=place, user=owner, title="Temagrupper")
    workshop_configure(workshop=workshop, pace="presenter", groups=["Kunskap", "Teknik"])
    ideas = question_add(workshop=workshop, kind="ideas", prompt="Idéer för byn")
    points = question_add(
        workshop=workshop, kind="points", prompt="Fördela poäng", options=["Skola", "Buss"]
    )
    base = live_server.url
    facilitator = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = facilitator.new_page()
    _sign_in(desk, base, owner)
    detail = f"{base}/platser/{place.slug}/workshoppar/{workshop.process.slug}/"
    desk.goto(detail)
    desk.click(f"form[action$='/visa/'] button[value='{ideas.pk}']")
    desk.click("button[name=on][value='1']")  # the groups side by side
    screen = facilitator.new_page()
    screen.goto(f"{base}/w/{workshop.code}/skarm/")
    phones = [browser.new_context(viewport=PHONE).new_page() for _ in range(2)]
    for i, phone in enumerate(phones):
        phone.goto(f"{base}/w/{workshop.code}/")
        phone.click(f"button[name=group][value='{i + 1}']")
        phone.wait_for_selector("text=Idéer för byn")
    assert serious_violations(phones[0]) == []
    phones[0].fill("textarea[name=answer]", "Mentorprogram för unga")
    phones[0].click("form[action$='/ide/'] button[type=submit]")
    phones[1].fill("textarea[name=answer]", "Fiber till varje gård")
    phones[1].click("form[action$='/ide/'] button[type=submit]")
    assert "Mentorprogram" not in phones[1].content()  # the groups' boards are apart
    phones[1].click("button.upvote")  # takes back its own +1
    assert EntryVote.objects.count() == 1
    phones[1].click("button.upvote")
    assert phones[1].locator("button.upvote").get_attribute("aria-pressed") == "true"
    screen.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('Fiber till varje gård')"
        " && document.querySelector('#screen').innerText.includes('Mentorprogram')",
        timeout=10000,
    )
    assert screen.locator(".side-by-side section").count() == 2
    assert serious_violations(screen) == []

    desk.goto(detail)
    desk.click(f"form[action$='/visa/'] button[value='{points.pk}']")
    phone = phones[0]
    phone.wait_for_selector("text=Fördela poäng", timeout=10000)
    assert no_horizontal_scroll(phone)
    phone.fill("input[name=points-0]", "50")
    phone.fill("input[name=points-1]", "40")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-say-error]:not([hidden])")  # said in place, by the script
    assert "90" in phone.locator("[data-say-error]").inner_text()
    assert phone.input_value("input[name=points-1]") == "40"  # what was typed stays
    phone.fill("input[name=points-1]", "50")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-say-ok]:not([hidden])")
    assert Answer.objects.get().data == [50, 50]
    phone.route("**/svara/", lambda route: route.abort())  # the signal is lost
    phone.fill("input[name=points-0]", "60")
    phone.fill("input[name=points-1]", "40")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-say-error]:not([hidden])")
    assert phone.input_value("input[name=points-0]") == "60"  # still here to send again
    assert phone.url.startswith(f"{base}/w/{workshop.code}/")  # not the browser's error page
    phone.unroute("**/svara/")
    desk.goto(detail)
    desk.click(f"form[action$='/visa/'] button[value='{ideas.pk}']")  # the room moves on
    phone.click("button[type=submit]")  # the points, typed before: too late
    phone.wait_for_selector("text=Idéer för byn", timeout=10000)  # the page of the screen now
    assert "Rummet har gått vidare" in phone.content()  # and why it changed
    for context in (facilitator, *(p.context for p in phones)):
        context.close()


def test_a_scale_is_a_row_of_big_targets_and_a_moved_on_answer_is_kept(
    live_server, browser, place, owner
):
    """The 1-7 scale on a phone: seven targets of at least 44 px in one row, the chosen
    one marked. A phone still writing when the room moves on is told so when it sends,
    with what it wrote kept in the form and said back, and a link to the new question."""
    from platsa.workshops.models import Answer
    from platsa.workshops.services import question_add, workshop_create, workshop_show

    workshop = workshop_create(place=place, user=owner, title="Skalor")
    scale = question_add(
        workshop=workshop,
        kind="scale",
        prompt="Hur trygg är du?",
        low_label="inte alls",
        high_label="helt",
    )
    words = question_add(workshop=workshop, kind="words", prompt="Vad saknas i byn?")
    after = question_add(workshop=workshop, kind="words", prompt="Och sedan?")
    base = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(desk, base, owner)
    desk.goto(f"{base}/platser/{place.slug}/workshoppar/{workshop.process.slug}/")
    desk.click(f"form[action$='/visa/'] button[value='{scale.pk}']")
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{base}/w/{workshop.code}/")
    phone.wait_for_selector("text=Hur trygg är du?")
    boxes = [phone.locator(".scale label").nth(i).bounding_box() for i in range(7)]
    assert all(b is not None and b["width"] >= 44 and b["height"] >= 44 for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes if b}) == 1  # one row
    assert no_horizontal_scroll(phone)
    plain = (
        phone.locator(".scale label").nth(3).evaluate("e => getComputedStyle(e).backgroundColor")
    )
    phone.locator(".scale label").nth(4).click()
    chosen = (
        phone.locator(".scale label").nth(4).evaluate("e => getComputedStyle(e).backgroundColor")
    )
    assert chosen != plain
    assert "1 = inte alls" in phone.locator(".scale-ends").inner_text()
    assert serious_violations(phone) == []
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-say-ok]:not([hidden])")
    assert Answer.objects.get().value == 5

    workshop_show(workshop=workshop, question=words)
    phone.reload()
    phone.wait_for_selector("text=Vad saknas i byn?")
    phone.fill("textarea[name=answer]", "En mötesplats för unga på kvällarna")
    workshop_show(workshop=workshop, question=after)  # the room moves on while it is typed
    phone.wait_for_timeout(3500)  # a look at the room: a phone being written on stays put
    assert "Vad saknas i byn?" in phone.content()
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-say-error]:not([hidden])")
    said = phone.locator("[data-say-error]").inner_text()
    assert "inte sparat" in said
    assert "En mötesplats för unga på kvällarna" in said
    assert phone.input_value("textarea[name=answer]") == "En mötesplats för unga på kvällarna"
    phone.click("[data-say-next] a")
    phone.wait_for_selector("text=Och sedan?")
    assert Answer.objects.count() == 1

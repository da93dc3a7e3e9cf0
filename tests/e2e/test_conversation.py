"""A conversation in a real browser: an organiser starts it from the place page, seeds
statements and opens it; a participant on a phone, without an account, votes by keyboard,
writes a statement that repeats one (and is offered it first), sends it anyway and sees it
wait for review; the organiser shows it and the participant sees that; the results show the
groups on a map. No serious axe-core violations at phone width or on a desktop."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll, serious_violations, tab_to
from tests.web.test_conversations import SEEDS, _planted_votes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_conversation_from_seed_to_groups(live_server, browser, place, owner):
    from platsa.conversations.analysis import analysis_run
    from platsa.conversations.models import Conversation, Statement

    base = live_server.url
    organiser = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    organiser.goto(f"{base}/konto/login/")
    organiser.fill("input[name=login]", owner.email)
    organiser.fill("input[name=password]", "a-long-test-password")
    organiser.press("input[name=password]", "Enter")
    organiser.wait_for_url(re.compile(r"/platser/"))
    organiser.goto(f"{base}/platser/{place.slug}/")
    organiser.click("text=Starta ett samtal")
    organiser.fill("input[name=question]", "Vad ska byn satsa på?")
    organiser.click("button[type=submit]")
    organiser.wait_for_url(re.compile(r"/samtal/vad-ska-byn-satsa-pa/"))
    organiser.fill("textarea[name=statements]", "\n".join(SEEDS))
    organiser.click("text=Lägg till påståendena")
    organiser.click("text=Öppna samtalet")
    assert "Öppen" in organiser.locator(".status-tag").inner_text()
    assert serious_violations(organiser) == []
    conversation = Conversation.objects.get()

    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(f"{base}/samtal/{conversation.public_id}/")
    assert no_horizontal_scroll(phone)
    assert serious_violations(phone) == []
    first = phone.locator("#statement-now").inner_text()
    tab_to(phone, "button[data-vote=agree]")
    phone.keyboard.press("Enter")
    phone.wait_for_load_state()
    assert f"Du håller med: ”{first}”" in phone.locator(".messages").inner_text()
    assert "1 av 10" in phone.locator(".progress-note").inner_text()
    phone.click("button[data-vote=disagree]")
    assert "2 av 10" in phone.locator(".progress-note").inner_text()

    # The counter under the field: how much is used, and a word when a paste was cut.
    counter = phone.locator("[data-count-for=id_text]")
    assert "id_text-count" in phone.get_attribute("textarea[name=text]", "aria-describedby")
    phone.fill("textarea[name=text]", "x" * 400)
    assert "280 av 280 tecken" in counter.inner_text()
    assert "inte med" in counter.locator("[role=status]").inner_text()
    phone.fill("textarea[name=text]", "Vi behöver fler bussar mellan byn och centralorten")
    assert "50 av 280 tecken" in counter.inner_text()
    assert counter.locator("[role=status]").inner_text() == ""
    phone.click("text=Skicka påståendet")
    assert "Finns ditt påstående redan?" in phone.content()
    assert SEEDS[0] in phone.content()
    assert serious_violations(phone) == []
    phone.click("text=Skicka mitt påstående")
    assert "Väntar på granskning" in phone.locator(".own-statements").inner_text()

    organiser.goto(organiser.url.split("#")[0])
    assert "Likt ett påstående som visas" in organiser.locator(".moderation-list").inner_text()
    organiser.click(".moderation-list button[value=show]")
    phone.reload()
    assert "Visas" in phone.locator(".own-statements").inner_text()
    sent = Statement.objects.get(is_seed=False)
    assert sent.status == "shown"

    _planted_votes(conversation)
    analysis_run(conversation.pk)
    phone.goto(f"{base}/samtal/{conversation.public_id}/resultat/")
    assert phone.locator("svg.group-map").count() == 1
    assert phone.locator(".group-card").count() == 2
    assert no_horizontal_scroll(phone)
    assert serious_violations(phone) == []
    organiser.goto(f"{base}/samtal/{conversation.public_id}/resultat/")
    assert serious_violations(organiser) == []


def test_a_projector_and_two_phones_in_one_browser(
    live_server, browser, worker, settings, place, owner
):
    """The room: a projector shows the results and updates itself when the worker has
    counted new votes (server-sent events), while two phones vote."""
    from platsa.conversations.analysis import analysis_run
    from platsa.conversations.models import Conversation

    settings.PLATSA_OPINION_DELAY = 0
    from platsa.conversations.services import conversation_create, statements_seed
    from platsa.processes.services import process_set_phase

    conversation = conversation_create(place=place, user=owner, question="Vad ska byn satsa på?")
    statements_seed(conversation=conversation, user=owner, texts=SEEDS)
    process_set_phase(process=conversation.process, phase="open", actor=owner)
    _planted_votes(Conversation.objects.get(), n_per_group=30)
    analysis_run(conversation.pk)
    base = live_server.url
    projector = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    projector.goto(f"{base}/samtal/{conversation.public_id}/resultat/?live=1")
    counted = projector.locator("#results p.small.muted").first
    before = counted.inner_text()
    phones = [browser.new_context(viewport=PHONE).new_page() for _ in range(2)]
    for phone in phones:
        phone.goto(f"{base}/samtal/{conversation.public_id}/")
        phone.click("button[data-vote=agree]")
        assert "1 av 10" in phone.locator(".progress-note").inner_text()
    # the first phone's vote may show before the second's: wait for both
    projector.wait_for_function(
        "() => document.querySelector('#results p.small.muted').innerText"
        ".includes('Deltagare: 62')",
        timeout=15000,
    )
    assert counted.inner_text() != before
    assert projector.locator(".group-card").count() == 2
    for page in (projector, *phones):
        page.context.close()  # the projector's stream ends before the database does

"""One long Swedish compound in what people type (an option, an idea's title, a statement)
breaks inside the word where it must: a phone's page stays as wide as the phone, and the
conversation's table keeps its statement column within the screen."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_journey import PHONE, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG = "Landsbygdsutvecklingsstrategiimplementeringsarbetsgruppsmedlemmarna"


def test_a_long_word_does_not_widen_a_phones_page(live_server, browser, place, owner, settings):
    from django.urls import reverse

    from platsa.conversations.services import conversation_create, statements_seed
    from platsa.innovation.services import idea_submit, innovation_create
    from platsa.processes.services import process_set_phase
    from platsa.workshops.services import question_add, workshop_create, workshop_show

    settings.PLATSA_OPINION_DELAY = 0  # the worker's analysis at once
    workshop = workshop_create(place=place, user=owner, title="Långa ord")
    choice = question_add(
        workshop=workshop, kind="choice", prompt="Vilket?", options=[LONG, "Kort"]
    )
    workshop_show(workshop=workshop, question=choice)
    process = innovation_create(place=place, title="Idéer", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    idea_submit(process=process, user=owner, title=f"Om {LONG}", body=f"{LONG} {LONG}")
    conversation = conversation_create(place=place, user=owner, question="Vad tycker du?")
    statements_seed(conversation=conversation, user=owner, texts=[f"Ett {LONG}", "Kort"])
    process_set_phase(process=conversation.process, phase="open", actor=owner)
    from platsa.conversations.models import Statement
    from platsa.conversations.services import participant_for, vote_cast
    from tests.conftest import run_jobs

    for i in range(2):  # two votes each, and the worker's agreement figures
        voter = participant_for(conversation, user=None, token=f"v{i}".ljust(43, "x"))
        for statement in Statement.objects.filter(conversation=conversation):
            vote_cast(participant=voter, statement_id=statement.pk, value=1)
    run_jobs()

    phone = browser.new_context(viewport=PHONE).new_page()
    base = live_server.url
    pages = [
        f"{base}/w/{workshop.code}/",
        base + reverse("innovation_public:process", args=[place.slug, process.slug]),
        base + reverse("conversations_public:results", args=[conversation.public_id]),
    ]
    for url in pages:
        phone.goto(url)
        assert no_horizontal_scroll(phone), url
    column = phone.locator(".opinion-table td").first.bounding_box(timeout=3000)
    assert column is not None
    assert column["width"] <= PHONE["width"], column
    assert re.search(LONG[:20], phone.content())

"""A new phone's page comes from the page cache (the room's busiest request: every phone
opens it when the code goes up), with each phone's own CSRF token spliced in. What must
hold: the cached page is exactly what the room shows now (a new question, a closed
session, groups, a new title, the language all make a new page), each phone's token works
for its answer, and a phone that has answered, or a board that changes with every +1,
never gets the shared copy."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse

from platsa.processes.services import process_set_phase, process_update
from platsa.workshops.models import Answer, Workshop
from platsa.workshops.participate import PHONE_COOKIE
from platsa.workshops.services import (
    question_add,
    workshop_configure,
    workshop_create,
    workshop_show,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(place, owner) -> Workshop:
    workshop = workshop_create(place=place, user=owner, title="Bystämma")
    first = question_add(
        workshop=workshop, kind="choice", prompt="Vad behövs mest?", options=["Buss", "Skola"]
    )
    question_add(
        workshop=workshop, kind="scale", prompt="Hur trivs du?", low_label="", high_label=""
    )
    process_set_phase(process=workshop.process, phase="live")
    workshop_show(workshop=workshop, question=first)
    return Workshop.objects.get(pk=workshop.pk)


def _url(workshop: Workshop) -> str:
    return reverse("workshops_public:session", args=[workshop.code])


def _phone() -> Client:
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="sv")


def _open(workshop: Workshop, client: Client | None = None) -> tuple[Client, str]:
    client = client or _phone()
    response = client.get(_url(workshop))
    assert response.status_code == 200
    return client, response.content.decode()


def _token_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_new_phones_get_the_page_from_the_cache_with_their_own_token(
    room, django_assert_max_num_queries
):
    _first, page = _open(room)  # renders and keeps it
    assert "Vad behövs mest?" in page
    with django_assert_max_num_queries(1):  # the room's stamps; the page is in the cache
        phone, cached = _open(room)
    assert "Vad behövs mest?" in cached
    assert PHONE_COOKIE in phone.cookies  # the phone is remembered from its first page
    assert "platsa-csrf-placeholder" not in cached
    token = _token_of(cached)
    assert token != _token_of(page)  # each phone its own
    question = room.current
    sent = phone.post(
        reverse("workshops_public:answer", args=[room.code]),
        {"csrfmiddlewaretoken": token, "question": question.pk, "answer": "1"},
    )
    assert sent.status_code == 302
    answer = Answer.objects.get()
    assert answer.choice == 1
    again = phone.get(_url(room)).content.decode()
    assert "Your answer is saved" in again or "Ditt svar är sparat" in again  # not the shared page


def test_a_compressed_copy_is_the_same_page(room):
    _open(room)
    phone = _phone()
    zipped = phone.get(_url(room), HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert "private" in zipped["Cache-Control"]  # a phone's token: never for a shared cache
    text = gzip.decompress(zipped.content).decode()
    assert "Vad behövs mest?" in text
    assert _token_of(text)


def test_the_next_question_on_the_screen_is_the_next_new_phones_page(room):
    _open(room)
    second = list(room.questions.all())[1]
    workshop_show(workshop=room, question=second)
    _p, page = _open(room)
    assert "Hur trivs du?" in page
    assert "Vad behövs mest?" not in page


def test_a_closed_session_and_groups_and_a_new_title_show_at_once(room):
    _open(room)
    workshop_configure(workshop=room, pace="presenter", groups=["Kunskap", "Teknik"])
    _p, page = _open(room)
    assert "Kunskap" in page  # choose a group first
    assert "Teknik" in page
    process_update(process=room.process, title="Bystämma i Grängesberg")
    _p, page = _open(room)
    assert "Bystämma i Grängesberg" in page
    process_set_phase(process=room.process, phase="closed")
    _p, page = _open(room)
    assert 'name="csrfmiddlewaretoken"' not in page  # no form: not taking answers
    assert "Vad behövs mest?" not in page


def test_the_language_is_part_of_the_page(room):
    _open(room)
    english_phone = Client()
    english_phone.get(reverse("set_language", args=["en"]))
    english = english_phone.get(_url(room)).content.decode()
    swedish = Client().get(_url(room)).content.decode()
    assert "Send" in english
    assert "Skicka" not in english
    assert "Skicka" in swedish


def test_a_board_is_never_the_shared_copy(room):
    ideas = question_add(workshop=room, kind="ideas", prompt="Idéer för byn?")
    workshop_show(workshop=room, question=ideas)
    writer = _phone()
    page = writer.get(_url(room)).content.decode()
    writer.post(
        reverse("workshops_public:entry", args=[room.code]),
        {"csrfmiddlewaretoken": _token_of(page), "question": ideas.pk, "answer": "Ett byahus"},
    )
    _p, seen = _open(room)
    assert "Ett byahus" in seen  # the next phone sees the idea written a moment ago


def test_self_paced_new_phones_get_the_question_they_ask_for(room):
    workshop_configure(workshop=room, pace="self", groups=[])
    first = _phone().get(_url(room) + "?fraga=1").content.decode()
    second = _phone().get(_url(room) + "?fraga=2").content.decode()
    again = _phone().get(_url(room) + "?fraga=2").content.decode()
    assert "Vad behövs mest?" in first
    assert "Hur trivs du?" not in first
    assert "Hur trivs du?" in second
    assert "Vad behövs mest?" not in second
    assert again.replace(_token_of(again), "") == second.replace(_token_of(second), "")


def test_a_message_waiting_for_the_phone_is_shown_not_a_cached_page(room, settings):
    settings.PLATSA_ROOM_ANSWER_RATE_ADDRESS = "1/600"  # the room's network: one answer
    _open(room)
    for _n, expect_saved in ((0, True), (1, False)):
        phone = _phone()
        page = phone.get(_url(room)).content.decode()
        phone.post(
            reverse("workshops_public:answer", args=[room.code]),
            {"csrfmiddlewaretoken": _token_of(page), "question": room.current.pk, "answer": "0"},
        )
        assert Answer.objects.count() == 1
        if not expect_saved:  # refused before this phone became anyone: the message waits
            shown = phone.get(_url(room)).content.decode()
            assert "vänta en stund" in shown

"""What a hostile probe of live workshops found, each kept from coming back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from platsa.workshops.models import Answer, Participant, Question, Workshop
from platsa.workshops.results import question_results
from tests.web.test_workshops import _show, _urls, workshop  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_taken_down_answer_stays_down_when_sent_again(client, workshop, owner):  # noqa: F811
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 1)
    phone = Client()
    phone.get(urls["session"])
    phone.post(urls["answer"], {"question": question.pk, "answer": "fula ordet idiot"})
    bad = Answer.objects.get()
    client.post(
        reverse(
            "workshops:answer_hide",
            args=[workshop.process.place.slug, workshop.process.slug, bad.pk],
        )
    )
    phone.post(urls["answer"], {"question": question.pk, "answer": "fula ordet idiot"})
    assert "idiot" not in {w.text for w in question_results(question)["words"]}


def test_the_phone_has_its_token_before_its_first_answer(client, workshop, owner):  # noqa: F811
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 0)
    phone = Client()
    phone.get(urls["session"])
    assert "platsa_room" in phone.cookies
    for _ in range(3):  # a double tap, a retry
        phone.post(urls["answer"], {"question": question.pk, "answer": "1"})
    assert Answer.objects.count() == 1
    assert Participant.objects.count() == 1


def test_a_broken_first_answer_makes_nobody_a_participant(client, workshop, owner):  # noqa: F811
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 0)
    phone = Client()
    phone.get(urls["session"])
    phone.post(urls["answer"], {"question": question.pk, "answer": "9"})
    assert Participant.objects.count() == 0


def test_a_signed_in_stranger_gets_a_clear_no_on_the_screen(client, workshop, outsider):  # noqa: F811
    client.force_login(outsider)
    assert client.get(_urls(workshop)["screen"]).status_code == 404  # no loop to sign in
    assert client.get(reverse("workshops_public:screen", args=["999999"])).status_code == 404
    assert client.get(reverse("workshops_public:events", args=[workshop.code])).status_code == 403


def test_wrong_codes_are_slowed_down_everywhere_and_the_right_one_never(settings, workshop):  # noqa: F811
    settings.PLATSA_ROOM_JOIN_RATE = "3/600"
    guesser = Client()
    for n in range(3):
        guesser.get(reverse("workshops_public:state", args=[f"{n:06d}"]))
    assert guesser.get(reverse("workshops_public:state", args=["000009"])).status_code == 429
    assert guesser.get(reverse("workshops_public:session", args=["000010"])).status_code == 429
    for _ in range(5):  # a whole room typing the right code from one address
        assert (
            guesser.get(reverse("workshops_public:join"), {"kod": workshop.code}).status_code == 302
        )


def test_an_odd_question_number_is_a_clean_refusal(client, workshop, owner):  # noqa: F811
    client.force_login(owner)
    assert client.post(_urls(workshop)["show"], {"question": "²"}).status_code == 302  # pause
    assert Workshop.objects.get().current is None


def test_invisible_or_repeated_options_and_empty_prompts_are_refused(client, workshop, owner):  # noqa: F811
    client.force_login(owner)
    before = Question.objects.count()
    response = client.post(
        _urls(workshop)["add"],
        {"kind": "choice", "prompt": "Välj", "options": "\u200b\n\u200d\nreal"},
    )
    assert response.status_code == 400
    response = client.post(_urls(workshop)["add"], {"kind": "words", "prompt": "\u200b\u200b"})
    assert response.status_code == 400
    client.post(_urls(workshop)["add"], {"kind": "choice", "prompt": "Välj", "options": "a\na\nb"})
    assert Question.objects.count() == before + 1
    assert Question.objects.order_by("-pk").first().options == ["a", "b"]


def test_a_long_word_is_drawn_smaller_not_cut_off():
    from platsa.core.analysis.word_cloud import Word
    from platsa.core.render.word_cloud import word_cloud

    svg = word_cloud([Word("x" * 60, 3, ("x" * 60,))], title="T", desc="D", width=960)
    size = float(svg.split('font-size="')[1].split('"')[0])
    assert 60 * size * 0.62 <= 960

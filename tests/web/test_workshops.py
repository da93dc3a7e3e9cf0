"""Live workshops through the web: a facilitator writes questions and moves the room through
them; phones join with the code, without an account, and answer the question on the screen
once (answering again changes it); the screen counts and draws the answers; each persona
sees only what is theirs; the answers come out as XLSX."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from platsa.workshops.models import Answer, Participant, Question, Workshop
from platsa.workshops.results import question_results
from platsa.workshops.services import question_add, workshop_create, workshop_show

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(place, owner) -> Workshop:
    workshop = workshop_create(place=place, user=owner, title="Nätverksträff 12 mars")
    question_add(
        workshop=workshop,
        kind="choice",
        prompt="Vilka smarta landsbygder finns i er region?",
        options=["Många", "Några", "Inga än"],
    )
    question_add(workshop=workshop, kind="words", prompt="Vad behöver byn mest?")
    question_add(
        workshop=workshop,
        kind="scale",
        prompt="Hur nöjd är du?",
        low_label="inte",
        high_label="mycket",
    )
    return workshop


def _urls(workshop):
    place, slug = workshop.process.place.slug, workshop.process.slug
    return {
        "detail": reverse("workshops:detail", args=[place, slug]),
        "show": reverse("workshops:show", args=[place, slug]),
        "hide": reverse("workshops:hide", args=[place, slug]),
        "add": reverse("workshops:question_add", args=[place, slug]),
        "export": reverse("workshops:export", args=[place, slug]),
        "join": reverse("workshops_public:join"),
        "session": reverse("workshops_public:session", args=[workshop.code]),
        "answer": reverse("workshops_public:answer", args=[workshop.code]),
        "state": reverse("workshops_public:state", args=[workshop.code]),
        "screen": reverse("workshops_public:screen", args=[workshop.code]),
        "part": reverse("workshops_public:screen_part", args=[workshop.code]),
    }


def _show(client, workshop, n):
    question = list(workshop.questions.all())[n]
    client.post(_urls(workshop)["show"], {"question": question.pk})
    return question


def test_a_facilitator_starts_a_session_from_the_place_and_adds_questions(client, place, organiser):
    client.force_login(organiser)
    response = client.post(reverse("workshops:create", args=[place.slug]), {"title": "Träff"})
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.process.kind == "workshop"
    assert len(workshop.code) == 6
    assert workshop.code.isdigit()
    urls = _urls(workshop)
    client.post(urls["add"], {"kind": "choice", "prompt": "Välj", "options": "Ja\nNej\n\n"})
    assert Question.objects.get().options == ["Ja", "Nej"]
    refused = client.post(urls["add"], {"kind": "choice", "prompt": "Bara ett", "options": "Ja"})
    assert refused.status_code == 400
    assert "Bara ett" in refused.content.decode()  # the form comes back filled in
    assert Question.objects.count() == 1
    assert reverse("workshops:detail", args=[place.slug, workshop.process.slug]) in (
        client.get(reverse("places:detail", args=[place.slug])).content.decode()
    )


def test_phones_join_with_the_code_and_answer_the_question_on_the_screen(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 0)
    workshop.process.refresh_from_db()
    assert workshop.process.phase == "live"  # showing a question starts the session
    phone = Client()
    response = phone.get(urls["join"], {"kod": f" {workshop.code[:3]} {workshop.code[3:]} "})
    assert response.status_code == 302
    assert response["Location"] == urls["session"]
    page = phone.get(urls["session"]).content.decode()
    assert question.prompt in page
    phone.post(urls["answer"], {"question": question.pk, "answer": "1"})
    phone.post(urls["answer"], {"question": question.pk, "answer": "2"})  # a change of mind
    assert list(Answer.objects.values_list("choice", flat=True)) == [2]
    assert Participant.objects.count() == 1
    other = Client()
    other.post(urls["answer"], {"question": question.pk, "answer": "2"})
    results = question_results(question)
    assert results["rows"] == [("Många", 0), ("Några", 0), ("Inga än", 2)]
    screen = client.get(urls["part"]).content.decode()
    assert "Inga än" in screen
    assert "2 (100 %)" in screen


def test_an_answer_to_a_question_no_longer_on_the_screen_is_refused(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    first = _show(client, workshop, 0)
    _show(client, workshop, 1)
    phone = Client()
    response = phone.post(urls["answer"], {"question": first.pk, "answer": "0"}, follow=True)
    assert b'class="messages"' in response.content
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("n", "answer"),
    [(0, "9"), (0, "x"), (0, "-1"), (1, "   "), (1, "x" * 201), (2, "0"), (2, "8")],
)
def test_a_broken_answer_is_refused_and_stores_nothing(client, workshop, owner, n, answer):
    client.force_login(owner)
    question = _show(client, workshop, n)
    response = Client().post(
        _urls(workshop)["answer"], {"question": question.pk, "answer": answer}, follow=True
    )
    # Refused on the page itself, with what was typed kept in the form.
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    assert "Inget sparades" in response.content.decode()
    if n == 1 and answer.strip():
        assert answer[:200] in response.content.decode()
    assert Answer.objects.count() == 0


def test_open_answers_make_a_word_cloud_and_can_be_taken_down(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 1)
    for text in ["Bredband", "bredbandet", "Fler bussar", "bussarna", "<b>Kalle</b> är dum"]:
        Client().post(urls["answer"], {"question": question.pk, "answer": text})
    results = question_results(question)
    words = {w.text: w.count for w in results["words"]}
    assert words["bredband"] == 2
    assert words["bussar"] == 2 or words.get("bussarna") == 2
    # An English screen lemmatises the room's Swedish answers as Swedish all the same.
    english = {w.text: w.count for w in question_results(question, language="en")["words"]}
    assert english == words
    screen = client.get(urls["part"]).content.decode()
    assert 'class="chart word-cloud"' in screen
    assert "<b>Kalle</b>" not in screen
    bad = Answer.objects.get(text__contains="Kalle")
    client.post(
        reverse(
            "workshops:answer_hide",
            args=[workshop.process.place.slug, workshop.process.slug, bad.pk],
        )
    )
    assert "kalle" not in {w.text for w in question_results(question)["words"]}


def test_results_can_wait_until_everyone_has_answered(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 2)
    Client().post(urls["answer"], {"question": question.pk, "answer": "6"})
    client.post(urls["hide"], {"hidden": "1"})
    screen = client.get(urls["part"]).content.decode()
    assert "count-bars" not in screen
    client.post(urls["hide"], {"hidden": "0"})
    assert "count-bars" in client.get(urls["part"]).content.decode()


def test_the_phones_learn_of_the_next_question_from_a_tiny_state(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    before = Client().get(urls["state"]).content.decode()
    question = _show(client, workshop, 0)
    after = Client().get(urls["state"]).content.decode()
    assert before != after
    assert after == f"live:{question.pk}:0"  # phase, question, number of groups


def test_the_answers_come_out_as_xlsx_during_the_session(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 1)
    other = workshop_create(place=workshop.process.place, user=owner, title="Förra träffen")
    Participant.objects.create(workshop=other, token_hash="x" * 64)  # an id taken elsewhere
    Client().post(urls["answer"], {"question": question.pk, "answer": "=HYPERLINK(1)"})
    Client().post(urls["answer"], {"question": question.pk, "answer": "Bussar"})
    response = client.get(urls["export"])
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == [1, 2]  # numbered in this session, not by id
    assert rows[1][1] == question.prompt
    assert rows[0][5] == "Svar"
    assert rows[1][5] == "'=HYPERLINK(1)"  # formulas neutralised
    # The time is a date cell on Swedish time, as the pages show it (not UTC as text).
    from django.utils import timezone

    from platsa.workshops.models import Answer

    stored = Answer.objects.earliest("pk").answered_at
    assert rows[1][7] == timezone.localtime(stored).replace(tzinfo=None, microsecond=0)
    assert timezone.localtime(stored).utcoffset().total_seconds() > 0  # Sweden, not UTC
    assert sheet.cell(row=2, column=8).number_format == "yyyy-mm-dd hh:mm:ss"


def test_personas_see_only_what_is_theirs(client, workshop, viewer, outsider):
    urls = _urls(workshop)
    client.force_login(outsider)
    assert client.get(urls["detail"]).status_code == 404
    assert client.get(urls["screen"]).status_code == 404  # the screen is for the place's members
    assert client.get(urls["part"]).status_code == 403
    client.force_login(viewer)
    assert client.get(urls["detail"]).status_code == 200
    assert client.get(urls["screen"]).status_code == 200
    assert client.post(urls["show"], {"question": workshop.questions.first().pk}).status_code == 403
    assert client.get(urls["export"]).status_code == 403
    assert Client().get(urls["session"]).status_code == 200  # phones need no account


def test_a_closed_session_takes_no_answers(client, workshop, owner):
    urls = _urls(workshop)
    client.force_login(owner)
    question = _show(client, workshop, 0)
    client.post(
        reverse("workshops:close", args=[workshop.process.place.slug, workshop.process.slug])
    )
    workshop_show(workshop=Workshop.objects.get(), question=question)  # even if shown again
    response = Client().post(urls["answer"], {"question": question.pk, "answer": "0"}, follow=True)
    assert b'class="messages"' in response.content
    assert Answer.objects.count() == 0


def test_an_unknown_code_says_so(client):
    response = Client().get(reverse("workshops_public:join"), {"kod": "000000"})
    assert response.status_code == 404
    assert b'aria-invalid="true"' in response.content


def test_guessing_codes_is_slowed_down(settings):
    settings.PLATSA_ROOM_JOIN_RATE = "3/600"
    guesser = Client()
    codes = [
        guesser.get(reverse("workshops_public:join"), {"kod": f"{n:06d}"}).status_code
        for n in range(5)
    ]
    assert codes == [404, 404, 404, 429, 429]


def test_the_qr_code_scales_to_the_size_a_page_gives_it():
    """With a viewBox the code is drawn whole at the projector's 11.5 rem; without one (as
    segno writes it) a smaller box cropped its edge and a larger one left it small."""
    from defusedxml import ElementTree as ET  # noqa: N817

    from platsa.assessments.reports import qr_svg_inline

    root = ET.fromstring(qr_svg_inline("https://platsa.example/w/?kod=123456"))
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (width, height) == (float(root.get("width")), float(root.get("height")))
    assert width > 100

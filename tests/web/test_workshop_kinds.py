"""The workshop's other kinds of question, through the web as phones and the facilitator use
them: ranking, 100 points, a 2×2 matrix, a scale per framework theme, places, brainstorm
and Q&A with the room's upvotes; themed groups kept apart and shown side by side; and
self-paced sessions. A refused answer stores nothing and comes back with what was typed."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from platsa.catalogue.selectors import frameworks
from platsa.workshops.answers import WorkshopError
from platsa.workshops.models import Answer, Entry, EntryVote, Participant, Question, Workshop
from platsa.workshops.results import question_results
from platsa.workshops.services import question_add, workshop_create

pytestmark = pytest.mark.django_db

OPTIONS = ["Bredband", "Buss", "Bostäder"]


@pytest.fixture
def workshop(place, owner) -> Workshop:
    return workshop_create(place=place, user=owner, title="Träff")


def _urls(workshop):
    place, slug = workshop.process.place.slug, workshop.process.slug
    return {
        "detail": reverse("workshops:detail", args=[place, slug]),
        "show": reverse("workshops:show", args=[place, slug]),
        "settings": reverse("workshops:settings", args=[place, slug]),
        "side": reverse("workshops:side_by_side", args=[place, slug]),
        "export": reverse("workshops:export", args=[place, slug]),
        "session": reverse("workshops_public:session", args=[workshop.code]),
        "answer": reverse("workshops_public:answer", args=[workshop.code]),
        "entry": reverse("workshops_public:entry", args=[workshop.code]),
        "upvote": reverse("workshops_public:upvote", args=[workshop.code]),
        "group": reverse("workshops_public:group", args=[workshop.code]),
        "part": reverse("workshops_public:screen_part", args=[workshop.code]),
    }


def _live(client, owner, workshop, question):
    client.force_login(owner)
    client.post(_urls(workshop)["show"], {"question": question.pk})


def _refused(response) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    return page


def test_a_ranking_counts_borda_points_and_refuses_a_place_given_twice(client, owner, workshop):
    question = question_add(workshop=workshop, kind="ranking", prompt="Prioritera", options=OPTIONS)
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    twice = Client().post(
        urls["answer"], {"question": question.pk, "rank-0": "1", "rank-1": "1", "rank-2": "3"}
    )
    page = _refused(twice)
    assert 'value="3" selected' in page  # what was chosen is still chosen
    for bad in ["", "4", "0", "２", " +1"]:
        _refused(
            Client().post(
                urls["answer"],
                {"question": question.pk, "rank-0": bad, "rank-1": "2", "rank-2": "3"},
            )
        )
    assert Answer.objects.count() == 0
    assert Participant.objects.count() == 0  # a refused first answer makes nobody a participant
    for ranks in [("2", "1", "3"), ("1", "2", "3"), ("3", "1", "2")]:
        Client().post(
            urls["answer"],
            {"question": question.pk, **{f"rank-{i}": r for i, r in enumerate(ranks)}},
        )
    assert sorted(Answer.objects.values_list("data", flat=True)) == [
        [0, 1, 2],
        [1, 0, 2],
        [1, 2, 0],
    ]
    ranked = question_results(question)["ranked"]
    # Buss: 1st, 2nd, 1st -> 2 + 1 + 2 = 5 points; Bredband 1 + 2 + 0 = 3; Bostäder 0 + 0 + 1.
    assert [(label, points) for label, points, _mean in ranked] == [
        ("Buss", 5),
        ("Bredband", 3),
        ("Bostäder", 1),
    ]


def test_points_must_add_up_to_a_hundred_and_the_typed_points_stay(client, owner, workshop):
    question = question_add(workshop=workshop, kind="points", prompt="Fördela", options=OPTIONS)
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    page = _refused(
        Client().post(urls["answer"], {"question": question.pk, "points-0": "50", "points-1": "40"})
    )
    assert 'value="50"' in page
    assert 'value="40"' in page
    assert "90" in page  # how many were given
    for bad in ["-10", "1e2", "50.5", "１００", "999999999"]:
        _refused(Client().post(urls["answer"], {"question": question.pk, "points-0": bad}))
    assert Answer.objects.count() == 0
    Client().post(urls["answer"], {"question": question.pk, "points-0": "100"})
    Client().post(
        urls["answer"],
        {"question": question.pk, "points-0": "20", "points-1": "30", "points-2": "50"},
    )
    means = dict(question_results(question)["means"])
    assert means == {"Bredband": 60.0, "Buss": 15.0, "Bostäder": 25.0}


def test_a_2x2_matrix_places_every_option_at_the_means(client, owner, workshop):
    question = question_add(
        workshop=workshop,
        kind="matrix",
        prompt="Nytta och enkelhet",
        options=["Byahus", "<b>Samåkning</b>"],
        x_label="Nytta",
        y_label="Enkelt",
    )
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    _refused(
        Client().post(urls["answer"], {"question": question.pk, "x-0": "5", "y-0": "5", "x-1": "3"})
    )
    assert Answer.objects.count() == 0
    for xy in [("7", "1", "1", "7"), ("5", "3", "3", "5")]:
        Client().post(
            urls["answer"],
            {"question": question.pk, "x-0": xy[0], "y-0": xy[1], "x-1": xy[2], "y-1": xy[3]},
        )
    results = question_results(question)
    assert [point for _n, _label, point in results["placed"]] == [(6.0, 2.0), (2.0, 6.0)]
    assert "<b>Samåkning" not in results["svg"]  # escaped
    assert "&lt;b&gt;Samåkning" in results["svg"]
    assert "Nytta" in results["svg"]


def test_a_scale_per_theme_uses_the_frameworks_themes_and_skips_the_unknown(
    client, owner, workshop
):
    framework = frameworks()["place-attractiveness"]  # 1–7
    question = question_add(
        workshop=workshop, kind="themes", prompt="Hur är det här?", framework=framework.id
    )
    assert question.options == [t.id for t in framework.themes]
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    desk = client.get(urls["detail"]).content.decode()  # the organiser's list: titles, not ids
    assert framework.themes[0].title.get("sv") in desk
    assert " · ".join(question.options[:2]) not in desk
    page = Client().get(urls["session"]).content.decode()
    assert framework.themes[0].title.get("sv") in page
    _refused(Client().post(urls["answer"], {"question": question.pk}))  # nothing answered
    _refused(Client().post(urls["answer"], {"question": question.pk, "theme-0": "9"}))
    Client().post(urls["answer"], {"question": question.pk, "theme-0": "6", "theme-1": "2"})
    Client().post(urls["answer"], {"question": question.pk, "theme-0": "4"})
    rows = question_results(question)["themes"]
    assert rows[0][1:] == (5.0, 2)
    assert rows[1][1:] == (2.0, 1)
    assert rows[2][1:] == (None, 0)
    with pytest.raises(WorkshopError, match="framework"):
        question_add(workshop=workshop, kind="themes", prompt="X", framework="no-such-framework")
    five = question_add(  # the framework's own scale: 1–5
        workshop=workshop, kind="themes", prompt="Innovation", framework="innovation-capacity"
    )
    client.post(_urls(workshop)["show"], {"question": five.pk})
    _refused(Client().post(urls["answer"], {"question": five.pk, "theme-0": "6"}))
    assert Client().post(urls["answer"], {"question": five.pk, "theme-0": "5"}).status_code == 302


def test_places_understand_a_municipality_however_it_is_written(client, owner, workshop):
    question = question_add(workshop=workshop, kind="places", prompt="Var?")
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    page = Client().get(urls["session"]).content.decode()
    assert '<option value="Borlänge">' in page  # the phone's list of names
    unknown = _refused(
        Client().post(urls["answer"], {"question": question.pk, "answer": "Atlantis"})
    )
    assert "Atlantis" in unknown
    assert (
        "<script>"
        not in _refused(
            Client().post(urls["answer"], {"question": question.pk, "answer": "<script>x</script>"})
        ).split("<main")[1]
    )
    for written in ["åre kommun", "ÅRE", " Borlänge ", "borlänge"]:
        response = Client().post(urls["answer"], {"question": question.pk, "answer": written})
        assert response.status_code == 302, written
    named = question_results(question)["named"]
    assert named == [("Borlänge", 2), ("Åre", 2)]


def test_the_room_brainstorms_and_upvotes_one_vote_per_phone(client, owner, workshop):
    question = question_add(workshop=workshop, kind="ideas", prompt="Idéer")
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    anna, bo = Client(), Client()
    anna.post(urls["entry"], {"question": question.pk, "answer": "Ett byahus"})
    merged = bo.post(
        urls["entry"], {"question": question.pk, "answer": "  ett   BYAHUS! "}, follow=True
    )
    assert Entry.objects.count() == 1  # the same idea typed twice is one, with two +1
    assert "Någon hade redan skrivit det" in merged.content.decode()
    own = anna.post(urls["entry"], {"question": question.pk, "answer": "ett byahus"}, follow=True)
    assert "Du hade redan skrivit det" in own.content.decode()  # not "someone"
    entry = Entry.objects.get()
    assert EntryVote.objects.filter(entry=entry).count() == 2
    bo.post(urls["upvote"], {"entry": entry.pk, "up": "1"})  # a double tap changes nothing
    assert EntryVote.objects.filter(entry=entry).count() == 2
    bo.post(urls["upvote"], {"entry": entry.pk, "up": "0"})  # taken back
    assert EntryVote.objects.filter(entry=entry).count() == 1
    assert 'aria-pressed="true"' in anna.get(urls["session"]).content.decode()
    assert 'aria-pressed="false"' in bo.get(urls["session"]).content.decode()
    anna.post(urls["entry"], {"question": question.pk, "answer": "Samåkning"})
    for i in range(12):
        anna.post(urls["entry"], {"question": question.pk, "answer": f"Idé nummer {i}"})
    assert Entry.objects.filter(participant__entries__isnull=False).distinct().count() == 10
    top = question_results(question)["top"]
    assert top[0].text == "Ett byahus"
    assert top[0].n == 1
    screen = client.get(urls["part"]).content.decode()
    assert "Ett byahus" in screen


def test_a_taken_down_idea_leaves_the_board_and_the_screen_but_stays_in_the_export(
    client, owner, workshop
):
    question = question_add(workshop=workshop, kind="qa", prompt="Frågor till panelen")
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    phone = Client()
    for text in ["Kalle är dum", "När kommer bussen?", "Vem betalar?"]:
        phone.post(urls["entry"], {"question": question.pk, "answer": text}, follow=True)
    rude, bus, pay = Entry.objects.order_by("pk")
    place, slug = workshop.process.place.slug, workshop.process.slug
    moderate = lambda e, action: client.post(  # noqa: E731
        reverse("workshops:entry", args=[place, slug, e.pk]), {"action": action}
    )
    moderate(rude, "hide")
    moderate(bus, "done")
    assert "Kalle" not in phone.get(urls["session"]).content.decode()
    assert "Kalle" not in client.get(urls["part"]).content.decode()
    assert [e.text for e in question_results(question)["top"]] == ["Vem betalar?"]  # answered out
    assert Client().post(urls["upvote"], {"entry": rude.pk, "up": "1"}).status_code == 302
    assert not EntryVote.objects.filter(entry=rude).exclude(participant=rude.participant).exists()
    rows = list(
        load_workbook(io.BytesIO(b"".join(client.get(urls["export"]))))
        .worksheets[1]
        .iter_rows(values_only=True)
    )
    by_text = {row[4]: row for row in rows[1:]}
    assert by_text["Kalle är dum"][8]  # marked taken down
    assert by_text["När kommer bussen?"][7]  # marked answered
    assert pay.text in by_text


def test_themed_groups_keep_their_boards_apart_and_show_side_by_side(client, owner, workshop):
    question = question_add(workshop=workshop, kind="ideas", prompt="Idéer")
    urls = _urls(workshop)
    client.force_login(owner)
    client.post(urls["settings"], {"pace": "presenter", "groups": "Kunskap\nTeknik\n"})
    workshop.refresh_from_db()
    assert workshop.groups == ["Kunskap", "Teknik"]
    _live(client, owner, workshop, question)
    one, two = Client(), Client()
    assert "Kunskap" in one.get(urls["session"]).content.decode()  # asked for a group first
    one.post(urls["entry"], {"question": question.pk, "answer": "Före gruppen"})
    assert Entry.objects.count() == 0
    one.post(urls["group"], {"group": "1"})
    two.post(urls["group"], {"group": "2"})
    assert two.post(urls["group"], {"group": "3"}).status_code == 302
    assert sorted(Participant.objects.values_list("group", flat=True)) == [1, 2]
    one.post(urls["entry"], {"question": question.pk, "answer": "Mentorer"})
    two.post(urls["entry"], {"question": question.pk, "answer": "Mentorer"})
    two.post(urls["entry"], {"question": question.pk, "answer": "Fiber"})
    assert Entry.objects.count() == 3  # the same words in two groups are two ideas
    fiber = Entry.objects.get(text="Fiber")
    assert "Fiber" not in one.get(urls["session"]).content.decode()
    one.post(urls["upvote"], {"entry": fiber.pk, "up": "1"})  # not of its group: refused
    assert EntryVote.objects.filter(entry=fiber).count() == 1
    client.post(urls["side"], {"on": "1"})
    screen = client.get(urls["part"]).content.decode()
    assert screen.index("Kunskap") < screen.index("Teknik")
    assert 'class="side-by-side"' in screen
    refused = client.post(urls["settings"], {"pace": "presenter", "groups": "Kunskap\n"})
    assert refused.status_code == 400
    refused = client.post(urls["settings"], {"pace": "presenter", "groups": "A\nB\nC"})
    assert refused.status_code == 302
    workshop.refresh_from_db()
    assert workshop.groups == ["A", "B", "C"]  # renamed and one more: answers keep their group
    fewer = client.post(urls["settings"], {"pace": "presenter", "groups": "A\nB"})
    assert fewer.status_code == 302  # group 3 has nobody: it can go
    workshop.refresh_from_db()
    assert workshop.groups == ["A", "B"]


def test_a_self_paced_session_takes_each_question_in_the_phones_own_time(client, owner, workshop):
    first = question_add(workshop=workshop, kind="choice", prompt="Första", options=["Ja", "Nej"])
    second = question_add(workshop=workshop, kind="scale", prompt="Andra")
    third = question_add(workshop=workshop, kind="words", prompt="Tredje")
    urls = _urls(workshop)
    client.force_login(owner)
    client.post(urls["settings"], {"pace": "self", "groups": ""})
    _live(client, owner, workshop, first)
    client.post(urls["show"], {"question": "0"})  # the screen paused: phones go on anyway
    phone = Client()
    assert "Första" in phone.get(urls["session"]).content.decode()
    response = phone.post(urls["answer"], {"question": first.pk, "answer": "0"})
    assert response["Location"].endswith("?fraga=2#answer")
    assert "Andra" in phone.get(urls["session"]).content.decode()  # the first not answered
    phone.post(urls["answer"], {"question": third.pk, "answer": "Skolan"})
    assert "Andra" in phone.get(urls["session"] + "?fraga=2").content.decode()
    assert "Tredje" in phone.get(urls["session"] + "?fraga=3").content.decode()
    assert "Andra" in phone.get(urls["session"] + "?fraga=99").content.decode()  # no such: the next
    assert set(Answer.objects.values_list("question_id", flat=True)) == {first.pk, third.pk}
    client.post(urls["settings"], {"pace": "presenter", "groups": ""})
    client.post(urls["show"], {"question": third.pk})
    phone.post(urls["answer"], {"question": second.pk, "answer": "5"})  # not on the screen
    assert not Answer.objects.filter(question=second).exists()


def test_the_export_writes_every_kind_as_a_person_reads_it(client, owner, workshop):
    ranking = question_add(workshop=workshop, kind="ranking", prompt="Rangordna", options=OPTIONS)
    points = question_add(workshop=workshop, kind="points", prompt="Poäng", options=OPTIONS)
    urls = _urls(workshop)
    phone = Client()
    _live(client, owner, workshop, ranking)
    phone.post(
        urls["answer"], {"question": ranking.pk, "rank-0": "2", "rank-1": "1", "rank-2": "3"}
    )
    client.post(urls["show"], {"question": points.pk})
    phone.post(
        urls["answer"], {"question": points.pk, "points-0": "=1+1", "points-1": "100"}
    )  # a formula is not a number of points
    phone.post(urls["answer"], {"question": points.pk, "points-0": "", "points-1": "100"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(client.get(urls["export"])))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[1][5] == "1. Buss; 2. Bredband; 3. Bostäder"
    assert rows[2][5] == "Bredband 0; Buss 100; Bostäder 0"


def test_a_scale_per_theme_becomes_an_assessment_round_once_per_answer(client, owner, workshop):
    from platsa.assessments.models import Response
    from platsa.core.io.encoding import DONT_KNOW, decode_one

    framework = frameworks()["place-attractiveness"]
    question = question_add(
        workshop=workshop, kind="themes", prompt="Hur är byn?", framework=framework.id
    )
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    Client().post(urls["answer"], {"question": question.pk, "theme-0": "7", "theme-2": "1"})
    Client().post(urls["answer"], {"question": question.pk, "theme-1": "3"})
    place, slug = workshop.process.place.slug, workshop.process.slug
    make = reverse("workshops:to_round", args=[place, slug, question.pk])
    response = client.post(make)
    assert response.status_code == 302
    question.refresh_from_db()
    round_ = question.round
    assert round_ is not None
    assert round_.process.place == workshop.process.place
    assert round_.framework_id == framework.id
    rows = sorted(
        (
            decode_one(a, framework.scale.min)[:3]
            for a in Response.objects.filter(round=round_).values_list("answers", flat=True)
        ),
        key=str,
    )
    # Each phone's ratings in the survey's question order; a theme left is "don't know".
    assert rows == sorted([[7, DONT_KNOW, 1], [DONT_KNOW, 3, DONT_KNOW]], key=str)
    assert Response.objects.filter(round=round_, source="workshop").count() == 2
    client.post(make)  # again: nothing twice
    assert Response.objects.filter(round=round_).count() == 2
    Client().post(urls["answer"], {"question": question.pk, "theme-3": "5"})
    client.post(make)  # a later answer is added to the same round
    assert Response.objects.filter(round=round_).count() == 3
    round_.refresh_from_db()
    assert round_.from_workshop
    assert round_.process.phase == "closed"  # no survey to open: the room's ratings, frozen
    page = client.get(reverse("assessments:dashboard", args=[place, round_.process.slug]))
    assert "inte en enkät" in page.content.decode()  # said to be a meeting's room
    from platsa.assessments.analysis import previous_round
    from platsa.assessments.services import default_groups, round_create

    survey = round_create(
        place=workshop.process.place,
        user=owner,
        name="Enkät",
        framework=framework,
        groups=default_groups(framework),
    )
    Response.objects.create(round=survey, answers="4" * len(framework.question_ids))
    assert previous_round(survey) is None  # a survey is never compared with a room


def test_a_phones_script_sends_the_answer_in_place_and_hears_back_in_json(client, owner, workshop):
    question = question_add(workshop=workshop, kind="points", prompt="Fördela", options=OPTIONS)
    _live(client, owner, workshop, question)
    urls = _urls(workshop)
    phone = Client()
    phone.get(urls["session"])
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    bad = phone.post(urls["answer"], {"question": question.pk, "points-0": "90"}, **fetch)
    assert bad.status_code == 400
    assert bad.json()["ok"] is False
    assert "90" in bad.json()["message"]
    assert Answer.objects.count() == 0
    good = phone.post(urls["answer"], {"question": question.pk, "points-0": "100"}, **fetch)
    assert good.status_code == 200
    assert good.json()["ok"] is True
    assert Answer.objects.get().data == [100, 0, 0]
    other = question_add(workshop=workshop, kind="scale", prompt="Andra")
    client.post(urls["show"], {"question": other.pk})
    late = phone.post(urls["answer"], {"question": question.pk, "points-0": "100"}, **fetch)
    assert late.status_code == 409  # the room has moved on: said, not stored
    assert late.json() == {"ok": False, "message": ""}  # nothing typed: the page says why
    assert "Rummet har gått vidare" in phone.get(urls["session"]).content.decode()
    # A text written while the room moved on is said back, in JSON and without a script.
    words = question_add(workshop=workshop, kind="words", prompt="Ord")
    typed = {"question": words.pk, "answer": "Ett långt  svar\nom <b>byn</b>"}
    late = phone.post(urls["answer"], typed, **fetch)
    assert late.status_code == 409
    assert late.json()["message"].endswith("Du skrev: ”Ett långt svar om <b>byn</b>”")
    page = phone.post(urls["answer"], typed, follow=True).content.decode()
    assert "Du skrev: ”Ett långt svar om &lt;b&gt;byn&lt;/b&gt;”" in page
    assert Answer.objects.count() == 1


def test_the_facilitator_fixes_moves_and_deletes_questions(client, owner, workshop, viewer):
    """A typo seen on the projector is fixed in place; the options change only before
    anyone answered (an answer is an option's number); a question with answers is deleted
    only with them, when asked; the order changes with Up and Down."""
    first = question_add(workshop=workshop, kind="choice", prompt="Var bor du?", options=OPTIONS)
    second = question_add(workshop=workshop, kind="scale", prompt="Hur tryg är du?")
    third = question_add(workshop=workshop, kind="words", prompt="Vad saknas?")
    _live(client, owner, workshop, first)
    urls = _urls(workshop)
    place, slug = workshop.process.place.slug, workshop.process.slug

    def url(name, question):
        return reverse(f"workshops:{name}", args=[place, slug, question.pk])

    page = client.get(reverse("workshops:detail", args=[place, slug])).content.decode()
    assert url("question_edit", second) in page
    client.post(url("question_edit", second), {"prompt": "Hur trygg är du?", "low_label": "inte"})
    second.refresh_from_db()
    assert (second.prompt, second.low_label) == ("Hur trygg är du?", "inte")
    Client().post(urls["answer"], {"question": first.pk, "answer": "0"})
    moved = client.post(
        url("question_edit", first),
        {"prompt": "Var bor ni?", "options": "Ny\nLista"},
        follow=True,
    ).content.decode()
    first.refresh_from_db()
    assert first.options == OPTIONS  # answered: the answer still means what it meant
    assert first.prompt == "Var bor du?"
    assert "Telefoner har svarat redan" in moved
    refused = client.post(url("question_delete", first), follow=True).content.decode()
    assert Question.objects.filter(pk=first.pk).exists()
    assert "Kryssa i" in refused
    client.post(url("question_move", third), {"direction": "up"})
    assert list(workshop.questions.values_list("prompt", flat=True)) == [
        "Var bor du?",
        "Vad saknas?",
        "Hur trygg är du?",
    ]
    client.post(url("question_delete", first), {"with_answers": "1"})
    assert not Answer.objects.exists()
    assert list(workshop.questions.values_list("position", flat=True)) == [1, 2]
    workshop.refresh_from_db()
    assert workshop.current_id is None  # it was on the screen: a pause screen now
    client.force_login(viewer)  # a viewer sees the session but changes nothing
    assert client.post(url("question_delete", third)).status_code in (403, 404)
    assert Question.objects.filter(pk=third.pk).exists()


def test_groups_side_by_side_compare_a_themes_question_in_one_drawing(client, owner, workshop):
    """Each theme's label once, a column per group with that group's own means: readable
    on a projector (three charts side by side had their text at a third of the size), and
    as a table for a screen reader and on a phone."""
    framework = frameworks()["place-attractiveness"]
    question = question_add(
        workshop=workshop, kind="themes", prompt="Hur är byn?", framework=framework.id
    )
    words = question_add(workshop=workshop, kind="words", prompt="Ett ord?")
    urls = _urls(workshop)
    client.force_login(owner)
    client.post(urls["settings"], {"pace": "presenter", "groups": "Kunskap <i>\nTeknik\n"})
    _live(client, owner, workshop, question)
    phones = [Client() for _ in range(3)]
    for phone, group, rating in zip(phones, ["1", "2", "2"], ["6", "2", "3"], strict=True):
        phone.post(urls["group"], {"group": group})
        phone.post(urls["answer"], {"question": question.pk, "theme-0": rating})
    client.post(urls["side"], {"on": "1"})
    first = framework.themes[0].title.get("sv")
    for page in (client.get(urls["part"]), client.get(urls["detail"])):
        html = page.content.decode()
        assert html.count('class="chart group-bars"') == 1
        assert 'class="side-by-side"' not in html
        table = html[html.index('class="groups-table visually-hidden"') :]  # for screen readers
        assert "Kunskap &lt;i&gt; (1)" in table
        assert "Teknik (2)" in table
        row = table[table.index(f'<th scope="row">{first}</th>') :].split("</tr>")[0]
        assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["6,0 (1)", "2,5 (2)"]
    # On a phone the facilitator's page has each group's own chart instead (CSS chooses).
    assert 'class="side-by-side groups-phone"' in html
    assert 'groups-phone"' not in client.get(urls["part"]).content.decode()
    client.post(urls["show"], {"question": words.pk})  # open words: a column per group
    html = client.get(urls["part"]).content.decode()
    assert 'class="side-by-side"' in html
    assert "group-bars" not in html


def test_a_question_without_answers_shows_its_options_on_the_screen(client, owner, workshop):
    """Before the first answer the room sees what it can choose between, as bars at nought
    (a 2×2 matrix: its numbered options beside an empty square), not only "no answers yet"."""
    choice = question_add(workshop=workshop, kind="choice", prompt="Var bor du?", options=OPTIONS)
    matrix = question_add(
        workshop=workshop, kind="matrix", prompt="Nytta?", options=["Byahus", "Bybutik"]
    )
    words = question_add(workshop=workshop, kind="words", prompt="Ett ord?")
    urls = _urls(workshop)
    _live(client, owner, workshop, choice)
    screen = client.get(urls["part"]).content.decode()
    assert "count-bars" in screen
    assert all(option in screen for option in OPTIONS)
    assert "0 (0 %)" in screen
    client.post(urls["show"], {"question": matrix.pk})
    screen = client.get(urls["part"]).content.decode()
    assert "matrix-2x2" in screen
    assert "Byahus" in screen.split('class="matrix-list"')[1]
    client.post(urls["show"], {"question": words.pk})
    assert "Inga svar än." in client.get(urls["part"]).content.decode()

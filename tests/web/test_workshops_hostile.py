"""What a hostile probe of live workshops found, each kept from coming back."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from platsa.workshops.models import Answer, Participant, Question, Workshop
from platsa.workshops.results import question_results
from platsa.workshops.services import question_add, workshop_create
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


# --- after a hostile probe of the other kinds (ideas, groups, places) ------------------------


def _ideas_session(place, owner, client, groups=()):
    from platsa.workshops.services import workshop_configure

    session = workshop_create(place=place, user=owner, title="Idéstorm")
    if groups:
        workshop_configure(workshop=session, pace="presenter", groups=list(groups))
    question = question_add(workshop=session, kind="ideas", prompt="Idéer")
    client.force_login(owner)
    client.post(
        reverse("workshops:show", args=[place.slug, session.process.slug]),
        {"question": question.pk},
    )
    return session, question


@override_settings(PLATSA_ROOM_NEW_RATE="50/600", PLATSA_ROOM_NEW_VOTER_RATE="5/600")
def test_a_browser_that_drops_its_cookie_cannot_add_plus_ones_without_end(client, place, owner):
    from platsa.workshops.models import Entry, EntryVote

    session, question = _ideas_session(place, owner, client)
    Client().post(
        reverse("workshops_public:entry", args=[session.code]),
        {"question": question.pk, "answer": "Cykelväg"},
    )
    entry = Entry.objects.get()
    for _attempt in range(10):  # each a new browser: a new phone, up to the address's allowance
        Client().post(
            reverse("workshops_public:upvote", args=[session.code]), {"entry": entry.pk, "up": "1"}
        )
    # the writer's own +1, then five new phones whose first act is a +1
    assert EntryVote.objects.filter(entry=entry).count() == 6
    assert Participant.objects.count() == 6
    refused = Client().post(
        reverse("workshops_public:upvote", args=[session.code]),
        {"entry": entry.pk + 99, "up": "1"},
    )
    assert refused.status_code == 302
    assert Participant.objects.count() == 6  # a refused +1 makes nobody a participant


@override_settings(PLATSA_ROOM_NEW_RATE="3/600")
def test_choosing_a_group_is_limited_like_any_new_phone(client, place, owner):
    session, _question = _ideas_session(place, owner, client, groups=("Skola", "Vård"))
    for _attempt in range(8):
        Client().post(reverse("workshops_public:group", args=[session.code]), {"group": "1"})
    assert Participant.objects.count() == 3


def test_an_idea_like_one_taken_down_is_refused_not_hidden(client, place, owner):
    from platsa.workshops.models import Entry

    session, question = _ideas_session(place, owner, client)
    url = reverse("workshops_public:entry", args=[session.code])
    Client().post(url, {"question": question.pk, "answer": "Cykelväg till skolan"})
    entry = Entry.objects.get()
    client.post(
        reverse("workshops:entry", args=[place.slug, session.process.slug, entry.pk]),
        {"action": "hide"},
    )
    again = Client().post(url, {"question": question.pk, "answer": "cykelväg till skolan!"})
    assert again.status_code == 400
    assert "cykelväg till skolan!" in again.content.decode()  # the words stay for rewriting
    assert entry.votes.count() == 1
    client.post(
        reverse("workshops:entry", args=[place.slug, session.process.slug, entry.pk]),
        {"action": "show"},
    )
    entry.refresh_from_db()
    assert not entry.hidden  # put back


def test_groups_in_use_are_not_dropped_and_groups_can_be_switched_off(client, place, owner):
    from platsa.workshops.results import by_group

    session, question = _ideas_session(place, owner, client)
    entry_url = reverse("workshops_public:entry", args=[session.code])
    Client().post(entry_url, {"question": question.pk, "answer": "Före grupperna"})
    settings_url = reverse("workshops:settings", args=[place.slug, session.process.slug])
    client.post(settings_url, {"pace": "presenter", "groups": "Skola\nVård\nJobb"})
    phone = Client()
    phone.post(reverse("workshops_public:group", args=[session.code]), {"group": "3"})
    phone.post(entry_url, {"question": question.pk, "answer": "I grupp tre"})
    phone.post(reverse("workshops_public:group", args=[session.code]), {"group": "1"})
    # The phone is in group 1 now, but its idea is still in group 3: the list keeps 3.
    assert (
        client.post(settings_url, {"pace": "presenter", "groups": "Skola\nVård"}).status_code == 400
    )
    session.refresh_from_db()
    assert len(session.groups) == 3
    columns = by_group(question, session.groups)
    assert [c["name"] for c in columns][1:] == ["Skola", "Vård", "Jobb"]
    assert columns[0]["n"] == 1  # what was written before the groups, in its own column
    assert client.post(settings_url, {"pace": "presenter", "groups": ""}).status_code == 302
    session.refresh_from_db()
    assert session.groups == []  # switched off; every idea keeps its group for later
    assert sorted(question.entries.values_list("group", flat=True)) == [0, 3]
    page = phone.get(reverse("workshops_public:session", args=[session.code])).content.decode()
    assert "Idéer" in page  # no group to choose any more


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("Falu kommun", "Falun"),
        ("Säters kommun", "Säter"),
        ("Stockholms stad", "Stockholm"),
        ("Region Gotland", "Gotland"),
        ("Malung Sälen", "Malung-Sälen"),
        ("upplands-väsby", "Upplands Väsby"),
        ("Helsingfors", "Helsinki / Helsingfors"),
        ("Oslo kommune", "Oslo"),
    ],
)
def test_a_municipality_is_found_in_its_official_forms(reference, written, found):
    from platsa.workshops.answers import area_named

    area = area_named(written)
    assert area is not None
    assert area.name == found


def test_removing_a_middle_group_in_use_is_refused_not_shifted(client, place, owner):
    session, _question = _ideas_session(place, owner, client, groups=("Norr", "Söder", "Väst"))
    phone = Client()
    phone.post(reverse("workshops_public:group", args=[session.code]), {"group": "2"})
    settings_url = reverse("workshops:settings", args=[place.slug, session.process.slug])
    refused = client.post(settings_url, {"pace": "presenter", "groups": "Norr\nVäst"})
    assert refused.status_code == 400  # Söder's people would have become Väst's
    session.refresh_from_db()
    assert session.groups == ["Norr", "Söder", "Väst"]
    renamed = client.post(settings_url, {"pace": "presenter", "groups": "Norr\nSyd\nVäst"})
    assert renamed.status_code == 302  # renaming on its line keeps its people
    session.refresh_from_db()
    assert session.groups == ["Norr", "Syd", "Väst"]

"""What a hostile probe of conversations found, each kept from coming back: a room behind
one address, resends at once, text lost on errors, a group of one, invisible characters,
opposites taken for duplicates, a vote that left a participant behind, a browser that voted
twice, drafts before opening, and the moderation log's cells."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from platsa.conversations.models import Analysis, Conversation, Participant, Statement, Vote
from platsa.conversations.services import conversation_create, statements_seed
from platsa.processes.services import process_set_phase
from tests.web.test_conversations import SEEDS, _current_statement, _urls, conversation  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_room_behind_one_address_is_limited_per_phone_not_together(
    conversation,  # noqa: F811
    settings,
):
    settings.PLATSA_OPINION_WRITE_RATE = "2/600"
    urls = _urls(conversation)
    phone = Client()
    for i in range(2):
        phone.post(
            urls["write"], {"text": f"Ett eget påstående nummer {i} om byn", "confirmed": "True"}
        )
    refused = phone.post(
        urls["write"], {"text": "Ett tredje påstående om byn", "confirmed": "True"}
    )
    assert refused.status_code == 400
    assert "Ett tredje påstående om byn</textarea>" in refused.content.decode()  # kept
    other = Client()  # another phone on the same Wi-Fi
    assert (
        other.post(
            urls["write"], {"text": "Från en annan telefon", "confirmed": "True"}
        ).status_code
        == 302
    )
    assert Statement.objects.filter(is_seed=False).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_statement_sent_ten_times_at_once_is_one(place, owner):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    conversation = conversation_create(place=place, user=owner, question="Samtidigt?")  # noqa: F811
    statements_seed(conversation=conversation, user=owner, texts=SEEDS[:1])
    process_set_phase(process=conversation.process, phase="open", actor=owner)
    url = _urls(conversation)["write"]

    def send(_i: int) -> int:
        phone = Client()
        phone.cookies["platsa_voter"] = "s" * 43
        try:
            return phone.post(
                url, {"text": "Samma sak tio gånger", "confirmed": "True"}
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(send, range(10)))
    assert set(codes) == {302}
    assert Statement.objects.filter(conversation=conversation, is_seed=False).count() == 1


def test_line_breaks_and_invisible_characters_are_not_counted_or_kept(conversation):  # noqa: F811
    conversation.strict = False
    conversation.save()
    urls = _urls(conversation)
    lines = "\r\n".join(["ab cd"] * 46)  # 46 * 5 + 45 line breaks: 275 as a browser counts
    assert Client().post(urls["write"], {"text": lines, "confirmed": "True"}).status_code == 302
    invisible = Client().post(urls["write"], {"text": "\u2063" * 5, "confirmed": "True"})
    assert invisible.status_code == 400
    Client().post(urls["write"], {"text": "Bra \u202ehär\u200b i byn", "confirmed": "True"})
    texts = set(Statement.objects.filter(is_seed=False).values_list("text", flat=True))
    assert texts == {" ".join(["ab cd"] * 46), "Bra här i byn"}


def test_an_error_keeps_the_typed_text_and_says_why_beside_it(conversation, client, owner):  # noqa: F811
    urls = _urls(conversation)
    page = Client().post(urls["write"], {"text": SEEDS[1].upper(), "confirmed": "True"})
    assert page.status_code == 400  # shown already (any case): vote on it instead
    text = page.content.decode()
    assert 'aria-invalid="true"' in text
    assert SEEDS[1].upper() in text
    client.force_login(owner)
    lines = "\n".join([*SEEDS[:3], "", "", "x" * 281])
    page = client.post(urls["seed"], {"statements": lines})
    assert page.status_code == 400
    assert SEEDS[2] in page.content.decode().split('id="id_statements"')[1]
    assert "Rad 6 är längre än 280 tecken." in page.content.decode()  # as in the box


def test_a_text_someone_else_sent_is_not_revealed(conversation):  # noqa: F811
    urls = _urls(conversation)
    Client().post(urls["write"], {"text": "Kalle på hörnet är dum", "confirmed": "True"})
    other = Client().post(urls["write"], {"text": "Kalle på hörnet är dum", "confirmed": "True"})
    assert other.status_code == 302  # received, as any other statement: nothing told
    assert Statement.objects.filter(text_key="kalle på hörnet är dum").count() == 2


def test_opposites_are_not_offered_as_the_same(conversation):  # noqa: F811
    statements_seed(conversation=conversation, user=None, texts=["Torget ska bli en park"])
    page = Client().post(_urls(conversation)["write"], {"text": "Torget ska inte bli en park"})
    assert page.status_code == 302  # sent, not "is it already there?"


def test_a_broken_vote_makes_nobody_a_participant_and_a_get_leads_back(conversation):  # noqa: F811
    urls = _urls(conversation)
    phone = Client()
    for _ in range(3):
        phone.post(urls["vote"], {"statement": 999999, "vote": 1})
    assert Participant.objects.count() == 0
    response = phone.get(urls["vote"])
    assert response.status_code == 302
    assert response["Location"].startswith(urls["take_part"])


def test_signing_in_after_voting_keeps_one_participant(conversation, viewer):  # noqa: F811
    urls = _urls(conversation)
    phone = Client()
    phone.post(urls["vote"], {"statement": _current_statement(phone, conversation), "vote": 1})
    phone.force_login(viewer)
    page = phone.get(urls["take_part"]).content.decode()
    assert "1 av 10" in page or "1 of 10" in page
    assert Participant.objects.get().user == viewer


def test_results_wait_until_the_conversation_opens(place, owner, viewer, client):
    conversation = conversation_create(place=place, user=owner, question="Utkast")  # noqa: F811
    statements_seed(conversation=conversation, user=owner, texts=["Ett utkast till påstående"])
    assert Client().get(_urls(conversation)["results"]).status_code == 403
    client.force_login(viewer)
    assert client.get(_urls(conversation)["results"]).status_code == 200


def test_the_author_is_not_asked_about_their_own_statement(conversation):  # noqa: F811
    conversation.strict = False
    conversation.save()
    urls = _urls(conversation)
    phone = Client()
    phone.post(urls["write"], {"text": "Badplatsen behöver en brygga", "confirmed": "True"})
    own = Statement.objects.get(is_seed=False)
    assert Vote.objects.get(statement=own).value == 1  # their own agree, as in Pol.is
    seen = set()
    while (statement_id := _current_statement(phone, conversation)) is not None:
        seen.add(statement_id)
        phone.post(urls["vote"], {"statement": statement_id, "vote": 0})
    assert own.pk not in seen


def test_an_error_message_follows_the_language(conversation):  # noqa: F811
    phone = Client()
    phone.cookies["platsa_lang"] = "en"
    statement_id = _current_statement(phone, conversation)
    page = phone.post(
        _urls(conversation)["vote"], {"statement": statement_id, "vote": "5"}, follow=True
    )
    assert "That vote was not understood" in page.content.decode()


def test_a_small_group_is_shown_without_its_votes_and_unites_needs_every_group(conversation):  # noqa: F811
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    a, b = str(statements[0].pk), str(statements[1].pk)
    Analysis.objects.create(
        conversation=conversation,
        votes=100,
        result={
            "participants": 60,
            "in_clustering": 60,
            "votes": 100,
            "reason": None,
            "groups": [
                {
                    "id": 0,
                    "size": 57,
                    "centre": [0, 0],
                    "representative": [{"statement": a, "direction": "agree"}],
                },
                {
                    "id": 1,
                    "size": 3,
                    "centre": [1, 1],
                    "representative": [{"statement": b, "direction": "disagree"}],
                },
            ],
            "consensus": [{"statement": b, "direction": "agree"}],
            "stats": {
                a: {"a": 50, "d": 5, "p": 2, "groups": {"0": [50, 5, 2], "1": [0, 3, 0]}},
                b: {"a": 55, "d": 3, "p": 0, "groups": {"0": [55, 0, 0], "1": [0, 3, 0]}},
            },
            "map": [[0, 0, 57, 0], [1, 1, 3, 1]],
            "members": {},
        },
    )
    page = Client().get(_urls(conversation)["results"]).content.decode()
    small = page.split('id="group-B"')[1].split("</section>")[0]
    assert "100 %" not in small  # a group of three: what they voted is not shown
    assert 'class="opinion-list"' not in small
    # one visible group: nothing "unites the groups"
    unites = page.split("Det som förenar grupperna")[1].split("<h3>")[0]
    assert statements[1].text not in unites


def test_the_moderation_log_neutralises_every_cell(conversation, client, owner, django_user_model):  # noqa: F811
    from platsa.places.models import Membership

    odd = django_user_model.objects.create_user(email="=1+2@example.org", password="x" * 12)
    Membership.objects.create(place=conversation.process.place, user=odd, role="organiser")
    Client().post(
        _urls(conversation)["write"], {"text": '=HYPERLINK("http://x")', "confirmed": "True"}
    )
    client.force_login(odd)
    statement = Statement.objects.get(is_seed=False)
    client.post(
        reverse(
            "conversations:moderate",
            args=[conversation.process.place.slug, conversation.process.slug, statement.pk],
        ),
        {"decision": "reject", "reason": "@SUM(1)"},
    )
    rows = list(
        csv.reader(io.StringIO(client.get(_urls(conversation)["log"]).content.decode("utf-8-sig")))
    )
    cells = [c for r in rows[1:] for c in r]
    assert "'=1+2@example.org" in cells
    assert "'@SUM(1)" in cells
    assert not any(c[:1] in "=+@" for c in cells if c)


def test_renaming_the_question_renames_the_process(conversation, client, owner):  # noqa: F811
    client.force_login(owner)
    place, slug = conversation.process.place.slug, conversation.process.slug
    client.post(
        reverse("conversations:settings", args=[place, slug]),
        {"question": "En ny fråga om byn", "strict": "on", "participants_add": "on"},
    )
    conversation = Conversation.objects.get()
    assert conversation.process.title == "En ny fråga om byn"


def test_the_statement_fields_help_follows_the_language(conversation):  # noqa: F811
    """The help text names its limit, 280: filled in when shown, so an English page has it in
    English and a Swedish page in Swedish (it was filled in once, at import)."""
    english = Client()
    english.cookies["platsa_lang"] = "en"
    page = english.get(_urls(conversation)["take_part"]).content.decode()
    assert "One thought others can agree or disagree with, at most 280 characters" in page
    page = Client().get(_urls(conversation)["take_part"]).content.decode()
    assert "högst 280 tecken" in page
    assert "One thought others" not in page

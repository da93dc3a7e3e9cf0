"""Conversations (opinion mapping) through the web: an organiser starts one and seeds
statements, participants without an account vote one statement at a time and add their
own (held for review under strict moderation, near duplicates offered first), the worker
analyses the votes, and every persona sees only what is theirs to see."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from platsa.conversations.analysis import analysis_run
from platsa.conversations.models import (
    Analysis,
    Conversation,
    ModerationEvent,
    Participant,
    Statement,
    Vote,
)
from platsa.conversations.services import (
    conversation_create,
    participant_for,
    statements_seed,
    vote_cast,
)
from platsa.processes.services import process_set_phase
from tests.conftest import run_jobs

pytestmark = pytest.mark.django_db

SEEDS = [
    "Det behövs fler bussar mellan byarna och centralorten",
    "Skolan i byn ska finnas kvar",
    "Kommunen borde satsa på bredband till alla hushåll",
    "Fler hyresrätter behövs för unga som vill flytta hem",
    "Vindkraft i kommunen är bra för bygden",
    "Gruvan ska öppnas igen",
    "Föreningslivet behöver fler lokaler",
    "Turismen är bygdens framtid",
    "Vårdcentralen ska ha öppet på helgerna",
    "Det är lätt att starta företag här",
]


@pytest.fixture
def conversation(place, owner) -> Conversation:
    conversation = conversation_create(
        place=place, user=owner, question="Hur gör vi Ragunda till en plats att stanna i?"
    )
    statements_seed(conversation=conversation, user=owner, texts=SEEDS)
    process_set_phase(process=conversation.process, phase="open", actor=owner)
    return conversation


def _urls(conversation):
    place, slug = conversation.process.place.slug, conversation.process.slug
    public = conversation.public_id
    return {
        "detail": reverse("conversations:detail", args=[place, slug]),
        "seed": reverse("conversations:seed", args=[place, slug]),
        "phase": reverse("conversations:phase", args=[place, slug]),
        "log": reverse("conversations:moderation_log", args=[place, slug]),
        "export": reverse("conversations:polis_export", args=[place, slug]),
        "take_part": reverse("conversations_public:take_part", args=[public]),
        "vote": reverse("conversations_public:vote", args=[public]),
        "write": reverse("conversations_public:write", args=[public]),
        "results": reverse("conversations_public:results", args=[public]),
    }


def _current_statement(client, conversation) -> int | None:
    page = client.get(_urls(conversation)["take_part"]).content.decode()
    marker = 'name="statement" value="'
    if marker not in page:
        return None
    return int(page.split(marker)[1].split('"')[0])


def test_an_organiser_starts_a_conversation_from_the_place(client, place, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("conversations:create", args=[place.slug]),
        {"question": "Vad ska Ragunda satsa på?", "participants_add": "on", "strict": "on"},
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.process.kind == "conversation"
    assert conversation.process.phase == "preparing"
    assert conversation.strict
    assert conversation.participants_add
    urls = _urls(conversation)
    response = client.post(urls["seed"], {"statements": "\n".join(SEEDS[:3]) + "\n\n" + SEEDS[0]})
    assert Statement.objects.filter(is_seed=True, status="shown").count() == 3  # no repeat
    # not open yet: a participant is told so and cannot vote
    anonymous = Client()
    assert b'name="statement"' not in anonymous.get(urls["take_part"]).content
    first = Statement.objects.first()
    assert anonymous.post(urls["vote"], {"statement": first.pk, "vote": 1}).status_code == 409
    client.post(urls["phase"], {"phase": "open"})
    conversation.process.refresh_from_db()
    assert conversation.process.phase == "open"
    assert reverse("conversations:detail", args=[place.slug, conversation.process.slug]) in (
        client.get(reverse("places:detail", args=[place.slug])).content.decode()
    )


def test_a_participant_votes_one_statement_at_a_time_without_an_account(conversation):
    urls = _urls(conversation)
    phone = Client()
    seen = []
    for value in (1, -1, 0):
        statement_id = _current_statement(phone, conversation)
        assert statement_id is not None
        assert statement_id not in seen
        seen.append(statement_id)
        response = phone.post(urls["vote"], {"statement": statement_id, "vote": value})
        assert response.status_code == 302
    assert "platsa_voter" in phone.cookies
    assert Participant.objects.count() == 1
    votes = dict(Vote.objects.values_list("statement_id", "value"))
    assert votes == dict(zip(seen, (1, -1, 0), strict=True))
    page = phone.get(urls["take_part"]).content.decode()
    assert "3" in page.split('class="progress-note"')[1][:200]  # "3 of 10"


def test_voting_again_changes_the_vote_and_never_adds_one(conversation):
    urls = _urls(conversation)
    phone = Client()
    statement_id = _current_statement(phone, conversation)
    for value in (1, 1, -1):
        phone.post(urls["vote"], {"statement": statement_id, "vote": value})
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]


@pytest.mark.parametrize(
    "data",
    [
        {"statement": "x", "vote": "1"},
        {"statement": "1", "vote": "7"},
        {"statement": "999999", "vote": "1"},
        {},
    ],
)
def test_a_broken_vote_is_refused_with_a_message_and_stores_nothing(conversation, data):
    phone = Client()
    response = phone.post(_urls(conversation)["vote"], data, follow=True)
    assert response.status_code == 200
    assert b'class="messages"' in response.content
    assert Vote.objects.count() == 0


def test_a_statement_not_shown_cannot_be_voted_on(conversation, owner):
    participant = participant_for(conversation, user=None, token="t" * 43)
    hidden = Statement.objects.create(
        conversation=conversation, text="Väntar på granskning", status="pending"
    )
    phone = Client()
    phone.post(_urls(conversation)["vote"], {"statement": hidden.pk, "vote": 1})
    assert not Vote.objects.filter(statement=hidden).exists()
    assert participant is not None


def test_strict_moderation_holds_a_new_statement_and_the_author_sees_where_it_went(
    client, conversation, owner
):
    urls = _urls(conversation)
    phone = Client()
    response = phone.post(urls["write"], {"text": "Badplatsen vid sjön behöver en ny brygga"})
    assert response.status_code == 302
    statement = Statement.objects.get(is_seed=False)
    assert statement.status == "pending"
    page = phone.get(urls["take_part"]).content.decode()
    assert "Badplatsen vid sjön behöver en ny brygga" in page  # under "your statements"
    assert 'data-color="warning"' in page  # waiting for review
    # not offered to vote on while it waits
    other = Client()
    for _ in range(len(SEEDS)):
        statement_id = _current_statement(other, conversation)
        assert statement_id != statement.pk
        other.post(urls["vote"], {"statement": statement_id, "vote": 1})
    assert _current_statement(other, conversation) is None

    client.force_login(owner)
    assert statement.text in client.get(urls["detail"]).content.decode()
    client.post(
        reverse(
            "conversations:moderate",
            args=[conversation.process.place.slug, conversation.process.slug, statement.pk],
        ),
        {"decision": "reject", "reason": "Handlar om en enskild fastighet"},
    )
    statement.refresh_from_db()
    assert statement.status == "rejected"
    page = phone.get(urls["take_part"]).content.decode()
    assert "Handlar om en enskild fastighet" in page  # the author sees why
    log = client.get(urls["log"]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(log)))
    actions = [r[4] for r in rows[1:] if r[1] == str(statement.pk)]
    assert actions == ["Skickat", "Visas inte"]  # in the reader's language
    assert rows[0][:3] == ["tid", "påstående nr", "påstående"]
    assert rows[1][0].endswith(("+01:00", "+02:00"))  # Swedish time, with its offset


def test_a_near_duplicate_is_offered_before_it_is_sent(conversation):
    urls = _urls(conversation)
    phone = Client()
    response = phone.post(
        urls["write"], {"text": "Vi behöver fler bussar mellan byn och centralorten"}
    )
    assert response.status_code == 200  # the page of similar statements, nothing stored yet
    page = response.content.decode()
    assert SEEDS[0] in page
    assert not Statement.objects.filter(is_seed=False).exists()
    similar_to = page.split('name="similar_to" value="')[1].split('"')[0]
    response = phone.post(
        urls["write"],
        {
            "text": "Vi behöver fler bussar mellan byn och centralorten",
            "confirmed": "True",
            "similar_to": similar_to,
        },
    )
    assert response.status_code == 302
    sent = Statement.objects.get(is_seed=False)
    assert sent.similar_to.text == SEEDS[0]
    assert ModerationEvent.objects.filter(statement=sent, action="flagged").exists()


def test_without_strict_moderation_a_statement_is_shown_at_once(conversation):
    conversation.strict = False
    conversation.save()
    Client().post(_urls(conversation)["write"], {"text": "Badplatsen vid sjön behöver en brygga"})
    assert Statement.objects.get(is_seed=False).status == "shown"


def test_hostile_text_is_shown_as_text(client, conversation, owner):
    conversation.strict = False
    conversation.save()
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    Client().post(_urls(conversation)["write"], {"text": payload, "confirmed": "True"})
    client.force_login(owner)
    page = client.get(_urls(conversation)["detail"]).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_personas_see_only_what_is_theirs(client, conversation, viewer, outsider):
    urls = _urls(conversation)
    assert Client().get(urls["detail"]).status_code == 302  # to sign in
    client.force_login(outsider)
    for name in ("detail", "log", "export"):
        assert client.get(urls[name]).status_code == 404, name
    assert client.post(urls["phase"], {"phase": "closed"}).status_code == 404
    client.force_login(viewer)
    assert client.get(urls["detail"]).status_code == 200
    assert client.get(urls["log"]).status_code == 403
    assert client.post(urls["seed"], {"statements": "Ny"}).status_code == 403
    assert Client().get(urls["take_part"]).status_code == 200  # participants need no account


def _planted_votes(conversation, n_per_group=30, seed=3):
    """Two camps that disagree on the first five statements and agree on the rest."""
    rng = np.random.default_rng(seed)
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    camps: dict[int, set[str]] = {1: set(), -1: set()}
    for camp in (1, -1):
        for i in range(n_per_group):
            participant = participant_for(
                conversation, user=None, token=f"{camp}-{i}".ljust(43, "x")
            )
            camps[camp].add(str(participant.pk))
            for j, statement in enumerate(statements):
                if rng.random() < 0.1:
                    continue
                value = camp if j < 5 else 1
                if rng.random() < 0.08:
                    value = -value
                vote_cast(participant=participant, statement_id=statement.pk, value=value)
    return camps


def test_the_worker_finds_the_groups_and_what_unites_them(
    conversation, settings, django_capture_on_commit_callbacks
):
    settings.PLATSA_OPINION_DELAY = 0
    # The fixture's seeding asked for an analysis whose commit never came (the test's
    # transaction): as if that one had run.
    Conversation.objects.update(analysis_due=False)
    with django_capture_on_commit_callbacks(execute=True):
        camps = _planted_votes(conversation)
    run_jobs()
    analysis = Analysis.objects.get(conversation=conversation)
    result = analysis.result
    assert result["participants"] == 60
    assert len(result["groups"]) == 2
    # each group is one camp (a participant with fewer than 7 votes is left out)
    for group in result["groups"]:
        members = {p for p, g in result["members"].items() if g == group["id"]}
        assert len(members) >= 25
        assert members <= camps[1] or members <= camps[-1]
    consensus = {c["statement"] for c in result["consensus"]}
    later = {str(s.pk) for s in Statement.objects.order_by("pk")[5:]}
    assert consensus
    assert consensus <= later
    page = Client().get(_urls(conversation)["results"]).content.decode()
    assert 'class="chart group-map"' in page
    assert page.count('class="ds-card group-card"') == 2


def test_with_few_participants_there_are_no_groups_and_the_page_says_why(conversation):
    _planted_votes(conversation, n_per_group=5)
    analysis_run(conversation.pk)
    result = Analysis.objects.get().result
    assert result["groups"] == []
    assert result["reason"]
    page = Client().get(_urls(conversation)["results"]).content.decode()
    assert 'class="ds-card group-card"' not in page
    assert page.count("<tr>") == len(SEEDS) + 1  # every statement's votes, and a head row


def test_many_votes_queue_one_analysis(conversation, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.PLATSA_OPINION_DELAY = 0
    Conversation.objects.update(analysis_due=False)  # as in the test above
    with django_capture_on_commit_callbacks(execute=True):
        _planted_votes(conversation, n_per_group=3)
    assert DBTaskResult.objects.count() == 1


def test_the_export_is_polis_format_and_reads_back(client, conversation, owner):
    from platsa.core.opinion.polis_io import read_votes

    _planted_votes(conversation, n_per_group=4)
    client.force_login(owner)
    response = client.get(_urls(conversation)["export"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response)))
    assert sorted(archive.namelist()) == ["comments.csv", "participants-votes.csv", "votes.csv"]
    votes = read_votes(archive.read("votes.csv"))
    assert len(votes) == Vote.objects.count()
    comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    assert {c["comment-body"] for c in comments} == set(SEEDS)
    from platsa.core.opinion.polis_io import read_participants_votes

    wide = read_participants_votes(archive.read("participants-votes.csv"))
    assert len(wide.votes) == len(votes)
    assert len(wide.groups) == Participant.objects.filter(votes__isnull=False).distinct().count()


def test_results_can_be_kept_for_members(client, conversation, viewer):
    conversation.results_public = False
    conversation.save()
    assert Client().get(_urls(conversation)["results"]).status_code == 403
    client.force_login(viewer)
    assert client.get(_urls(conversation)["results"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_fifty_first_votes_at_once_from_one_phone_store_one_participant_and_one_vote(place, owner):
    """A phone on a bad line resends its first vote while the first try is still running:
    the constraints decide, every request is answered, one vote is stored."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    conversation = conversation_create(place=place, user=owner, question="Samtidigt?")
    statements_seed(conversation=conversation, user=owner, texts=SEEDS[:2])
    process_set_phase(process=conversation.process, phase="open", actor=owner)
    statement = Statement.objects.filter(conversation=conversation).first()
    url = _urls(conversation)["vote"]
    token = "k" * 43

    def send(i: int) -> int:
        phone = Client()
        phone.cookies["platsa_voter"] = token
        try:
            return phone.post(url, {"statement": statement.pk, "vote": (1, -1)[i % 2]}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        codes = list(pool.map(send, range(50)))
    assert codes == [302] * 50
    assert Participant.objects.filter(conversation=conversation).count() == 1
    assert Vote.objects.filter(statement=statement).count() == 1


def test_a_participant_downloads_and_deletes_their_votes(conversation):
    import json

    urls = _urls(conversation)
    phone = Client()
    phone.post(urls["vote"], {"statement": _current_statement(phone, conversation), "vote": 1})
    phone.post(urls["write"], {"text": "Badplatsen vid sjön behöver en ny brygga"})
    public = conversation.public_id
    data = json.loads(
        b"".join(phone.get(reverse("conversations_public:export_own", args=[public])))
    )
    assert [v["vote"] for v in data["votes"]] == [1, 1]  # and the author's own agree
    assert data["votes"][1]["statement"] == "Badplatsen vid sjön behöver en ny brygga"
    assert data["statements"][0]["status"] == "pending"
    other = Client()
    other.post(urls["vote"], {"statement": _current_statement(other, conversation), "vote": -1})
    phone.post(reverse("conversations_public:delete_own", args=[public]))  # not ticked
    assert Participant.objects.count() == 2
    phone.post(reverse("conversations_public:delete_own", args=[public]), {"confirm": "yes"})
    assert Participant.objects.count() == 1  # the other one
    assert list(Vote.objects.values_list("value", flat=True)) == [-1]
    assert Statement.objects.get(is_seed=False).author is None  # the statement stays
    assert json.loads(
        b"".join(phone.get(reverse("conversations_public:export_own", args=[public])))
    ) == {"stored": None}


def test_the_projector_view_updates_itself_and_can_be_stopped(conversation):
    _planted_votes(conversation, n_per_group=30)
    analysis_run(conversation.pk)
    urls = _urls(conversation)
    page = Client().get(urls["results"]).content.decode()
    assert "data-live-stream" not in page  # nothing moves unless asked
    assert 'class="site-header"' in page
    page = Client().get(urls["results"] + "?live=1").content.decode()
    assert "data-live-stream" in page
    assert f'href="{urls["results"]}"' in page  # the way to stop it
    # On the projector the results alone: the groups' map beside their cards, no site menu.
    assert 'class="site-header"' not in page
    assert 'class="site-footer"' not in page
    assert "conversation-live" in page
    assert page.index('class="group-board"') < page.index("group-map-box")
    live = Client().get(reverse("conversations_public:results_live", args=[conversation.public_id]))
    assert live.status_code == 200
    assert b"<html" not in live.content
    assert b'class="ds-card group-card"' in live.content


POLIS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "polis"


def test_a_real_polis_conversation_is_imported_and_analysed(client, place, owner):
    """Pol.is's own open data (CC BY 4.0, The Computational Democracy Project)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    folder = POLIS / "15-per-hour-seattle"
    conversation = conversation_create(place=place, user=owner, question="15 per hour")
    client.force_login(owner)
    url = reverse("conversations:import", args=[place.slug, conversation.process.slug])
    response = client.post(
        url,
        {
            "comments": SimpleUploadedFile("comments.csv", (folder / "comments.csv").read_bytes()),
            "votes": SimpleUploadedFile("votes.csv", (folder / "votes.csv").read_bytes()),
        },
    )
    assert response.status_code == 302
    comments = list(csv.DictReader(io.StringIO((folder / "comments.csv").read_text())))
    assert Statement.objects.filter(conversation=conversation).count() == len(comments)
    out = {c["comment-id"] for c in comments if c["moderated"] == "-1"}
    assert Statement.objects.filter(conversation=conversation, status="rejected").count() == len(
        out
    )
    voters = {
        r["voter-id"] for r in csv.DictReader(io.StringIO((folder / "votes.csv").read_text()))
    }
    assert Participant.objects.filter(conversation=conversation).count() >= len(voters)
    analysis = analysis_run(conversation.pk)
    summary = dict(csv.reader(io.StringIO((folder / "summary.csv").read_text())))
    assert analysis.result["participants"] <= int(summary["voters"]) + 5
    # a second import into the same conversation is refused: it has votes now
    stored = Vote.objects.filter(statement__conversation=conversation).count()
    again = client.post(
        url,
        {
            "comments": SimpleUploadedFile("comments.csv", (folder / "comments.csv").read_bytes()),
            "votes": SimpleUploadedFile("votes.csv", (folder / "votes.csv").read_bytes()),
        },
        follow=True,
    )
    assert b'class="messages"' in again.content
    assert Vote.objects.filter(statement__conversation=conversation).count() == stored


@pytest.mark.parametrize(
    "files",
    [
        {"archive": ("x.zip", b"not a zip")},
        {"comments": ("comments.csv", b"a,b\n1,2\n"), "votes": ("votes.csv", b"x\n")},
        {"comments": ("comments.csv", b"comment-id,moderated,comment-body\n1,1,Hej\n")},
        {
            "comments": ("comments.csv", b"comment-id,moderated,comment-body\n1,1,Hej\n"),
            "votes": ("votes.csv", b"comment-id,voter-id,vote\n9,1,1\n"),
        },
        {
            "comments": (
                "comments.csv",
                "comment-id,moderated,comment-body\n1,1,Hej\n".encode("utf-16"),
            ),
            "votes": ("votes.csv", b"comment-id,voter-id,vote\n1,1,1\n"),
        },
    ],
)
def test_a_broken_import_is_refused_with_a_reason_and_stores_nothing(client, place, owner, files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    conversation = conversation_create(place=place, user=owner, question="Import")
    client.force_login(owner)
    response = client.post(
        reverse("conversations:import", args=[place.slug, conversation.process.slug]),
        {k: SimpleUploadedFile(name, data) for k, (name, data) in files.items()},
        follow=True,
    )
    assert response.status_code == 200
    assert b'class="messages"' in response.content
    assert not Statement.objects.filter(conversation=conversation).exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, place, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", b"0" * (70 * 1024 * 1024))
        archive.writestr("votes.csv", b"comment-id,voter-id,vote\n")
    conversation = conversation_create(place=place, user=owner, question="Bomb")
    client.force_login(owner)
    response = client.post(
        reverse("conversations:import", args=[place.slug, conversation.process.slug]),
        {"archive": SimpleUploadedFile("bomb.zip", buffer.getvalue())},
        follow=True,
    )
    assert b'class="messages"' in response.content
    assert not Statement.objects.filter(conversation=conversation).exists()


def test_votes_during_a_run_ask_for_the_next_run(
    conversation, settings, django_capture_on_commit_callbacks
):
    """A busy room: processes that asked within the last second do not ask again, so the run
    itself asks for the next one when votes came in while it ran."""
    settings.PLATSA_OPINION_DELAY = 0
    _planted_votes(conversation, n_per_group=3)
    Conversation.objects.update(analysis_due=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        analysis_run(conversation.pk)
    assert Conversation.objects.get().analysis_due  # votes from the last seconds: again
    assert len(callbacks) == 2  # the event for the open pages, and the next run


def test_a_broken_file_is_named_in_swedish_to_the_organiser(client, place, owner):
    """The reader's reason, line and file come in the page's language, not the parser's
    English."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    conversation = conversation_create(place=place, user=owner, question="Import")
    client.force_login(owner)
    response = client.post(
        reverse("conversations:import", args=[place.slug, conversation.process.slug]),
        {
            "comments": SimpleUploadedFile(
                "comments.csv", b"comment-id,moderated,comment-body\n1,1,Hej\n"
            ),
            "votes": SimpleUploadedFile("votes.csv", b"comment-id,voter-id,vote\n1,7,ja\n"),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Filen är inte en export från Pol.is: votes.csv, rad 2: rösten &#x27;ja&#x27;" in text
    assert "är inte 1, -1 eller 0" in text

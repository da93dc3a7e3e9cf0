"""A session held on a laptop moves into the main installation: exported as a ZIP with
session.json, imported into a place there as a closed session with everything the room
gave (answers, ideas, upvotes, groups, what was taken down) and nobody's token. A hostile
or broken file is refused with a reason and leaves nothing behind; only organisers move
sessions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from platsa.catalogue.selectors import frameworks
from platsa.places.models import Place
from platsa.processes.models import Process
from platsa.workshops import transfer
from platsa.workshops.answers import Parsed
from platsa.workshops.entries import entry_moderate, entry_submit, entry_vote
from platsa.workshops.models import Answer, Entry, Participant, Question, Workshop
from platsa.workshops.services import (
    answer_hide,
    answer_submit,
    participant_for,
    participant_set_group,
    question_add,
    workshop_configure,
    workshop_create,
)
from platsa.workshops.transfer import TransferError, export_session, import_session

pytestmark = pytest.mark.django_db

OPTIONS = ["Bredband", "Buss", "Bostäder"]


def _kinds(workshop: Workshop) -> dict[str, Question]:
    themes = next(iter(frameworks()))
    add = lambda kind, **kw: question_add(workshop=workshop, kind=kind, prompt=kind, **kw)  # noqa: E731
    return {
        "choice": add("choice", options=OPTIONS),
        "words": add("words"),
        "scale": add("scale", low_label="lite", high_label="mycket"),
        "themes": add("themes", framework=themes),
        "ranking": add("ranking", options=OPTIONS),
        "points": add("points", options=OPTIONS),
        "matrix": add("matrix", options=OPTIONS, x_label="nytta", y_label="kostnad"),
        "places": add("places"),
        "ideas": add("ideas"),
        "qa": add("qa"),
    }


@pytest.fixture
def session(place, owner, borlange) -> Workshop:
    """Every kind of question, two groups, four phones, ideas with upvotes, a question
    answered on stage and an answer and an idea taken down."""
    workshop = workshop_create(place=place, user=owner, title="Nätverksträff 12 mars")
    q = _kinds(workshop)
    workshop_configure(workshop=workshop, pace="self", groups=["Norr", "Söder"])
    workshop.refresh_from_db()
    people = [participant_for(workshop, f"phone-{i}") for i in range(3)]
    participant_set_group(participant=people[0], group=1)
    participant_set_group(participant=people[1], group=2)
    n_themes = len(q["themes"].options)
    for i, p in enumerate(people):
        p.refresh_from_db()
        submit = lambda question, p=p, **kw: answer_submit(  # noqa: E731
            participant=p, question=question, parsed=Parsed(**kw)
        )
        submit(q["choice"], choice=i % 3)
        submit(q["words"], text=f"fiber {i}")
        submit(q["scale"], value=i + 5)
        submit(q["themes"], data=[i + 1] + [None] * (n_themes - 1))
        submit(q["ranking"], data=[2, 0, 1] if i else [0, 1, 2])
        submit(q["points"], data=[50, 50, 0] if i else [100, 0, 0])
        submit(q["matrix"], data=[[1, 7], [4, 4], [7, 1]])
        pin = {"point": [60.48581, 15.43712]} if i == 0 else {}  # one dropped a pin
        submit(q["places"], text=borlange.name, data={"area": borlange.pk, **pin})
    rude = Answer.objects.get(question=q["words"], participant=people[2])
    answer_hide(workshop=workshop, answer_id=rude.pk)
    idea = entry_submit(participant=people[0], question=q["ideas"], raw="Ett byahus").entry
    entry_submit(participant=people[0], question=q["ideas"], raw="Samåkning")
    entry_submit(participant=people[1], question=q["ideas"], raw="Ett byahus")  # other group
    fourth = participant_for(workshop, "phone-3")  # answers nothing, upvotes one idea
    participant_set_group(participant=fourth, group=1)
    entry_vote(participant=fourth, entry_id=idea.pk, up=True)
    asked = entry_submit(participant=people[2], question=q["qa"], raw="När kommer bussen?")
    entry_vote(participant=people[2], entry_id=asked.entry.pk, up=True)
    entry_moderate(question=q["qa"], entry_id=asked.entry.pk, done=True)
    hidden = entry_submit(participant=people[2], question=q["qa"], raw="Dumt").entry
    entry_moderate(question=q["qa"], entry_id=hidden.pk, hidden=True)
    return workshop


@pytest.fixture
def other_place(owner, borlange) -> Place:
    from platsa.places.services import place_create

    return place_create(user=owner, name="Huvudinstallationen", municipality=borlange)


def _document(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["session.json"]
        return json.loads(archive.read("session.json"))


def _zip(document: object, *, name: str = "session.json", raw: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, raw if raw is not None else json.dumps(document))
    return out.getvalue()


def _board(workshop: Workshop) -> list[tuple]:
    return sorted(
        (e.question.position, e.group, e.text, e.votes.count(), e.hidden, e.done)
        for e in Entry.objects.filter(question__workshop=workshop).select_related("question")
    )


def _answers(workshop: Workshop) -> list[tuple]:
    return sorted(
        (a.question.position, a.choice, a.value, a.text, json.dumps(a.data), a.group, a.hidden)
        for a in Answer.objects.filter(question__workshop=workshop).select_related("question")
    )


def test_a_session_goes_round_trip_with_everything_the_room_gave(session, other_place, owner):
    data = export_session(session)
    document = _document(data)
    assert document["format"] == "platsa-workshop"
    assert document["version"] == 1
    text = data.decode("latin-1") + json.dumps(document)
    for p in session.participants.all():  # a participant is a number in the file, no more
        assert p.token_hash not in text
    assert [p["number"] for p in document["participants"]] == [1, 2, 3, 4]

    imported = import_session(place=other_place, user=owner, data=data)
    assert imported.process.place == other_place
    assert imported.process.phase == "closed"
    assert imported.process.title == "Nätverksträff 12 mars"
    assert imported.code != session.code
    assert imported.pace == "self"
    assert imported.groups == ["Norr", "Söder"]
    fields = ("position", "kind", "prompt", "options", "low_label", "high_label", "framework")
    fields += ("x_label", "y_label")
    assert list(imported.questions.values_list(*fields)) == list(
        session.questions.values_list(*fields)
    )
    assert _answers(imported) == _answers(session)  # data, groups, the hidden answer
    assert Answer.objects.filter(question__workshop=imported, hidden=True).count() == 1
    assert _board(imported) == _board(session)  # entries with their upvotes and flags
    assert sorted(imported.participants.values_list("group", flat=True)) == [0, 1, 1, 2]
    new_hashes = set(imported.participants.values_list("token_hash", flat=True))
    assert not new_hashes & set(session.participants.values_list("token_hash", flat=True))
    assert all(len(h) == 64 for h in new_hashes)
    again = export_session(imported)  # the imported session exports the same
    strip = lambda d: {k: v for k, v in d.items() if k not in ("exported_at",)}  # noqa: E731
    assert strip(_document(again)) == strip(document)


def test_a_themes_question_of_an_unknown_framework_keeps_its_themes(place, owner):
    workshop = workshop_create(place=place, user=owner, title="Teman")
    document = _document(export_session(workshop))
    document["questions"] = [
        {"kind": "themes", "prompt": "Hur står det till?", "framework": "elsewhere-only"}
        | {"options": ["a", "b"]}
    ]
    document["participants"] = [{"number": 1}]
    document["answers"] = [{"question": 1, "participant": 1, "data": [3, None]}]
    imported = import_session(place=place, user=owner, data=_zip(document))
    question = imported.questions.get()
    assert (question.framework, question.options) == ("elsewhere-only", ["a", "b"])
    assert Answer.objects.get(question=question).data == [3, None]


def _small(session) -> dict:
    return _document(export_session(session))


def _set(path: str, value):
    """A change to the exported document: ``path`` like "answers.0.choice"."""

    def change(document: dict) -> dict:
        *parents, last = path.split(".")
        target = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return document

    return change


HOSTILE = [
    ("version", _set("version", 2)),
    ("format", _set("format", "something-else")),
    ("kind", _set("questions.0.kind", "poll")),
    ("range", _set("answers.0.choice", 3)),  # three options: 0..2
    ("type", _set("answers.0.choice", True)),
    ("group", _set("participants.0.group", 3)),  # two groups
    ("group", _set("entries.0.group", 9)),
    ("too_long", _set("questions.0.prompt", "x" * 201)),
    ("too_long", _set("entries.0.text", "y" * 201)),
    ("empty", _set("title", " \u200b ")),
    ("characters", _set("entries.0.text", "halv \ud800 tecken")),
    ("options", _set("questions.0.options", ["bara en"])),
    ("duplicate", _set("questions.0.options", ["Buss", "Buss"])),
    ("data", _set("answers.12.data", [0, 0, 1])),  # a ranking with a place given twice
    ("data", _set("answers.15.data", [50, 40, 0])),  # 90 points of 100
    ("data", _set("answers.18.data", [[1, 8], [4, 4], [7, 1]])),
    ("reference", _set("votes.0.entry", 99)),
    ("reference", _set("answers.0.participant", 5)),
    ("date", _set("entries.0.created_at", "igår")),
    ("date", _set("participants.0.joined_at", "9999-12-31T23:59:59-05:00")),  # past the calendar
    ("date", _set("answers.0.answered_at", "0001-01-01T00:00:00+05:00")),
    ("date", _set("answers.0.answered_at", "1970-01-01T00:00:00+00:00")),  # before any session
    ("too_many", _set("questions", [{"kind": "words", "prompt": "q"}] * 61)),
    ("pace", _set("pace", "fast")),
    ("groups", _set("groups", ["Ensam"])),
]


@pytest.mark.parametrize(("code", "change"), HOSTILE)
def test_a_broken_field_is_refused_with_its_reason(session, other_place, owner, code, change):
    document = change(_small(session))
    before = (Process.objects.count(), Participant.objects.count(), Answer.objects.count())
    with pytest.raises(TransferError) as refused:
        import_session(place=other_place, user=owner, data=_zip(document))
    assert refused.value.code == code
    assert (Process.objects.count(), Participant.objects.count(), Answer.objects.count()) == before


def test_the_answers_are_where_the_hostile_cases_think(session):
    kinds = [q["kind"] for q in _small(session)["questions"]]
    answers = _small(session)["answers"]
    assert [kinds[answers[i]["question"] - 1] for i in (0, 12, 15, 18)] == [
        "choice",
        "ranking",
        "points",
        "matrix",
    ]


def test_a_vote_twice_and_an_idea_twice_are_refused(session, other_place, owner):
    document = _small(session)
    document["votes"].append(dict(document["votes"][0]))
    with pytest.raises(TransferError) as refused:
        import_session(place=other_place, user=owner, data=_zip(document))
    assert refused.value.code == "duplicate"
    document = _small(session)
    document["entries"][1]["text"] = document["entries"][0]["text"].upper()  # one idea
    document["entries"][1]["group"] = document["entries"][0]["group"]
    with pytest.raises(TransferError):
        import_session(place=other_place, user=owner, data=_zip(document))


@pytest.mark.parametrize(
    ("code", "data"),
    [
        ("not_zip", b"PK\x03\x04 certainly not a zip"),
        ("not_zip", b"{}"),
        ("missing_file", "other.json"),
        ("too_many_files", "many"),
        ("too_big", "bomb"),
        ("too_big", "huge"),
        ("too_many_values", "empties"),
        ("json", b"{not json"),
        ("json", b'{"version": NaN}'),
        ("json", b"[" * 100_000 + b"]" * 100_000),  # deeper than the parser goes
        ("too_deep", b'{"a": [[[[[[[1]]]]]]]}'),
        ("encoding", b"\xff\xfe\x00 latin-1 \xe5"),
        ("format", b"[]"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(other_place, owner, code, data):
    if data == "other.json":
        data = _zip({}, name="other.json")
    elif data == "many":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for i in range(6):
                archive.writestr(f"{i}.txt", "x")
        data = out.getvalue()
    elif data == "bomb":  # 40 MB of zeros, a few kB packed
        data = _zip(None, raw=b"0" * (40 * 1024 * 1024))
    elif data == "empties":  # 9 MB, a few kB packed: millions of {} would take gigabytes
        data = _zip(None, raw=b"[" + b"{}," * 3_000_000 + b"{}]")
    elif data == "huge":  # valid JSON, beyond the size an export has
        data = _zip(None, raw=json.dumps({"title": "x" * (33 * 1024 * 1024)}).encode())
    elif code not in ("not_zip",):
        data = _zip(None, raw=data)
    with pytest.raises(TransferError) as refused:
        import_session(place=other_place, user=owner, data=data)
    assert refused.value.code == code
    assert not Workshop.objects.exists()


def test_an_upload_beyond_the_limit_is_refused_before_it_is_opened(other_place, owner):
    with pytest.raises(TransferError) as refused:
        import_session(place=other_place, user=owner, data=b"0" * (transfer.MAX_UPLOAD + 1))
    assert refused.value.code == "too_big"


def test_a_failure_while_writing_leaves_nothing_behind(session, other_place, owner, monkeypatch):
    data = export_session(session)
    before = (Process.objects.count(), Question.objects.count(), Participant.objects.count())

    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(transfer, "_write_rows", broken)
    with pytest.raises(RuntimeError):
        import_session(place=other_place, user=owner, data=data)
    assert (Process.objects.count(), Question.objects.count(), Participant.objects.count()) == (
        before
    )


# --- through the web -----------------------------------------------------------------------


def _export_url(workshop: Workshop) -> str:
    return reverse(
        "workshops:transfer_export", args=[workshop.process.place.slug, workshop.process.slug]
    )


def _import_url(place: Place) -> str:
    return reverse("workshops:transfer_import", args=[place.slug])


def test_an_organiser_exports_and_imports_through_the_pages(client, session, organiser, owner):
    client.force_login(organiser)
    response = client.get(_export_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    slug = session.process.slug
    assert f'filename="workshop-{slug}.zip"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert client.get(_import_url(session.process.place)).status_code == 200
    upload = io.BytesIO(response.content)
    upload.name = "workshop.zip"
    done = client.post(_import_url(session.process.place), {"file": upload})
    imported = Workshop.objects.exclude(pk=session.pk).get()
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "workshops:detail", args=[session.process.place.slug, imported.process.slug]
    )
    assert imported.process.created_by == organiser
    assert imported.process.slug != slug


def test_a_broken_upload_comes_back_with_its_reason(client, place, organiser):
    client.force_login(organiser)
    upload = io.BytesIO(_zip({"format": "platsa-workshop", "version": 7}))
    upload.name = "workshop.zip"
    response = client.post(_import_url(place), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "(7)" in page
    assert not Workshop.objects.exists()
    assert client.post(_import_url(place), {}).status_code == 400  # no file at all


def test_only_organisers_move_sessions(client, session, viewer, outsider):
    place = session.process.place
    upload = io.BytesIO(export_session(session))
    upload.name = "workshop.zip"
    assert client.get(_export_url(session)).status_code == 302  # to sign in
    assert client.get(_import_url(place)).status_code == 302
    client.force_login(viewer)
    assert client.get(_export_url(session)).status_code == 403
    assert client.get(_import_url(place)).status_code == 403
    assert client.post(_import_url(place), {"file": upload}).status_code == 403
    client.force_login(outsider)
    assert client.get(_export_url(session)).status_code == 404
    assert client.get(_import_url(place)).status_code == 404
    upload.seek(0)
    assert client.post(_import_url(place), {"file": upload}).status_code == 404
    assert Workshop.objects.count() == 1


def test_every_reason_has_its_words():
    import inspect
    import re

    from platsa.workshops.transfer_views import ERRORS, error_message

    source = inspect.getsource(transfer)
    codes = set(re.findall(r'(?:TransferError|_fail)\(\s*"([a-z_]+)"', source))
    assert codes
    assert codes <= set(ERRORS)
    for code in codes:  # every placeholder filled, whatever the details
        assert "%(" not in error_message(TransferError(code))

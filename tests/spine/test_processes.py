"""The process spine: kinds and phases, the one access check, the audit log, sets of
places, and an assessment round as one kind of process."""

from __future__ import annotations

import pytest
from django.test import Client

from platsa.processes import kinds
from platsa.processes.access import PhaseClosed, require_feature
from platsa.processes.kinds import Feature, Phase, ProcessKind
from platsa.processes.models import Process, ProcessEvent
from platsa.processes.services import (
    PhaseError,
    place_set_create,
    process_create,
    process_set_phase,
)
from tests.spine.suggestion_box import SUGGESTION_BOX

pytestmark = pytest.mark.django_db


@pytest.fixture
def box_kind():
    kinds.register(SUGGESTION_BOX)
    yield SUGGESTION_BOX
    kinds.unregister(SUGGESTION_BOX.id)


@pytest.fixture
def box(place, owner, box_kind):
    return process_create(place=place, kind=box_kind.id, title="Idélådan 2027", user=owner)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(process: Process, action: str) -> str:
    return f"/box/{process.place.slug}/{process.slug}/{action}/"


@pytest.mark.urls("tests.spine.suggestion_box")
def test_a_new_kind_needs_only_its_entry_phases_and_views(box, organiser, viewer, owner):
    assert box.phase == "setup"
    assert box.slug == "ideladan-2027"
    # setup opens nothing: a member is told which phase it is and where proposing opens
    closed = _client(viewer).post(_url(box, "propose"))
    assert closed.status_code == 409
    page = closed.content.decode()
    assert "Idélådan 2027" in page
    assert "Setting up" in page
    assert "Collecting" in page  # the phase that opens it
    # a viewer may not move the phases; an organiser may, only along the kind's steps
    assert _client(viewer).post(_url(box, "advance"), {"phase": "collecting"}).status_code == 403
    assert _client(organiser).post(_url(box, "advance"), {"phase": "collecting"}).content == (
        b"collecting"
    )
    ok = _client(viewer).post(_url(box, "propose"))
    assert ok.status_code == 200
    assert ok.content == b"proposed in Id\xc3\xa9l\xc3\xa5dan 2027"


@pytest.mark.urls("tests.spine.suggestion_box")
def test_non_members_get_404_whatever_the_phase(box, django_user_model):
    from tests.conftest import _user

    stranger = _user(django_user_model, "stranger@example.org")
    process_set_phase(process=box, phase="collecting")
    assert _client(stranger).post(_url(box, "propose")).status_code == 404
    # nor does a process of another kind answer under this kind's views
    assert Client().post(_url(box, "propose")).status_code in (302, 404)


def test_only_the_kinds_transitions_and_each_one_logged(box, organiser):
    with pytest.raises(PhaseError):
        process_set_phase(process=box, phase="done", actor=organiser)  # skips two phases
    box.refresh_from_db()
    assert box.phase == "setup"
    process_set_phase(process=box, phase="collecting", actor=organiser)
    process_set_phase(process=box, phase="voting", actor=organiser)
    with pytest.raises(PhaseError):
        process_set_phase(process=box, phase="collecting", actor=organiser)  # no way back
    with pytest.raises(KeyError):
        process_set_phase(process=box, phase="nonsense", actor=organiser)
    events = list(box.events.order_by("at", "id"))
    assert [(e.action, e.before, e.after) for e in events] == [
        ("created", "", "setup"),
        ("phase", "setup", "collecting"),
        ("phase", "collecting", "voting"),
    ]
    assert events[1].actor == organiser
    assert all(e.at is not None for e in events)


def test_phase_and_dates_decide_what_is_open(box):
    import datetime as dt

    from django.utils import timezone

    assert not box.allows(Feature.PROPOSE)
    process_set_phase(process=box, phase="collecting")
    assert box.allows(Feature.PROPOSE)
    assert box.allows(Feature.COMMENT)
    assert not box.allows(Feature.VOTE)
    box.closes_at = timezone.now() - dt.timedelta(minutes=1)
    assert not box.allows(Feature.PROPOSE)  # the phase opens it, the date has passed
    with pytest.raises(PhaseClosed):
        require_feature(box, Feature.PROPOSE)


def test_a_kind_is_checked_when_registered():
    with pytest.raises(ValueError, match="unknown phases"):
        ProcessKind("bad", "Bad", (Phase("a", "A"),), transitions={"a": ("b",)})
    with pytest.raises(ValueError, match="unique"):
        ProcessKind("bad", "Bad", (Phase("a", "A"), Phase("a", "A again")))
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(ProcessKind("assessment", "Another", (Phase("x", "X"),)))


def test_a_process_can_span_a_set_of_places(place, owner, borlange, box_kind):
    from platsa.places.services import place_create

    other = place_create(user=owner, name="Ornäs", municipality=borlange)
    villages = place_set_create(owner=place, name="Byarna i samverkan", places=[other], user=owner)
    process = process_create(
        place=place, kind=box_kind.id, title="Gemensam idélåda", user=owner, place_set=villages
    )
    assert set(villages.places.all()) == {place, other}  # the owner place is one of them
    assert process.place_set == villages
    assert list(other.place_sets.all()) == [villages]


def test_an_assessment_round_is_a_process_of_its_kind(round_, owner):
    from platsa.assessments.models import Round
    from platsa.assessments.services import round_set_status

    process = round_.process
    assert process.kind == "assessment"
    assert (process.title, process.slug, process.phase) == ("Hösten 2026", "hosten-2026", "open")
    assert round_.name == process.title
    with pytest.raises(PhaseError):
        round_set_status(round_=round_, status=Round.Status.DRAFT, actor=owner)  # no way back
    round_set_status(round_=round_, status=Round.Status.CLOSED, actor=owner)
    assert not round_.accepts_responses()
    round_set_status(round_=round_, status=Round.Status.OPEN, actor=owner)
    assert round_.accepts_responses()
    actions = list(
        ProcessEvent.objects.filter(process=process)
        .order_by("at", "id")
        .values_list("action", "after")
    )
    assert actions == [
        ("created", "open"),
        ("phase", "closed"),
        ("frozen", "1"),
        ("phase", "open"),
    ]


def test_round_urls_are_as_before(client, round_, organiser):
    client.force_login(organiser)
    assert client.get(f"/platser/{round_.place.slug}/omgangar/{round_.slug}/").status_code == 200
    assert client.get(f"/s/{round_.survey_key}/").status_code == 200

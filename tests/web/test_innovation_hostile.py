"""What a hostile probe of open innovation found, each kept from coming back: a released
idea rewritten into spam, pictures of held ideas, a superscript digit that crashed the bulk
upload, a picture lost while the similar ideas were shown, one person pledging a goal ten
times over, a participant passing as the organiser, blank 405 pages, reports on hidden ideas,
staff held in their own queue, a refused feed post that lost its text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from platsa.core.io.tabular import write_csv
from platsa.innovation.models import Idea, Innovation, Pledge, Report, Visibility
from platsa.innovation.services import (
    InnovationError,
    comment_add,
    idea_submit,
    innovation_create,
    moderate,
    moderator_add,
    pledge_add,
)
from platsa.processes.services import process_set_phase
from tests.web.test_innovation import _client, _participant, _photo_with_gps, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(django_user_model):
    return _participant(django_user_model, "anna@example.org", "Anna")


@pytest.fixture
def bo(django_user_model):
    return _participant(django_user_model, "bo@example.org")


@pytest.fixture
def process(place, owner):
    process = innovation_create(place=place, title="Ragunda 2027", user=owner).process
    process_set_phase(process=process, phase="ideas", actor=owner)
    return process


def _hold(process) -> None:
    Innovation.objects.filter(process=process).update(hold_first_posts=True)


def test_a_released_first_idea_rewritten_waits_for_review_again(process, owner, anna):
    _hold(process)
    idea = idea_submit(process=process, user=anna, title="Cykelväg", body="En säker väg.")
    moderate(process=process, actor=owner, action="release", idea=idea)
    client = _client(anna)
    client.post(_url("idea_edit", process, idea.pk), {"title": "KÖP PILLER", "body": "spam"})
    idea.refresh_from_db()
    assert idea.title == "KÖP PILLER"
    assert idea.visibility == Visibility.HELD
    assert Client().get(_url("idea", process, idea.pk)).status_code == 404
    # And no editing once new ideas are no longer taken.
    moderate(process=process, actor=owner, action="release", idea=idea)
    process_set_phase(process=process, phase="discussion", actor=owner)
    response = client.post(_url("idea_edit", process, idea.pk), {"title": "Igen", "body": "x"})
    assert response.status_code == 409
    idea.refresh_from_db()
    assert idea.title == "KÖP PILLER"


def test_a_held_ideas_picture_is_for_its_author_and_staff_only(process, owner, anna, bo):
    _hold(process)
    idea = idea_submit(
        process=process, user=anna, title="Utsikt", body="Torn.", image=_photo_with_gps(400, 300)
    )
    url = reverse("innovation_public:image", args=[idea.image_id])
    assert Client().get(url).status_code == 404
    assert _client(bo).get(url).status_code == 404
    for user in (anna, owner):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    moderate(process=process, actor=owner, action="release", idea=idea)
    public = Client().get(url)
    assert public.status_code == 200
    assert "max-age=600" in public["Cache-Control"]  # a hidden picture leaves caches soon
    assert "immutable" not in public["Cache-Control"]


def test_bulk_answers_refuse_a_superscript_digit_and_hidden_ideas(process, owner, anna):
    shown = idea_submit(process=process, user=anna, title="Badplats", body="Brygga.")
    hidden = idea_submit(process=process, user=anna, title="Dold", body="Text")
    moderate(process=process, actor=owner, action="hide", reason="Fel", idea=hidden)
    client = _client(owner)
    upload = reverse("innovation:answers_upload", args=[process.place.slug, process.slug])
    for rows in ([["²", "review"]], [[hidden.pk, "selected"]]):
        data = write_csv(["id", "status"], rows)
        page = client.post(upload, {"file": SimpleUploadedFile("svar.csv", data)}, follow=True)
        assert page.status_code == 200
    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert hidden.status == "new"
    assert shown.status == "new"
    # The list's filters take no such digit either.
    assert Client().get(_url("process", process), {"theme": "²", "page": "²"}).status_code == 200


def test_the_picture_is_kept_while_similar_ideas_are_shown(process, anna, bo):
    idea_submit(
        process=process,
        user=anna,
        title="Fler hyresrätter för inflyttare",
        body="Bygg hyresrätter.",
    )
    client = _client(bo)
    form = {"title": "Bygg hyresrätter för inflyttare", "body": "Fler hyreslägenheter för nya."}
    photo = SimpleUploadedFile("a.jpg", _photo_with_gps(500, 400), "image/jpeg")
    first = client.post(_url("idea_new", process), {**form, "image": photo})
    assert first.status_code == 200
    text = first.content.decode()
    token = text.split('name="pending_image" value="')[1].split('"')[0]
    done = client.post(
        _url("idea_new", process), {**form, "not_a_duplicate": "1", "pending_image": token}
    )
    assert done.status_code == 302
    mine = Idea.objects.get(author=bo)
    assert mine.image_id is not None
    # Someone else's token is nothing.
    other = _client(anna).post(
        _url("idea_new", process),
        {"title": "Annat helt", "body": "Något annat", "pending_image": token},
    )
    assert other.status_code == 302
    assert Idea.objects.filter(author=anna).exclude(pk=mine.pk).last().image_id is None


def test_one_money_pledge_per_person_and_idea_and_never_over_the_goal(process, anna, bo):
    idea = idea_submit(
        process=process, user=anna, title="Coworking", body="Skolan.", goal_amount=50000
    )
    pledge_add(idea=idea, user=bo, kind="money", amount=10000)
    pledge_add(idea=idea, user=bo, kind="money", amount=20000)
    idea.refresh_from_db()
    assert idea.pledged_money == 20000
    assert Pledge.objects.filter(user=bo, kind="money").count() == 1
    with pytest.raises(InnovationError) as refused:
        pledge_add(idea=idea, user=bo, kind="money", amount=100_000_000)
    assert refused.value.code == "over_goal"
    page = _client(bo).post(
        _url("pledge", process, idea.pk), {"kind": "money", "amount": "60000"}, follow=True
    )
    assert "50" in page.content.decode()  # the goal is named in the refusal
    idea.refresh_from_db()
    assert idea.pledged_money == 20000


def test_organisers_comments_carry_a_badge_a_lookalike_name_does_not(process, owner, anna, bo):
    owner.display_name = "Demo"
    owner.save()
    bo.display_name = "Demo"
    bo.save()
    idea = idea_submit(process=process, user=anna, title="Skidspår", body="Belysta.")
    comment_add(user=owner, idea=idea, body="Officiellt svar från oss.")
    comment_add(user=bo, idea=idea, body="Officiellt: idén är vald!")
    page = Client().get(_url("idea", process, idea.pk)).content.decode()
    badge = page.count('data-color="accent">Arrangör<') + page.count(
        'data-color="accent">Organiser<'
    )
    assert badge == 1


def test_staff_are_never_held_and_reports_need_a_shown_idea(process, owner, anna, bo):
    _hold(process)
    moderator_add(process=process, email="bo@example.org")
    idea = idea_submit(process=process, user=owner, title="Från kommunen", body="Text.")
    assert idea.visibility == Visibility.SHOWN
    assert comment_add(user=bo, idea=idea, body="Moderatorn svarar").visibility == Visibility.SHOWN
    first = idea_submit(process=process, user=anna, title="Min första", body="Text.")
    assert first.visibility == Visibility.HELD
    reporter = _client(bo)
    reporter.post(_url("report", process, first.pk), {"reason": "Konstig"})
    assert Report.objects.count() == 0  # a held idea cannot be reported (nor found)
    for _ in range(3):
        _client(anna).post(_url("report", process, idea.pk), {"reason": "Fel fakta"})
    assert Report.objects.filter(idea=idea).count() == 1  # one open report per person


def test_a_form_address_opened_as_a_page_leads_to_the_process(process, owner, outsider):
    names = [
        "phase",
        "settings",
        "themes",
        "stop_add",
        "moderator_add",
        "moderate",
        "merge",
        "feed_post",
    ]
    for name in names:
        url = reverse(f"innovation:{name}", args=[process.place.slug, process.slug])
        response = _client(owner).get(url)
        assert response.status_code == 302, name
        assert _client(outsider).get(url).status_code == 404, name


def test_a_refused_feed_update_keeps_its_text(process, owner):
    url = reverse("innovation:feed_post", args=[process.place.slug, process.slug])
    response = _client(owner).post(
        url, {"body": "Dag 2: långt inlägg om hackathonet", "video_url": "javascript:alert(1)"}
    )
    assert response.status_code == 400
    assert "Dag 2: långt inlägg om hackathonet" in response.content.decode()
    assert process.feed_posts.count() == 0


def test_a_file_too_large_for_its_form_is_refused_with_its_bound(process, anna):
    response = _client(anna).post(
        _url("idea_new", process),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(9_500_000),
    )
    assert response.status_code == 413
    assert "8 MB" in response.content.decode()

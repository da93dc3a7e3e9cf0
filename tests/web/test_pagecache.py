"""Public pages served from the page cache: the bytes are right, and every change that a page
shows is visible on the very next request."""

from __future__ import annotations

import gzip
import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.assessments.models import Comment, Round
from platsa.assessments.services import round_publish
from platsa.web import pagecache
from tests.conftest import fill_round

PH = pagecache.CSRF_PLACEHOLDER
OTHER = "00000000-0000-4000-8000-00000000c0de"


@settings(max_examples=60, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=3000), min_size=1, max_size=5),
    slots=st.lists(st.sampled_from([PH, OTHER]), max_size=4),
    token=st.binary(min_size=0, max_size=80),
    other=st.binary(min_size=0, max_size=80),
)
def test_spliced_gzip_is_the_page_with_the_values(chunks, slots, token, other):
    """Whatever the page and the values, the spliced stream decompresses to exactly the page
    with each placeholder replaced (and so do the uncompressed bytes)."""
    body = b""
    for i, chunk in enumerate(chunks):
        body += chunk
        if i < len(slots):
            body += slots[i].encode()
    page = pagecache.build(body, (PH, OTHER))
    values = {PH: token, OTHER: other}
    expected = body.replace(PH.encode(), token).replace(OTHER.encode(), other)
    assert gzip.decompress(pagecache.gzip_with(page, values)) == expected
    assert pagecache.plain_with(page, values) == expected


def results_url(round_):
    return reverse("public:results", args=[round_.place.slug, round_.slug])


def text(response) -> str:
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.fixture
def published(round_):
    fill_round(round_, 40, groups=["residents"], comment_rate=1.0)
    round_publish(round_=Round.objects.get(pk=round_.pk), public=True)
    return Round.objects.get(pk=round_.pk)


@pytest.mark.django_db
def test_public_page_is_cached_compressed_and_revalidated(published, django_assert_max_num_queries):
    client = Client()
    first = client.get(results_url(published), HTTP_ACCEPT_ENCODING="gzip, br")
    assert first.status_code == 200
    assert first["Content-Encoding"] == "gzip"
    assert "public" in first["Cache-Control"]
    assert "csrfmiddlewaretoken" not in text(first)  # nothing per visitor: shareable
    with django_assert_max_num_queries(1):  # the stamps; the page comes from the cache
        again = client.get(results_url(published), HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == first.content
    not_modified = client.get(results_url(published), HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    plain = client.get(results_url(published))  # a client without gzip
    assert "Content-Encoding" not in plain
    assert plain.content.decode() == text(first)


@pytest.mark.django_db
def test_a_published_page_is_frozen_until_run_again(client, published, framework):
    """An answer after publication leaves the public page as the board saw it; the
    organiser's re-run makes a new version, shown at the next request."""
    from platsa.assessments.services import round_rerun

    before = text(client.get(results_url(published)))
    assert "40 svar" in before or "40 respondents" in before
    survey = reverse("survey:form", args=[published.survey_key])
    answer = {"group": "residents", "submission_id": "6d3c1b1e-0000-4000-8000-000000000001"}
    answer.update({f"q_{q}": "7" for q in framework.question_ids})
    assert Client().post(survey, answer).status_code == 302
    still = text(client.get(results_url(published)))
    assert "40 svar" in still or "40 respondents" in still
    round_rerun(round_=Round.objects.get(pk=published.pk))
    after = text(client.get(results_url(published)))
    assert "41 svar" in after or "41 respondents" in after


@pytest.mark.django_db
def test_moderation_and_publication_are_visible_at_the_next_request(client, published):
    assert "<blockquote" not in text(client.get(results_url(published)))
    from platsa.assessments.services import comment_set_status, round_update

    comment = Comment.objects.first()
    comment_set_status(round_=published, comment_id=comment.pk, status="approved")
    html = text(client.get(results_url(published)))
    assert html.count("<blockquote") == 1
    round_update(round_=published, name=published.name, opens_at=None, closes_at=None, public=False)
    assert client.get(results_url(published)).status_code == 404


@pytest.mark.django_db
def test_deleting_an_answer_keeps_the_frozen_page_until_run_again(client, published):
    from platsa.assessments.services import response_delete, round_rerun

    before = text(client.get(results_url(published)))
    assert "40 svar" in before or "40 respondents" in before
    response_delete(round_=published, response=published.responses.first())
    assert "40 svar" in text(client.get(results_url(published)))
    round_rerun(round_=published)
    html = text(client.get(results_url(published)))
    assert "39 svar" in html or "39 respondents" in html


@pytest.mark.django_db
def test_the_language_is_part_of_the_key(published):
    client = Client()
    assert "Bostäder" in text(client.get(results_url(published)))
    client.get(reverse("set_language", args=["en"]))
    english = text(client.get(results_url(published)))
    assert "Housing" in english
    assert 'lang="en"' in english


@pytest.mark.django_db
def test_a_place_of_its_own_example_waits_for_a_rerun(client, organiser, published):
    """The published page is identical after the catalogue changes (a place's own example),
    until the organiser runs the recommendations again on purpose."""
    from platsa.assessments.services import round_rerun

    published_page = text(client.get(results_url(published)))
    assert "Byn med exemplet" not in published_page
    organiser_client = Client()
    organiser_client.force_login(organiser)
    from platsa.assessments.analysis import analyse

    shown = analyse(published).recommendations.recommendations[0].action.id  # on the page
    example = {
        "action_id": shown,
        "example_place": "Byn med exemplet",
        "country": "SE",
        "text_sv": "De startade en bilpool.",
        "source_title": "Lokaltidningen",
        "source_url": "https://example.org/bilpool",
    }
    url = reverse("place_catalogue:example_create", args=[published.place.slug])
    assert organiser_client.post(url, example).status_code == 302
    pagecache.forget_all()
    assert text(client.get(results_url(published))) == published_page
    round_rerun(round_=published)
    served = text(client.get(results_url(published)))
    pagecache.forget_all()
    fresh = text(client.get(results_url(published)))
    assert served == fresh  # what the cache served is what the data says now
    assert "Byn med exemplet" in fresh


@pytest.mark.django_db
def test_signed_in_people_get_their_own_page(organiser, published):
    client = Client()
    client.force_login(organiser)
    response = client.get(results_url(published))
    assert "private" in response["Cache-Control"]
    assert re.search(r"Mina platser|My places", text(response))


@pytest.mark.django_db
def test_static_pages_are_cached_for_everyone():
    client = Client()
    first = client.get(reverse("privacy"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert "ETag" in first
    assert client.get(reverse("privacy"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.django_db
def test_an_edit_in_the_admin_is_visible_at_the_next_request(client, published, django_user_model):
    """The admin bypasses the services; its edits must move the change stamps too."""
    admin = django_user_model.objects.create_superuser("admin@example.org", "a-long-admin-pw")
    assert "<blockquote" not in text(client.get(results_url(published)))
    comment = Comment.objects.first()
    staff = Client()
    staff.force_login(admin)
    data = {
        "round": comment.round_id,
        "response": comment.response_id,
        "theme_id": comment.theme_id,
        "kind": comment.kind,
        "text": comment.text,
        "status": "approved",
        "created_at_0": comment.created_at.strftime("%Y-%m-%d"),
        "created_at_1": comment.created_at.strftime("%H:%M:%S"),
    }
    changed = staff.post(reverse("admin:assessments_comment_change", args=[comment.pk]), data)
    assert changed.status_code == 302, changed.content[:2000]
    assert text(client.get(results_url(published))).count("<blockquote") == 1


@pytest.mark.django_db
def test_admin_deletes_and_edits_of_answers_are_visible_at_once(
    client, published, round_, organiser
):
    """Deleting an import, or editing an answer's group, in the admin left the organisers'
    live results on the old figures; renaming the municipality left the public page on the
    old name. (Published figures are frozen: they change with a re-run only.)"""
    from django.contrib import admin as django_admin

    from platsa.assessments.models import ImportBatch, Response
    from platsa.places.models import Area

    def admin_of(model):
        return django_admin.site._registry[model]

    request = type("R", (), {"user": None})()
    round_publish(round_=published, public=False)  # open and unpublished: live figures
    member = Client()
    member.force_login(organiser)
    live = reverse("assessments:results", args=[published.place.slug, published.slug])
    assert "40 svar" in text(member.get(live))
    extra = fill_round(round_, 5, seed=77, groups=["residents"])
    assert "45 svar" in text(member.get(live))
    admin_of(ImportBatch).delete_model(request, ImportBatch.objects.get(pk=extra.pk))
    assert "40 svar" in text(member.get(live))

    from platsa.assessments.snapshots import displayed_analysis

    def residents() -> int:
        results = displayed_analysis(Round.objects.get(pk=published.pk)).results
        return next(g.respondents for g in results.groups if g.group.key == "residents")

    answer = Response.objects.filter(round=published, group__key="residents").first()
    before = residents()
    answer.group = published.groups.get(key="young_people")
    admin_of(Response).save_model(request, answer, form=None, change=True)
    assert residents() == before - 1
    round_publish(round_=published, public=True)

    area = published.place.municipality
    area.name = "Borlänge-omdöpt"
    admin_of(Area).save_model(request, area, form=None, change=True)
    assert "Borlänge-omdöpt" in text(client.get(results_url(published)))

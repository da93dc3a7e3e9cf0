"""Who a visitor is and what they may open is remembered between writes (ACCESS_MEMO, on
with Redis): a cached member page then costs no query for the user or the membership, and
every write that could change the answer (a membership removed, a user switched off, a new
password, a process changed) is seen on the very next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platsa.places.models import Membership
from platsa.places.services import membership_remove
from platsa.processes.services import process_touch
from platsa.web import access_memo
from tests.web.test_mappings import mapping, neighbours  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(settings):
    settings.ACCESS_MEMO = True


def _url(mapping):  # noqa: F811
    return reverse("mappings:detail", args=[mapping.place.slug, mapping.slug])


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


def _warm(client, mapping, who):  # noqa: F811
    client.force_login(who)
    client.get(_url(mapping))  # shows (and clears) any message
    assert client.get(_url(mapping)).status_code == 200


def test_a_cached_member_page_asks_the_database_for_neither_user_nor_membership(
    client,
    memo,
    mapping,  # noqa: F811
    viewer,
):
    _warm(client, mapping, viewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(mapping)).status_code == 200
    assert "accounts_user" not in _tables(queries)
    assert "places_membership" not in _tables(queries)


def test_without_the_memo_both_are_asked_each_time(client, mapping, viewer):  # noqa: F811
    _warm(client, mapping, viewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(mapping)).status_code == 200
    assert "accounts_user" in _tables(queries)
    assert "places_membership" in _tables(queries)


def test_a_removed_member_is_refused_at_once(
    client,
    memo,
    mapping,  # noqa: F811
    viewer,
    django_capture_on_commit_callbacks,
):
    _warm(client, mapping, viewer)
    membership = Membership.objects.get(place=mapping.place, user=viewer)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(place=mapping.place, membership_id=membership.pk)
    assert client.get(_url(mapping)).status_code == 404


def test_a_switched_off_user_and_a_new_password_sign_out_at_once(
    client,
    memo,
    mapping,  # noqa: F811
    viewer,
    organiser,
    django_capture_on_commit_callbacks,
):
    _warm(client, mapping, viewer)
    with django_capture_on_commit_callbacks(execute=True):
        viewer.is_active = False
        viewer.save()
    assert client.get(_url(mapping)).status_code == 302  # to the sign-in page

    _warm(client, mapping, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        organiser.set_password("ett-helt-nytt-lösenord")
        organiser.save()
    assert client.get(_url(mapping)).status_code == 302


def test_a_changed_process_is_a_new_page_at_once(
    client,
    memo,
    mapping,  # noqa: F811
    owner,
    django_capture_on_commit_callbacks,
):
    _warm(client, mapping, owner)
    before = access_memo.generation(RequestFactory().get("/"))
    with django_capture_on_commit_callbacks(execute=True):
        process_touch(mapping.pk)  # an update(): no post_save, so it moves the stamp itself
    assert access_memo.generation(RequestFactory().get("/")) != before
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(mapping)).status_code == 200
    assert "places_membership" in _tables(queries)  # asked again under the new stamp


def test_a_write_moves_the_stamp_only_once_it_is_committed(memo, viewer):
    before = access_memo.generation(RequestFactory().get("/"))
    viewer.first_name = "Ny"
    viewer.save()  # inside the test's transaction: nothing committed yet
    assert access_memo.generation(RequestFactory().get("/")) == before


def test_each_request_gets_its_own_copy_of_the_user(client, memo, mapping, viewer):  # noqa: F811
    _warm(client, mapping, viewer)
    session = client.session
    users = []
    for _ in range(2):
        request = RequestFactory().get("/")
        request.session = session
        users.append(access_memo.user_for(request))
    assert users[0] == users[1] == viewer
    assert users[0] is not users[1]
    users[0].tampered = True
    assert not hasattr(users[1], "tampered")

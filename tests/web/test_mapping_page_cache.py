"""The comparison page is kept per member for a minute: a second visit reads no answers,
each member has their own copy (an organiser's buttons never reach a viewer), and what the
coordinator does (a phase, a programme) shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platsa.mappings.services import mapping_rounds
from tests.conftest import fill_round
from tests.web.test_mappings import mapping, neighbours  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _url(mapping, name="detail"):  # noqa: F811
    return reverse(f"mappings:{name}", args=[mapping.place.slug, mapping.slug])


def test_a_second_visit_reads_no_answers_and_copies_are_per_member(
    client,
    mapping,  # noqa: F811
    owner,
    viewer,
):
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 8 + i, seed=i + 1)
    client.force_login(owner)
    shown = client.get(_url(mapping))  # shows the message of the mapping's creation
    assert b'class="messages"' in shown.content
    first = client.get(_url(mapping))  # rendered and kept
    assert first.status_code == 200
    assert b'class="messages"' not in first.content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url(mapping))
    assert again.status_code == 200
    assert again.content == first.content.replace(
        first.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0],
        again.content.split(b'name="csrfmiddlewaretoken" value="')[1].split(b'"')[0],
    )
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any("assessments_response" in q for q in sqls), sqls
    assert "private" in again["Cache-Control"]
    owner_text = again.content.decode()
    assert "data-close-mapping" in owner_text

    client.force_login(viewer)
    text = client.get(_url(mapping)).content.decode()
    assert "data-close-mapping" not in text  # the viewer never gets the organiser's copy
    assert _url(mapping, "programme_draft") not in text


def test_what_the_coordinator_does_shows_at_once(client, mapping, owner):  # noqa: F811
    for i, round_ in enumerate(mapping_rounds(mapping)):
        fill_round(round_, 8, seed=i + 1)
    client.force_login(owner)
    assert "data-close-mapping" in client.get(_url(mapping)).content.decode()
    client.post(_url(mapping, "phase"), {"phase": "closed"})
    page = client.get(_url(mapping))  # with the message: rendered for this visit
    assert 'value="collecting"' in page.content.decode()
    page = client.get(_url(mapping))  # and from the cache after it
    assert 'value="collecting"' in page.content.decode()
    client.post(_url(mapping, "programme_draft"))
    client.get(_url(mapping, "programme_edit"))  # the message is shown there
    assert _url(mapping, "programme_page") in client.get(_url(mapping)).content.decode()


def test_a_bad_theme_is_not_found_and_not_kept(client, mapping, owner):  # noqa: F811
    fill_round(mapping_rounds(mapping)[0], 8, seed=1)
    client.force_login(owner)
    assert client.get(_url(mapping), {"theme": "nope"}).status_code == 404
    assert client.get(_url(mapping), {"theme": "nope"}).status_code == 404

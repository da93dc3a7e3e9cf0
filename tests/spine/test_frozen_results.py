"""Results frozen as records: what a board was shown stays what it was."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from platsa.assessments.models import Comment, FrozenRecommendation, ResultSnapshot, Round
from platsa.assessments.services import (
    comment_set_status,
    round_publish,
    round_rerun,
    round_set_status,
)
from platsa.assessments.snapshots import displayed_analysis
from platsa.core.analysis.recommend import ENGINE_VERSION
from tests.conftest import fill_round

pytestmark = pytest.mark.django_db


def _public(round_: Round) -> str:
    return reverse("public:results", args=[round_.place.slug, round_.slug])


def _fresh(round_: Round) -> Round:
    return Round.objects.select_related("process__place").get(pk=round_.pk)


def test_publishing_freezes_each_recommendation_as_a_row(round_, owner):
    fill_round(round_, 60, comment_rate=0.3)
    live = displayed_analysis(round_)  # open and unpublished: computed now
    assert live.snapshot is None
    round_publish(round_=round_, public=True, actor=owner)
    [snapshot] = ResultSnapshot.objects.filter(round=round_)
    assert (snapshot.version, snapshot.reason, snapshot.created_by) == (1, "published", owner)
    assert snapshot.engine_version == ENGINE_VERSION
    assert snapshot.respondents == 60
    rows = list(snapshot.recommendations.order_by("rank"))
    expected = live.recommendations.recommendations
    assert [r.action_id for r in rows] == [r.action.id for r in expected]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].reasons[0]["kind"] == str(expected[0].reasons[0].kind)
    assert sum(r.in_portfolio for r in rows) == len(live.recommendations.portfolio)
    # read back, the stored version is the same analysis as the live one
    shown = displayed_analysis(_fresh(round_))
    assert shown.snapshot == snapshot
    assert shown.results == live.results
    assert [r.action.id for r in shown.recommendations.recommendations] == [
        r.action.id for r in expected
    ]
    assert shown.recommendations.portfolio[0].reasons == live.recommendations.portfolio[0].reasons


def test_a_published_page_does_not_move_with_the_catalogue(client, round_, owner, monkeypatch):
    fill_round(round_, 60)
    round_publish(round_=round_, public=True, actor=owner)
    before = client.get(_public(round_)).content.decode()
    first = FrozenRecommendation.objects.filter(snapshot__round=round_).order_by("rank").first()
    title = first.action["title"]["sv"]
    assert title in before
    # The catalogue changes under it: the first action is renamed and its funding removed.
    from platsa.catalogue import selectors
    from platsa.web import pagecache

    real = selectors.shared_catalogue

    def changed(framework_id, version):
        catalogue = real(framework_id, version)
        action = catalogue.get(first.action_id)
        renamed = action.model_copy(
            update={"title": action.title.model_copy(update={"sv": "Ett helt annat namn"})}
        )
        actions = [renamed if a.id == action.id else a for a in catalogue.actions]
        return catalogue.model_copy(update={"actions": actions})

    monkeypatch.setattr(selectors, "shared_catalogue", changed)
    pagecache.forget_all()
    after = client.get(_public(round_)).content.decode()
    assert after == before
    assert "Ett helt annat namn" not in after


def test_closing_keeps_the_version_rerun_adds_one_and_old_ones_stay(client, round_, owner):
    fill_round(round_, 40)
    round_publish(round_=round_, public=True, actor=owner)
    round_set_status(round_=round_, status=Round.Status.CLOSED, actor=owner)
    assert round_.snapshots.count() == 1  # closed with the same answers: no second copy
    round_set_status(round_=round_, status=Round.Status.OPEN, actor=owner)
    fill_round(round_, 5, seed=9)
    round_set_status(round_=round_, status=Round.Status.CLOSED, actor=owner)
    assert list(round_.snapshots.values_list("version", "respondents", "reason")) == [
        (2, 45, "closed"),
        (1, 40, "published"),
    ]
    round_rerun(round_=round_, actor=owner)  # nothing changed since version 2: kept
    assert round_.snapshots.count() == 2
    fill_round(round_, 1, seed=10)
    round_rerun(round_=round_, actor=owner)
    assert round_.snapshots.count() == 3
    client.force_login(owner)
    page = reverse("assessments:results", args=[round_.place.slug, round_.slug])
    newest = client.get(page).content.decode()
    assert 'data-frozen-version="3"' in newest
    oldest = client.get(page + "?version=1").content.decode()
    assert 'data-frozen-version="1"' in oldest
    assert "40 svar" in oldest or "40 respondents" in oldest
    assert client.get(page + "?version=9").status_code == 404
    for junk in ("abc", "-1", "0", "１", "1.5", "9" * 30):
        assert client.get(page, {"version": junk}).status_code == 404, junk


def test_rerun_needs_an_organiser(client, round_, viewer, organiser):
    fill_round(round_, 10)
    url = reverse("assessments:rerun", args=[round_.place.slug, round_.slug])
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    client.force_login(organiser)
    assert client.post(url).status_code == 302
    assert round_.snapshots.get().created_by == organiser


def _quotes(recs) -> list[str]:
    return [
        r.values["quote"]
        for rec in recs.recommendations
        for r in rec.reasons
        if r.kind == "comment_match"
    ]


def test_a_quote_hidden_after_freezing_is_not_shown(round_, owner):
    """Moderation stays live: a comment hidden after publication leaves the frozen reasons."""
    from platsa.assessments.generated import round_fill_generated
    from platsa.assessments.management.commands.seed_demo import COMMENTS

    round_fill_generated(round_, 60, seed=3, comment_rate=1.0, comments=COMMENTS, user=owner)
    Comment.objects.filter(round=round_).update(status=Comment.Status.APPROVED)
    round_publish(round_=round_, public=True, actor=owner)
    frozen = displayed_analysis(_fresh(round_)).recommendations
    quoted = _quotes(frozen)
    assert quoted, "the generated comments should match some action"
    hide = [c for c in Comment.objects.filter(round=round_) if " ".join(c.text.split()) in quoted]
    for comment in hide:
        comment_set_status(round_=round_, comment_id=comment.pk, status="hidden")
    again = displayed_analysis(_fresh(round_)).recommendations
    still = _quotes(again)
    assert not set(still) & {" ".join(c.text.split()) for c in hide}


def test_a_round_published_before_versions_gets_its_first_one_when_shown(round_):
    from platsa.processes.models import Process

    fill_round(round_, 30)
    Process.objects.filter(round__pk=round_.pk).update(is_public=True)  # as migrated
    assert not round_.snapshots.exists()
    assert Client().get(_public(round_)).status_code == 200
    assert Client().get(_public(round_)).status_code == 200
    assert list(round_.snapshots.values_list("version", "reason")) == [(1, "first_shown")]

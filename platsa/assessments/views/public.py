"""The published results page, /p/<place>/<round>/: the page a whole village opens from a
shared link, served from the page cache until something it shows changes."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from platsa.assessments.analysis import analyse
from platsa.assessments.models import Response, Round
from platsa.assessments.presenters import results_context
from platsa.catalogue.selectors import shared_catalogue_digest
from platsa.web import pagecache


def _versions(place_slug: str, round_slug: str) -> dict | None:
    """The round, and the stamps of everything its public page shows, in one query.

    ``answers_at`` is the newest answer (given or edited) in this round and in the earlier
    rounds of the place with the same questionnaire (the change since the last round is on
    the page). Each inner lookup is one step down the (round, updated_at) index.
    """
    newest_in_round = (
        Response.objects.filter(round_id=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    newest_in_place = (
        Round.objects.filter(
            place_id=OuterRef("place_id"),
            framework_id=OuterRef("framework_id"),
            created_at__lte=OuterRef("created_at"),
        )
        .annotate(newest=Subquery(newest_in_round))
        .order_by("-newest")
        .values("newest")[:1]
    )
    return (
        Round.objects.filter(place__slug=place_slug, slug=round_slug)
        .annotate(answers_at=Subquery(newest_in_place))
        .values("pk", "results_public", "changed_at", "place__changed_at", "answers_at")
        .first()
    )


def public_results(request: HttpRequest, place_slug: str, round_slug: str) -> HttpResponse:
    found = _versions(place_slug, round_slug)
    if found is None or not found["results_public"]:
        raise Http404
    language = (get_language() or "sv")[:2]
    key = "results:" + pagecache.digest(
        found["pk"],
        found["changed_at"],
        found["place__changed_at"],
        found["answers_at"],
        shared_catalogue_digest(),
        language,
    )

    def render_page(for_cache: bool) -> HttpResponse:
        round_ = Round.objects.select_related("place", "place__municipality").get(pk=found["pk"])
        context = results_context(analyse(round_), public=True)
        return render(
            request,
            "assessments/results.html",
            {**context, "organiser": False, **pagecache.page_context(for_cache)},
        )

    return pagecache.serve(request, key, render_page, shared=True)

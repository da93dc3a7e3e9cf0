"""The published results page, /p/<place>/<round>/: the page a whole village opens from a
shared link, served from the page cache until something it shows changes."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from platsa.assessments.models import Round
from platsa.assessments.presenters import Audience, results_context
from platsa.assessments.snapshots import displayed_analysis
from platsa.assessments.versions import published_version
from platsa.web import pagecache


def public_results(request: HttpRequest, place_slug: str, round_slug: str) -> HttpResponse:
    found = published_version(place_slug, round_slug, (get_language() or "sv")[:2])
    if found is None:
        raise Http404
    round_id, version = found

    def render_page(for_cache: bool) -> HttpResponse:
        round_ = Round.objects.select_related("process__place__municipality").get(pk=round_id)
        context = results_context(displayed_analysis(round_), audience=Audience.PUBLIC)
        return render(
            request,
            "assessments/results.html",
            {**context, "organiser": False, **pagecache.page_context(for_cache)},
        )

    return pagecache.serve(request, f"results:{version}", render_page, shared=True)

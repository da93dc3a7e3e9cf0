"""The published results page, /p/<place>/<round>/: the page a whole village opens from a
shared link, served from the page cache until something it shows changes."""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from platsa.assessments.analysis import analyse
from platsa.assessments.models import Round
from platsa.assessments.presenters import results_context
from platsa.catalogue.selectors import shared_catalogue_digest
from platsa.web import pagecache

# One statement, written out: building it with the ORM's nested subqueries took longer than
# running it. Over this round and the earlier rounds of the place with the same questionnaire
# (the change since the last round is on the page, and only if that round is published):
# the newest answer given or edited, each one step down the (round, updated_at) index, and
# the newest other change (settings, publication, moderation, deletions).
VERSIONS_SQL = """
SELECT r.id, r.results_public, p.changed_at,
  (SELECT MAX((SELECT a.updated_at FROM assessments_response a
               WHERE a.round_id = e.id ORDER BY a.updated_at DESC LIMIT 1))
   FROM assessments_round e
   WHERE e.place_id = r.place_id AND e.framework_id = r.framework_id
     AND e.created_at <= r.created_at),
  (SELECT MAX(e.changed_at) FROM assessments_round e
   WHERE e.place_id = r.place_id AND e.framework_id = r.framework_id
     AND e.created_at <= r.created_at)
FROM assessments_round r JOIN places_place p ON p.id = r.place_id
WHERE p.slug = %s AND r.slug = %s
"""


def _versions(place_slug: str, round_slug: str) -> tuple | None:
    """The round's id, whether it is published, and the stamps of everything its public
    page shows: its own changes, the place's, and the newest answer."""
    with connection.cursor() as cursor:
        cursor.execute(VERSIONS_SQL, [place_slug, round_slug])
        return cursor.fetchone()


def public_results(request: HttpRequest, place_slug: str, round_slug: str) -> HttpResponse:
    found = _versions(place_slug, round_slug)
    if found is None or not found[1]:
        raise Http404
    round_id, _public, *stamps = found
    language = (get_language() or "sv")[:2]
    key = "results:" + pagecache.digest(round_id, *stamps, shared_catalogue_digest(), language)

    def render_page(for_cache: bool) -> HttpResponse:
        round_ = Round.objects.select_related("place", "place__municipality").get(pk=round_id)
        context = results_context(analyse(round_), public=True)
        return render(
            request,
            "assessments/results.html",
            {**context, "organiser": False, **pagecache.page_context(for_cache)},
        )

    return pagecache.serve(request, key, render_page, shared=True)

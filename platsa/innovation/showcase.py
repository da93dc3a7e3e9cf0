"""A place's public showcase, at /visning/<place>/: its story, its facts, its open
challenges, its best ideas and what came of them, in Swedish or English (the visitor's
language), with Open Graph tags for sharing, and a small widget other sites embed in an
iframe (the one page Platsa lets others frame).

Only what is public anyway is shown: open-innovation processes past preparation, their shown
ideas, and assessment rounds their organisers published. Cached for anonymous visitors on
the place's and its processes' change stamps.
"""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.clickjacking import xframe_options_exempt

from platsa.core.io.reference import SOURCES
from platsa.innovation import selectors
from platsa.innovation.models import Challenge, Idea, Innovation
from platsa.places.facts import area_facts
from platsa.places.models import Place
from platsa.processes.models import Process
from platsa.web import pagecache

DONE = (Idea.Status.SELECTED, Idea.Status.IN_PLAN, Idea.Status.DONE)


def _version(place: Place) -> str:
    stamps = Innovation.objects.filter(process__place=place).aggregate(
        ideas=Max("ideas_changed_at"), feed=Max("process__changed_at")
    )
    rounds = Process.objects.filter(place=place, kind="assessment").aggregate(at=Max("changed_at"))
    return pagecache.digest(
        place.pk,
        place.changed_at,
        stamps["ideas"],
        stamps["feed"],
        rounds["at"],
        (translation.get_language() or "sv")[:2],
        pagecache.build_id(),
    )


def _context(place: Place) -> dict[str, object]:
    processes = list(selectors.public_processes().filter(place=place).order_by("-created_at"))
    ideas = Idea.objects.filter(
        process__in=processes, visibility="shown", merged_into__isnull=True
    ).select_related("process")
    rounds = list(
        Process.objects.filter(place=place, kind="assessment", is_public=True)
        .select_related("round")
        .order_by("-created_at")[:3]
    )
    return {
        "place": place,
        "facts": [
            {"fact": f, "source": SOURCES.get(f.source)} for f in area_facts(place.municipality)
        ],
        "processes": processes,
        "challenges": list(
            Challenge.objects.filter(process__in=processes)
            .exclude(process__phase__in=("selection", "plan"))
            .select_related("process")[:6]
        ),
        "best": list(ideas.order_by("-support_count", "-created_at")[:5]),
        "results": list(ideas.filter(status__in=DONE).order_by("-changed_at")[:5]),
        "rounds": rounds,
    }


def _place(slug: str) -> Place:
    place = Place.objects.select_related("municipality__parent").filter(slug=slug).first()
    if place is None:
        raise Http404
    return place


def showcase(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = _place(place_slug)
    context = _context(place)
    if not context["processes"] and not context["rounds"]:
        raise Http404  # nothing public yet: the place is not shown off before it wants to be

    def render_page(for_cache: bool) -> HttpResponse:
        return render(
            request,
            "innovation/showcase.html",
            {**context, "share_url": request.build_absolute_uri(request.path)},
        )

    return pagecache.serve(request, "showcase:" + _version(place), render_page, shared=True)


@xframe_options_exempt
def widget(request: HttpRequest, place_slug: str) -> HttpResponse:
    """The place's open challenges and best ideas, small, for an iframe on the
    municipality's own site (frame-ancestors is opened for this page alone)."""
    place = _place(place_slug)
    context = _context(place)
    if not context["processes"]:
        raise Http404

    def render_page(for_cache: bool) -> HttpResponse:
        response = render(request, "innovation/widget.html", context)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
            "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors *"
        )
        return response

    response = pagecache.serve(request, "widget:" + _version(place), render_page, shared=True)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors *"
    )
    return response

"""A tiny process kind that exists only in the tests: a suggestion box. It proves that a new
kind needs nothing but its registry entry, its phases and its views: no migration, no change
to the spine."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.kinds import Feature, Phase, ProcessKind

SUGGESTION_BOX = ProcessKind(
    id="suggestion_box",
    label="Suggestion box",
    phases=(
        Phase("setup", "Setting up"),
        Phase("collecting", "Collecting", opens=frozenset({Feature.PROPOSE, Feature.COMMENT})),
        Phase("voting", "Voting", opens=frozenset({Feature.VOTE})),
        Phase("done", "Done", closed_message="The box is closed for good."),
    ),
    transitions={"setup": ("collecting",), "collecting": ("voting",), "voting": ("done",)},
)


@require_POST
def propose(request: HttpRequest, place: str, slug: str) -> HttpResponse:
    process, _role = get_process_for_user(
        request, place, slug, needs=Role.VIEWER, kind=SUGGESTION_BOX.id, feature=Feature.PROPOSE
    )
    return HttpResponse(f"proposed in {process.title}")


@require_POST
def advance(request: HttpRequest, place: str, slug: str) -> HttpResponse:
    from platsa.processes.services import process_set_phase

    process, _role = get_process_for_user(
        request, place, slug, needs=Role.ORGANISER, kind=SUGGESTION_BOX.id
    )
    process_set_phase(process=process, phase=request.POST["phase"], actor=request.user)
    return HttpResponse(process.phase)


def _site() -> list:
    from platsa.config.urls import urlpatterns as site

    return list(site)


# The kind's own views beside the site's (whose pages the base layout links to).
urlpatterns = [
    path("box/<slug:place>/<slug:slug>/propose/", propose),
    path("box/<slug:place>/<slug:slug>/advance/", advance),
    *_site(),
]

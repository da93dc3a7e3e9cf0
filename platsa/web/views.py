"""Pages that belong to no single domain: home, privacy, accessibility, data sources."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from platsa.core.reference import SOURCES
from platsa.places.models import Membership


def home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = Membership.objects.filter(user=request.user).select_related(
            "place", "place__municipality"
        )[:12]
    return render(request, "web/home.html", {"memberships": memberships})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sources.html", {"sources": SOURCES.values()})

"""Pages that belong to no single domain: home, privacy, accessibility, data sources."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from platsa.core.io.reference import SOURCES
from platsa.places.selectors import memberships_of
from platsa.web.language import remember_language
from platsa.web.pagecache import static_page


@static_page()
def home(request: HttpRequest) -> HttpResponse:
    memberships = memberships_of(request.user)[:12] if request.user.is_authenticated else []
    return render(request, "web/home.html", {"memberships": memberships})


@static_page()
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html")


@static_page()
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@static_page()
def designsystem(request: HttpRequest) -> HttpResponse:
    """Every component of the design system with its states, on one page (for designers,
    developers and reviewers; linked from the footer)."""
    return render(request, "web/designsystem.html")


@static_page()
def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sources.html", {"sources": SOURCES.values()})


def set_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the language with a plain link (a cookie, then back to the page).

    A link rather than Django's POST form: a form needs a CSRF token on every page, which
    would make every page different for every visitor and impossible to cache for a crowd.
    Changing someone's language is harmless, so a cross-site link to it can do no damage.
    """
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = remember_language(HttpResponseRedirect(target), code)
    response["Cache-Control"] = "private, no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an outdated or missing security token (the page was open while the
    person signed in elsewhere, or cookies are blocked): say what to do, in the layout,
    instead of Django's technical page."""
    return render(request, "web/csrf_failure.html", status=403)

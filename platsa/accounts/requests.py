"""The request type of views that only a signed-in organiser reaches."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from platsa.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``@login_required``: its user is an organiser, never anonymous.

    Only a type: Django passes an ordinary request. Annotating a view's request with it lets
    the type checker see ``request.user.email`` and the services' ``user: User`` without a
    cast in every view (the pattern django-stubs recommends).
    """

    user: User


class HtmxRequest(AuthenticatedRequest):
    """A signed-in request that may come from htmx (``django_htmx``'s middleware adds
    ``request.htmx``)."""

    htmx: HtmxDetails

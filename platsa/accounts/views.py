"""An organiser's own data: see it, download it, delete the account (GDPR art. 15, 17, 20)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.places.models import Membership, Role
from platsa.web.downloads import json_download


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(user=request.user).select_related("place")
    return render(request, "accounts/mine.html", {"memberships": memberships})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Everything stored about the organiser and everything recorded as made by them."""
    from allauth.account.models import EmailAddress

    from platsa.assessments.models import ImportBatch, Round
    from platsa.catalogue.models import LocalAction, LocalExample
    from platsa.places.models import Place

    user = request.user
    data = {
        "email": user.email,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "name": user.display_name,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "places": [
            {"place": m.place.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("place")
        ],
        "created": {
            "places": list(Place.objects.filter(created_by=user).values_list("name", flat=True)),
            "rounds": [
                f"{r.place.name}: {r.name}"
                for r in Round.objects.filter(created_by=user).select_related("place")
            ],
            "imports": [
                {
                    "round": b.round.name,
                    "file": b.filename,
                    "rows": b.rows,
                    "when": b.created_at.isoformat(),
                }
                for b in ImportBatch.objects.filter(uploaded_by=user).select_related("round")
            ],
            "actions": list(
                LocalAction.objects.filter(created_by=user).values_list("title_sv", flat=True)
            ),
            "examples": list(
                LocalExample.objects.filter(created_by=user).values_list("example_place", flat=True)
            ),
        },
    }
    return json_download(data, "platsa-mina-uppgifter.json")


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account. A place whose only owner this is would be left without one, so
    the owner must first hand it over (or the place is kept and the account stays)."""
    user = request.user
    sole = [
        m.place.name
        for m in Membership.objects.filter(user=user, role=Role.OWNER).select_related("place")
        if m.place.memberships.filter(role=Role.OWNER).count() == 1
    ]
    if sole:
        messages.error(
            request,
            _("First make someone else owner of: %(places)s.") % {"places": ", ".join(sole)},
        )
        return redirect("accounts:mine")
    logout(request)
    user.delete()
    messages.success(request, _("Your account and your personal data have been deleted."))
    return redirect("home")

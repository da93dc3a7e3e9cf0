"""An organiser's own data: see it, download it, delete the account (GDPR art. 15, 17, 20)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.accounts.selectors import personal_data
from platsa.accounts.services import AccountError, account_delete
from platsa.places.selectors import memberships_of
from platsa.web.downloads import json_download


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/mine.html", {"memberships": memberships_of(request.user)})


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Everything stored about the organiser and everything recorded as made by them."""
    return json_download(personal_data(request.user), "platsa-mina-uppgifter.json")


@login_required
@require_POST
def delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account. A place whose only owner this is would be left without one, so
    the owner must first hand it over (or the place is kept and the account stays)."""
    try:
        account_delete(user=request.user)
    except AccountError as exc:
        messages.error(
            request,
            _("First make someone else owner of: %(places)s.") % {"places": ", ".join(exc.places)},
        )
        return redirect("accounts:mine")
    logout(request)
    messages.success(request, _("Your account and your personal data have been deleted."))
    return redirect("home")

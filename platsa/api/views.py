"""The page where a signed-in person makes, sees and revokes their API tokens.

A new token's clear text is in the answer to the form that made it, and nowhere else: the
page is rendered there and then (not after a redirect, which would need the token kept in
the session), with ``Cache-Control: no-store`` so that no browser history or proxy keeps it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.api.api import language_of
from platsa.api.models import NAME_MAX, ApiToken
from platsa.api.tokens import TOKENS_MAX, TokenError, token_create, token_revoke

TOKEN_ERRORS = {
    "name_missing": gettext_lazy("Give the token a name, for example the program that uses it."),
    "too_many": gettext_lazy("You have %(limit)s tokens already: revoke one you no longer use."),
}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the token"),
        max_length=NAME_MAX,
        help_text=gettext_lazy("What uses it, for example “The municipality's website”."),
    )


@never_cache
@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    made: str | None = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, made = token_create(user=request.user, name=form.cleaned_data["name"])
        except TokenError as error:
            form.add_error(
                "name", str(TOKEN_ERRORS.get(error.code, error.code)) % {"limit": TOKENS_MAX}
            )
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "made": made,
            "tokens": ApiToken.objects.filter(user=request.user),
            "schema_url": "/api/openapi.json",
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404  # someone else's token is not there for you
    if token_revoke(token=token, user=request.user):
        messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return HttpResponseRedirect(reverse("api_tokens"))


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: a JSON 404 like the API's own, not the HTML page."""
    with translation.override(language_of(request)):
        response = JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    response["Cache-Control"] = "no-cache"
    return response

"""Participants sign in with a code sent by e-mail: one address, one code, back where they were.

People taking part in an open-innovation process read without an account; to post, comment,
support or pledge they give their address here and type the code that arrives. Whether the
address already has an account makes no difference to what the page says or does (nobody
can learn from it who has an account): an address without one gets an account at once, with
no usable password and an unverified address, and allauth's own login-by-code process sends
and checks the code, counts wrong codes and verifies the address when the right code comes.

Why an account made here cannot be taken over, as platsa.accounts.security describes for
password sign-ups: it has no password, so the only way in is a code sent to the address,
which only the address's owner reads. An organiser's account (password or code) is found
by the same lookup allauth uses and signs in exactly as through allauth's own code pages; if
a stranger had signed up with the address and set a password, the code proves the address
and ``security.address_proven`` drops that password, as before.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import ConfirmLoginCodeForm
from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import EmailAddress
from allauth.account.stages import LoginByCodeStage, LoginStageController
from allauth.core import ratelimit as allauth_ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from platsa.accounts.models import User
from platsa.accounts.requests import AuthenticatedRequest
from platsa.web.ratelimit import hit

log = logging.getLogger(__name__)

#: Requests for a code per client address (count/seconds), beside allauth's own
#: ``request_login_code`` limits (per client and per address). Each request may create an
#: account and sends an e-mail; a venue or a phone network shares one address among many
#: people, so the allowance is for a crowded room, not for one person.
DEFAULT_RATE = "30/600"
EMAIL_MAX_LENGTH = 254  # RFC 5321's path limit; User.email and EmailAddress.email hold 254
NEXT_MAX_LENGTH = 2000
DISPLAY_NAME_MAX_LENGTH = 60
#: Combining marks kept after one base character: Vietnamese needs two; more only stack
#: into "zalgo" text that spills over the lines around it.
MAX_COMBINING = 2
#: Letters that draw nothing (Hangul fillers, the blank braille pattern): a name made of them
#: looks empty but is not.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
#: Unicode categories dropped from names: controls, format characters (zero-width spaces
#: and joiners, bidi marks, embeddings, overrides and isolates, the BOM, soft hyphens),
#: private use, surrogates and unassigned code points.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})

TOO_MANY = gettext_lazy("Too many tries: wait a few minutes and try again.")


def rate() -> str:
    return getattr(settings, "PLATSA_CODE_SIGNIN_RATE", DEFAULT_RATE)


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address sent with the request if it stays on this site, else ``""``.

    ``url_has_allowed_host_and_scheme`` refuses other hosts, scheme-relative addresses
    (``//evil.example``), backslash tricks and ``javascript:``; on an HTTPS request an
    ``http://`` address of our own host is refused too.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate
        and len(candidate) <= NEXT_MAX_LENGTH
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _after_sign_in(next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


# --- Forms ---------------------------------------------------------------------------------


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "email",
            }
        ),
    )

    def clean_email(self) -> str:
        """Stored and compared in lower case, as the account model and allauth do."""
        return self.cleaned_data["email"].strip().lower()


class CodeForm(ConfirmLoginCodeForm):
    """allauth's own code form (its comparison ignores case, dashes and spaces), worded and
    marked up for a phone: the code can be filled from the e-mail by the keyboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = _("Code")
        field.help_text = _("Eight letters and digits, as in the e-mail.")
        field.widget.attrs = {
            "autocomplete": "one-time-code",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": "32",
        }


def clean_display_name(value: str) -> str:
    """A name as people will see it: no invisible or direction-changing characters, no
    line breaks, single spaces, no stacks of combining marks.

    NFKC folds look-alike forms (full-width letters, ligatures) into plain ones (taken apart
    first, so that marks are counted however they were typed, and put together again). Format
    characters are dropped, which also splits emoji joined by a zero-width joiner into their
    parts: a name does not need them, and they are how a name hides or reverses text.
    """
    value = unicodedata.normalize("NFKD", value)  # marks apart from letters, to count them
    kept: list[str] = []
    combining = 0
    for char in value:
        category = unicodedata.category(char)
        if category.startswith("Z") or char in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85":
            kept.append(" ")
            combining = 0
        elif category in DROPPED_CATEGORIES or char in BLANK_LETTERS:
            continue
        elif category in ("Mn", "Me"):
            combining += 1
            if combining <= MAX_COMBINING and kept and kept[-1] != " ":
                kept.append(char)
        else:
            kept.append(char)
            combining = 0
    return unicodedata.normalize("NFC", " ".join("".join(kept).split()))


class DisplayNameField(forms.CharField):
    """Cleans before the length is checked: 60 characters as shown, not as typed."""

    def to_python(self, value: Any) -> str:
        return clean_display_name(super().to_python(value) or "")


class DisplayNameForm(forms.Form):
    display_name = DisplayNameField(
        label=gettext_lazy("Your name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "Shown beside your ideas and comments. At most 60 characters. Leave it empty "
            "to be shown without a name."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


# --- Accounts ------------------------------------------------------------------------------


def account_for_address(email: str) -> User | None:
    """The account allauth's login by code would pick for ``email``, or a new one.

    A new account has no usable password and an unverified, primary address: nothing can
    enter it but a code sent to the address. ``None`` when an inactive account holds the
    address (allauth then sends its "no account" mail, and no code can work).
    """
    users = filter_users_by_email(email, prefer_verified=True, for_login=True)
    active = [u for u in users if u.is_active]
    if active:
        return active[0]
    if users:
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=None)
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    except IntegrityError:  # the same address sent twice at once: the other request made it
        users = filter_users_by_email(email, prefer_verified=True, for_login=True)
        return next((u for u in users if u.is_active), None)
    log.info("Account %s made for a sign-in by code", user.pk)
    return user


def forget_unused_accounts(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete accounts made here whose code was never entered; returns how many.

    Anyone can type any address, so an account may be made for someone who never asked:
    it holds nothing but the address (no password, never signed in, the address never
    proven), and keeping it would keep a stranger's address for no purpose. Meant to run
    daily (the lead's job scheduler); an account that was ever used is never touched.
    """
    unused = User.objects.filter(
        last_login__isnull=True,
        date_joined__lt=timezone.now() - older_than,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
        is_staff=False,
        is_superuser=False,
    ).exclude(emailaddress__verified=True)
    count = 0
    for user in unused.iterator():
        user.delete()
        count += 1
    if count:
        log.info("Deleted %s accounts whose sign-in code was never entered", count)
    return count


# --- Views ---------------------------------------------------------------------------------


def _email_page(
    request: HttpRequest,
    form: EmailForm,
    next_url: str,
    *,
    status: int = 200,
    limited: bool = False,
) -> HttpResponse:
    return render(
        request,
        "accounts/code_signin.html",
        {"form": form, "next": next_url, "limited": limited, "too_many": TOO_MANY},
        status=status,
    )


@never_cache
def code_signin(request: HttpRequest) -> HttpResponse:
    """One address field; a code is sent to it and the next page asks for the code.

    The answer is the same for every well-formed address (a redirect to the code page, and
    allauth's "a sign-in code has been sent" message): which addresses have accounts cannot
    be told from it.
    """
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return _after_sign_in(next_url)
    if request.method != "POST":
        return _email_page(request, EmailForm(), next_url)
    form = EmailForm(request.POST)
    if cache.add("platsa:forget-unused-accounts", 1, 3600):
        # At most hourly, with no scheduler needed: strangers' addresses typed here and
        # never confirmed are not kept (see forget_unused_accounts).
        forget_unused_accounts()
    if not hit(request, "code-signin", rate()):
        return _email_page(request, form, next_url, status=429, limited=True)
    if not form.is_valid():
        return _email_page(request, form, next_url, status=400)
    email = form.cleaned_data["email"]
    # allauth's limits on asking for codes: per client, and per address (a code at most
    # every so often to one inbox, however many clients ask).
    if not allauth_ratelimit.consume(request, action="request_login_code", key=email):
        return _email_page(request, form, next_url, status=429, limited=True)
    LoginCodeVerificationProcess.initiate(
        request=request, user=account_for_address(email), email=email
    )
    return HttpResponseRedirect(with_next(reverse("accounts:code_signin_confirm"), next_url))


@never_cache
@sensitive_post_parameters("code")
def code_signin_confirm(request: HttpRequest) -> HttpResponse:
    """The code from the e-mail; right, and the person is signed in and sent on.

    allauth's process keeps the code in the session, with its time limit and its count of
    wrong tries: after ``ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS`` wrong codes it is thrown away
    and a new one must be asked for. The right code verifies the address.
    """
    next_url = safe_next(request)
    start_again = with_next(reverse("accounts:code_signin"), next_url)
    if request.user.is_authenticated:
        return _after_sign_in(next_url)
    stage = LoginStageController.enter(request, LoginByCodeStage.key)
    if stage is None:  # no code asked for in this browser (or it was used up)
        return HttpResponseRedirect(start_again)
    process = LoginCodeVerificationProcess.resume(stage)
    if process is None:
        messages.error(request, _("The code is no longer valid. Ask for a new one."))
        return HttpResponseRedirect(start_again)
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST, code=process.code)
        if form.is_valid():
            return process.finish(next_url or None)
        if not process.record_invalid_attempt():
            messages.error(request, _("Too many wrong codes. Ask for a new code."))
            return HttpResponseRedirect(start_again)
        status = 400
    else:
        form = CodeForm(code=process.code)
    return render(
        request,
        "accounts/code_signin_confirm.html",
        {
            "form": form,
            "next": next_url,
            "email": process.state.get("email", ""),
            "minutes": max(1, allauth_settings.LOGIN_BY_CODE_TIMEOUT // 60),
            "start_again": start_again,
        },
        status=status,
    )


@never_cache
@login_required(login_url=reverse_lazy("accounts:code_signin"))
def display_name(request: AuthenticatedRequest) -> HttpResponse:
    """The name shown on what a participant posts (optional; templates escape it)."""
    next_url = safe_next(request)
    status = 200
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            request.user.display_name = form.cleaned_data["display_name"]
            request.user.save(update_fields=["display_name"])
            messages.success(request, _("Your name is saved."))
            return HttpResponseRedirect(next_url or reverse("accounts:display_name"))
        status = 400
    else:
        form = DisplayNameForm(initial={"display_name": request.user.display_name})
    return render(
        request,
        "accounts/code_signin_name.html",
        {"form": form, "next": next_url},
        status=status,
    )

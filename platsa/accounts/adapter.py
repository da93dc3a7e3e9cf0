"""How allauth behaves in Platsa: rate limits that cannot lock someone else out, and
e-mails signed by Platsa rather than by the server's host name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from platsa.accounts.security import mark_signed_up_here
from platsa.web.ratelimit import client_key

SITE_NAME = "Platsa"


@dataclass(frozen=True)
class SiteInfo:
    """What allauth's e-mail templates read from ``current_site``."""

    name: str
    domain: str


def site_info(request: HttpRequest | None) -> SiteInfo:
    """Platsa's name, and its public address (``PLATSA_SITE_URL``) or the request's host."""
    if settings.PLATSA_SITE_URL:
        domain = urlsplit(settings.PLATSA_SITE_URL).netloc or settings.PLATSA_SITE_URL
    elif request is not None:
        domain = request.get_host()
    else:
        domain = ""
    return SiteInfo(SITE_NAME, domain)


class PlatsaAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Say what still works: a code by e-mail is not subject to the password limits.
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts with a password. Sign in with a code sent to "
            "your e-mail instead (the button below), or try again later."
        ),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failed password logins per client *and* account, not per account alone.

        allauth's default key is the e-mail address, so anyone who knows an organiser's
        address could lock her out of password login with five wrong passwords. Keyed on
        the pair, an attacker only locks himself out; the per-address limit below
        (``login_failed_account``) still stops a brute force spread over many addresses,
        and login by e-mailed code keeps working throughout.
        """
        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{client_key(request)}:{login}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        login = credentials.get("email", credentials.get("username", "")).lower()
        usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=login
        )
        if not usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        self._account_rl_usage = usage

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()
            self._account_rl_usage = None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        saved = super().save_user(request, user, form, commit)
        mark_signed_up_here(request, saved)  # the password chosen here stays (security.py)
        return saved

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails, with ``current_site`` naming Platsa (not "127.0.0.1:8000")."""
        request = context.get("request") or allauth_context.request
        ctx = {"email": email, **context, "current_site": site_info(request)}
        super().send_mail(template_prefix, email, ctx)

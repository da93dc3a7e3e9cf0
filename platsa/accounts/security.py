"""An e-mail address proven for the first time takes the account over from whoever made it.

Anyone can sign up with someone else's address; they cannot use the account (the address
must be verified with a code sent to it), but they set its password. If the real person
later proves the address another way (login by e-mailed code, an invitation), the account
becomes hers, and the stranger's password must stop working. The person who signed up and
entered the code in the same browser session keeps the password she chose.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest

SIGNED_UP_SESSION_KEY = "platsa_signed_up_user"
log = logging.getLogger(__name__)


def mark_signed_up_here(request: HttpRequest, user: Any) -> None:
    """Remember that this session created ``user`` (and chose its password)."""
    request.session[SIGNED_UP_SESSION_KEY] = user.pk


def address_proven(request: HttpRequest | None, email_address: Any) -> None:
    """Called when allauth marks an address verified. On the account's first proven address,
    proven outside the session that signed up, drop the password set before (and with it
    every session that used it)."""
    from allauth.account.models import EmailAddress

    user = email_address.user
    earlier = EmailAddress.objects.filter(user=user, verified=True).exclude(pk=email_address.pk)
    if earlier.exists() or not user.has_usable_password():
        return
    if request is not None and request.session.get(SIGNED_UP_SESSION_KEY) == user.pk:
        return
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if request is not None and getattr(request, "user", None) == user:
        update_session_auth_hash(request, user)
    log.info("Account %s: first proven address; the password set before was dropped", user.pk)

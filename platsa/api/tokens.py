"""Making, checking and revoking API tokens (the writes of :mod:`platsa.api.models`).

A token is ``plt_`` and 43 random URL-safe characters (256 bits): unguessable, so looking it
up by its hash needs no comparison in constant time, and a stolen database gives nothing
that works. ``last_used_at`` is written at most once a minute per token, so that a program
sending many requests does not turn every one into a database write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from platsa.accounts.models import User
from platsa.api.models import NAME_MAX, ApiToken
from platsa.innovation.text import clean_line

PREFIX = "plt_"
TOKENS_MAX = 20  # active tokens per person: one per program is plenty
USED_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """``code``: name_missing, too_many, not_yours."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its clear text, which is shown this once and never again."""
    clean = clean_line(name)[:NAME_MAX]
    if not clean:
        raise TokenError("name_missing")
    # Lock the person's row so two requests at once cannot both pass the count.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= TOKENS_MAX:
        raise TokenError("too_many")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=clean, token_hash=token_hash(raw), prefix=raw[: len(PREFIX) + 4]
    )
    return token, raw


def token_revoke(*, token: ApiToken, user: User) -> bool:
    """Stop ``token`` working at once. True when it was active. Only its owner may."""
    if token.user_id != user.pk:
        raise TokenError("not_yours")
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return changed > 0


def token_user(raw: str) -> User | None:
    """The active person an active token belongs to, or None (unknown, revoked, or the
    account was deactivated)."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

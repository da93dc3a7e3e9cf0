"""Who a signed-in visitor is and what they may open, remembered in each process between
changes, for the member pages that are served from the cache.

Serving a cached member page still cost two database queries: the user row (Django's
authentication) and the membership check (:func:`platsa.processes.access.process_access`),
about 0.8 ms of a 1.7 ms request. Both answers change only when a user, a membership, a
place or a process is written, which is rare beside reads. So every such write moves one
*generation* stamp in the shared cache (after its transaction commits), and each process
keeps the answers it found under the generation they were found in: one small cache read
per request instead of two queries, and never an answer older than the last write.

Only with a shared cache (Redis, ``ACCESS_MEMO``): with each process's own memory, a
write in one process (a management command, the admin in another worker) could not move
the stamp the others read.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from platsa.web.recent import Recent

KEY = "platsa:access-generation"
T = TypeVar("T")

_answers: Recent[Any] = Recent(size=4096)


def enabled() -> bool:
    return bool(getattr(settings, "ACCESS_MEMO", False))


def generation(request: HttpRequest) -> str:
    """The stamp for this request, read once per request."""
    stamp: str | None = getattr(request, "_platsa_generation", None)
    if stamp is None:
        stamp = cache.get(KEY)
        if stamp is None:
            stamp = uuid.uuid4().hex
            if not cache.add(KEY, stamp, timeout=None):
                stamp = cache.get(KEY) or stamp
        request._platsa_generation = stamp  # type: ignore[attr-defined]
    return stamp


def bump() -> None:
    """Forget every remembered answer, in every process, once the current transaction has
    committed (before it, another request could remember the old rows under the new stamp)."""
    transaction.on_commit(lambda: cache.set(KEY, uuid.uuid4().hex, timeout=None), robust=True)


def remembered(request: HttpRequest, key: str, find: Callable[[], T | None]) -> T | None:
    """``find()``'s answer for ``key`` under this request's generation; ``None`` answers
    (nothing found, refused) are not kept."""
    if not enabled():
        return find()
    full_key = f"{generation(request)}:{key}"
    found = _answers.get(full_key)
    if found is None:
        found = find()
        if found is not None:
            _answers.put(full_key, found)
    return found


def user_for(request: HttpRequest) -> Any:
    """Django's ``auth.get_user`` (session, backend and session-hash checks), with a
    verified user remembered under its session's user id, backend and hash. A copy is
    returned, so nothing a view sets on its user reaches the next request."""
    if not enabled():
        return auth.get_user(request)
    session = request.session
    try:
        key = "user:" + ":".join(
            str(session[name])
            for name in (auth.SESSION_KEY, auth.BACKEND_SESSION_KEY, auth.HASH_SESSION_KEY)
        )
    except KeyError:
        return auth.get_user(request)

    def find() -> Any:
        user = auth.get_user(request)
        return user if user.is_authenticated else None

    user = remembered(request, key, find)
    return copy.copy(user) if user is not None else AnonymousUser()


def _on_write(sender: object, **kwargs: object) -> None:
    bump()


def connect() -> None:
    """Move the generation on every write to the rows the answers are made of."""
    from platsa.accounts.models import User
    from platsa.innovation.models import Innovation, Moderator, Profile
    from platsa.places.models import Membership, Place
    from platsa.processes.models import Process

    # Innovation and Moderator: a remembered open-innovation process carries its settings,
    # and a process's moderators are part of who may do what. Profile: whether a person has
    # one is remembered for the message after a support.
    for model in (User, Membership, Place, Process, Innovation, Moderator, Profile):
        for signal in (post_save, post_delete):
            signal.connect(_on_write, sender=model, dispatch_uid=f"access-memo-{model.__name__}")


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with :func:`user_for` in place of ``auth.get_user``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)

        def user() -> Any:
            if not hasattr(request, "_cached_user"):
                request._cached_user = user_for(request)  # type: ignore[attr-defined]
            return request._cached_user  # type: ignore[attr-defined]

        request.user = SimpleLazyObject(user)  # type: ignore[assignment]  # as Django does

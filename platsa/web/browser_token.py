"""A browser known by a random token in a cookie, for pages where people take part without
an account (a conversation's votes, a workshop's answers). The token is read, or made, once
per request, so every part of the request counts it alike; it is set on the response only
when it was made here. What is stored of it is the caller's keyed hash, never the token."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOKEN_CHARS = 43  # secrets.token_urlsafe(32)


def browser_token(request: HttpRequest, cookie: str) -> tuple[str, bool]:
    """The token in ``cookie``, or a new one; and whether it is new."""
    made: dict[str, tuple[str, bool]] = request.__dict__.setdefault("_platsa_tokens", {})
    if cookie not in made:
        token = request.COOKIES.get(cookie, "")
        if len(token) == TOKEN_CHARS and token.replace("-", "").replace("_", "").isalnum():
            made[cookie] = (token, False)
        else:
            made[cookie] = (secrets.token_urlsafe(32), True)
    return made[cookie]


def remember_browser(
    response: HttpResponse, request: HttpRequest, cookie: str, *, max_age: int
) -> HttpResponse:
    """Set the cookie if this request made the token."""
    token, new = browser_token(request, cookie)
    if new:
        response.set_cookie(
            cookie,
            token,
            max_age=max_age,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response

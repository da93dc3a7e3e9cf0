"""The visitor's language: Swedish unless they chose English, remembered in a cookie."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def chosen_language(code: str) -> str:
    """``code`` if Platsa speaks it, else the default (Swedish)."""
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def remember_language(response: HttpResponse, code: str) -> HttpResponse:
    """Keep the choice for a year (platsa.web.middleware reads it on every request)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen_language(code),
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]  # "Lax"
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response

"""Refuse to serve with settings that would leak or lose people's data."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Backends that never deliver mail: they print it, keep it in memory, or drop it.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def require_real_email() -> None:
    """The web server needs a real e-mail backend, or an explicit EMAIL_TO_CONSOLE=true.

    E-mails carry one-time login codes and password-reset links. Printed to a server's log
    they give anyone who reads the log the accounts; silently dropped, nobody can log in
    by code. So a server without SMTP settings does not start, unless the person starting
    it said that printing e-mails is what they want (development: ./dev run does).
    """
    backend = settings.EMAIL_BACKEND
    if settings.EMAIL_TO_CONSOLE:
        return
    if backend in UNDELIVERED:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND is {backend}, which does not deliver e-mail. Set EMAIL_HOST (and "
            "EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) for SMTP, or "
            "EMAIL_TO_CONSOLE=true to print e-mails in the terminal (development only)."
        )
    if backend == "django.core.mail.backends.smtp.EmailBackend" and not settings.EMAIL_HOST:
        raise ImproperlyConfigured(
            "No e-mail server: set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, "
            "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS), or EMAIL_TO_CONSOLE=true to print e-mails "
            "in the terminal (development only)."
        )

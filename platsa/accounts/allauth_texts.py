"""django-allauth's texts that Platsa translates itself.

allauth's own Swedish catalogue has a wrong sentence on the login page: above the link to
sign up it says "Har du redan ett konto? Då kan du logga in." ("Already have an account?
Then sign in"), copied from the sign-up page. Our catalogue comes first (LOCALE_PATHS), so
a message id listed here, with its translation in platsa/locale, replaces allauth's. They
are marked here so that `makemessages` keeps them in our catalogue.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message


OVERRIDES = (
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
)

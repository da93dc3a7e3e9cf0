"""Participants sign in with an e-mailed code (platsa.accounts.code_signin): one page for every
address, an account made for a new one, allauth's code checks, a safe way back, limits,
and a display name that cannot hide or reverse text."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from platsa.accounts.code_signin import clean_display_name

pytestmark = pytest.mark.django_db

PAGE = "/konto/mitt/kod/"
CONFIRM = "/konto/mitt/kod/bekrafta/"
NAME_PAGE = "/konto/mitt/namn/"
CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def code_for(email: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if email in m.to)
    return CODE.search(body).group(1)


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:mine")).status_code == 200


def ask(client: Client, email: str, next_url: str = "") -> object:
    data = {"email": email}
    if next_url:
        data["next"] = next_url
    return client.post(PAGE, data)


def test_the_urls_are_where_the_ideas_pages_link():
    assert reverse("accounts:code_signin") == PAGE
    assert reverse("accounts:code_signin_confirm") == CONFIRM
    assert reverse("accounts:display_name") == NAME_PAGE


def test_the_page_has_one_labelled_bounded_address_field(client):
    page = client.get(PAGE + "?next=/platser/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert re.search(r'<label class="ds-label" for="id_email">', html)
    field = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'type="email"' in field
    assert 'maxlength="254"' in field
    assert 'autocomplete="email"' in field
    assert 'id="id_email"' in field
    assert '<input type="hidden" name="next" value="/platser/">' in html
    assert len(re.findall(r"<input(?![^>]*type=\"hidden\")", html)) == 1  # one field only


def test_a_new_address_gets_an_account_a_code_and_is_sent_back(django_user_model):
    participant = Client()
    response = ask(participant, "Ny.Deltagare@Example.org", "/samtal/abc/?tab=ideer")
    assert response.status_code == 302
    assert response["Location"] == CONFIRM + "?next=%2Fsamtal%2Fabc%2F%3Ftab%3Dideer"
    user = django_user_model.objects.get(email="ny.deltagare@example.org")
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (
        "ny.deltagare@example.org",
        True,
        False,
    )
    assert not signed_in(participant)  # the account alone lets nobody in

    page = participant.get(response["Location"])
    html = page.content.decode()
    assert "ny.deltagare@example.org" in html
    assert 'autocomplete="one-time-code"' in html
    assert '<input type="hidden" name="next" value="/samtal/abc/?tab=ideer">' in html

    done = participant.post(
        CONFIRM,
        {"code": code_for("ny.deltagare@example.org"), "next": "/samtal/abc/?tab=ideer"},
    )
    assert done.status_code == 302
    assert done["Location"] == "/samtal/abc/?tab=ideer"
    assert signed_in(participant)
    address.refresh_from_db()
    assert address.verified  # the code proved the address
    assert django_user_model.objects.count() == 1


def test_the_code_may_be_typed_in_lower_case_without_the_dash():
    participant = Client()
    ask(participant, "liten@example.org")
    code = code_for("liten@example.org").replace("-", "").lower()
    assert participant.post(CONFIRM, {"code": f" {code} "}).status_code == 302
    assert signed_in(participant)


@pytest.mark.parametrize(
    "evil",
    [
        "//evil.example/",
        "https://evil.example/",
        "http://testserver.evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_a_next_to_another_site_is_refused(evil):
    participant = Client()
    response = ask(participant, "vilse@example.org", evil)
    assert response["Location"] == CONFIRM  # not passed on
    done = participant.post(CONFIRM, {"code": code_for("vilse@example.org"), "next": evil})
    assert done.status_code == 302
    assert done["Location"] == reverse("places:list")  # LOGIN_REDIRECT_URL, not elsewhere
    assert "evil" not in done["Location"]
    assert signed_in(participant)


def test_an_organiser_uses_the_same_page_and_keeps_her_password(owner):
    organiser = Client()
    response = ask(organiser, owner.email, "/platser/")
    assert response.status_code == 302
    assert response["Location"] == CONFIRM + "?next=%2Fplatser%2F"
    done = organiser.post(CONFIRM, {"code": code_for(owner.email), "next": "/platser/"})
    assert done["Location"] == "/platser/"
    assert signed_in(organiser)
    owner.refresh_from_db()
    assert owner.has_usable_password()
    by_password = Client()
    login = by_password.post(
        reverse("account_login"), {"login": owner.email, "password": "a-long-test-password"}
    )
    assert login.status_code == 302
    assert signed_in(by_password)


def _page_for(email: str) -> tuple[int, str, str, str, str]:
    """What a stranger asking for ``email``'s code sees and what is sent, with the address
    and the code itself left out (they differ by design)."""
    mail.outbox.clear()
    stranger = Client()
    response = ask(stranger, email, "/platser/")
    page = stranger.get(response["Location"])
    html = CSRF.sub("", page.content.decode()).replace(email, "ADDRESS")
    [message] = mail.outbox
    body = CODE.sub("CODE", message.body).replace(email, "ADDRESS")
    return response.status_code, response["Location"], html, message.subject, body


def test_the_answer_is_the_same_whether_an_account_exists(owner, django_user_model):
    known = _page_for(owner.email)
    unknown = _page_for("aldrig-sedd@example.org")
    assert known == unknown
    assert known[0] == 302
    assert "En inloggningskod har skickats till ADDRESS." in known[2]
    assert django_user_model.objects.filter(email="aldrig-sedd@example.org").exists()


def test_an_inactive_account_gets_the_same_answer_and_no_way_in(django_user_model):
    django_user_model.objects.create_user(email="avstangd@example.org", is_active=False)
    stranger = Client()
    response = ask(stranger, "avstangd@example.org")
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    assert stranger.get(CONFIRM).status_code == 200
    assert not CODE.search(mail.outbox[-1].body)  # allauth's "no account" mail, no code
    assert stranger.post(CONFIRM, {"code": "AAAA-BBBB"}).status_code == 400
    assert not signed_in(stranger)
    assert django_user_model.objects.filter(email="avstangd@example.org").count() == 1


def test_wrong_codes_are_counted_and_the_code_is_dropped_after_three():
    participant = Client()
    ask(participant, "gissare@example.org", "/platser/")
    right = code_for("gissare@example.org")
    for _ in range(2):
        wrong = participant.post(CONFIRM, {"code": "AAAA-AAAA", "next": "/platser/"})
        assert wrong.status_code == 400
        html = wrong.content.decode()
        assert "Felaktig kod." in html  # allauth's message, in Swedish
        assert 'aria-invalid="true"' in html
        assert re.search(r'<ul class="errorlist" id="id_code_error">', html)
        assert re.search(r'aria-describedby="id_code_helptext id_code_error"', html)
    participant.cookies["platsa_lang"] = "en"  # the English msgid (Swedish comes later)
    third = participant.post(CONFIRM, {"code": "AAAA-AAAA", "next": "/platser/"})
    assert third.status_code == 302
    assert third["Location"] == PAGE + "?next=%2Fplatser%2F"
    assert "Too many wrong codes" in participant.get(third["Location"]).content.decode()
    late = participant.post(CONFIRM, {"code": right})  # the right code, too late
    assert late.status_code == 302
    assert late["Location"] == PAGE
    assert not signed_in(participant)


def test_an_expired_code_asks_for_a_new_one(settings):
    participant = Client()
    ask(participant, "sen@example.org")
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = -1
    participant.cookies["platsa_lang"] = "en"  # the English msgid (Swedish comes later)
    response = participant.post(CONFIRM, {"code": code_for("sen@example.org")})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert "no longer valid" in participant.get(PAGE).content.decode()
    assert not signed_in(participant)


def test_the_code_page_without_a_code_asked_for_goes_to_the_start():
    response = Client().get(CONFIRM + "?next=/platser/")
    assert response.status_code == 302
    assert response["Location"] == PAGE + "?next=%2Fplatser%2F"


def test_too_many_requests_from_one_client_get_a_clear_429(settings, django_user_model):
    settings.PLATSA_CODE_SIGNIN_RATE = "2/600"
    crowd = Client(REMOTE_ADDR="203.0.113.50")
    for n in range(2):
        assert ask(crowd, f"person{n}@example.org").status_code == 302
    limited = ask(crowd, "person9@example.org")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "För många försök: vänta några minuter och försök igen." in html
    assert 'role="alert"' in html
    assert 'value="person9@example.org"' in html  # what was typed is kept
    assert not django_user_model.objects.filter(email="person9@example.org").exists()
    assert len(mail.outbox) == 2
    # In English, too, and another client is not affected.
    crowd.cookies["platsa_lang"] = "en"
    assert "Too many tries: wait a few minutes" in ask(crowd, "x@example.org").content.decode()
    assert ask(Client(REMOTE_ADDR="198.51.100.8"), "person9@example.org").status_code == 302


def test_one_inbox_gets_at_most_allauths_codes_per_minute_from_any_client():
    """allauth's ``request_login_code`` limit per address (3 a minute) holds across clients."""
    statuses = [
        ask(Client(REMOTE_ADDR=f"192.0.2.{n}"), "inkorg@example.org").status_code
        for n in range(1, 6)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


def test_an_address_too_long_or_malformed_is_refused_without_an_account(django_user_model):
    long_address = "a" * 243 + "@example.org"  # 255 characters
    for bad in (long_address, "inte-en-adress", ""):
        response = ask(Client(), bad)
        assert response.status_code == 400
        html = response.content.decode()
        assert 'class="ds-error-summary"' in html
        assert 'aria-describedby="id_email_error"' in html
    assert django_user_model.objects.count() == 0
    assert mail.outbox == []


def test_a_signed_in_visitor_is_sent_straight_on(client, outsider):
    client.force_login(outsider)
    assert client.get(PAGE + "?next=/katalog/")["Location"] == "/katalog/"
    assert client.get(CONFIRM + "?next=//evil.example")["Location"] == reverse("places:list")


def test_an_account_made_here_cannot_be_squatted(django_user_model):
    """A stranger asks for a code for someone else's address (so the account exists), then
    signs up with that address and a password: the account stays without a password, the
    stranger stays outside, and the owner gets in with the code."""
    stranger = Client()
    ask(stranger, "offer@kommun.example")
    stranger.post(
        reverse("account_signup"),
        {
            "email": "offer@kommun.example",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
        },
    )
    user = django_user_model.objects.get(email="offer@kommun.example")
    assert not user.has_usable_password()
    assert django_user_model.objects.count() == 1
    assert not signed_in(stranger)
    Client().post(
        reverse("account_login"),
        {"login": "offer@kommun.example", "password": "ett-långt-lösenord-42"},
    )
    assert not signed_in(stranger)
    owner = Client()
    ask(owner, "offer@kommun.example")
    owner.post(CONFIRM, {"code": code_for("offer@kommun.example")})
    assert signed_in(owner)


def test_a_squatters_password_stops_working_when_the_owner_signs_in_here(django_user_model):
    """platsa.accounts.security's rule holds on this page too."""
    password = "ett-långt-lösenord-42"
    Client().post(
        reverse("account_signup"),
        {"email": "kim@kommun.example", "password1": password, "password2": password},
    )
    mail.outbox.clear()
    from django.core.cache import cache

    cache.clear()  # a while later (allauth's per-address code limits)
    owner = Client()
    ask(owner, "kim@kommun.example")
    assert owner.post(CONFIRM, {"code": code_for("kim@kommun.example")}).status_code == 302
    assert signed_in(owner)
    assert not django_user_model.objects.get(email="kim@kommun.example").has_usable_password()
    squatter = Client()
    squatter.post(reverse("account_login"), {"login": "kim@kommun.example", "password": password})
    assert not signed_in(squatter)


def test_two_requests_for_one_new_address_make_one_account(monkeypatch, django_user_model):
    """The second of two simultaneous first requests finds the address taken when it
    inserts, and uses the account the first made."""
    from platsa.accounts import code_signin

    django_user_model.objects.create_user(email="samtidig@example.org")  # the other request
    real = code_signin.filter_users_by_email
    calls: list[str] = []

    def not_yet_on_first_look(email: str, **kw: object) -> list:
        calls.append(email)
        return [] if len(calls) == 1 else real(email, **kw)

    monkeypatch.setattr(code_signin, "filter_users_by_email", not_yet_on_first_look)
    user = code_signin.account_for_address("samtidig@example.org")
    assert user is not None
    assert user.email == "samtidig@example.org"
    assert django_user_model.objects.count() == 1
    assert len(calls) == 2


# --- Display name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("  Anna   Berg ", "Anna Berg"),
        ("Anna\u200bBerg", "AnnaBerg"),  # zero-width space
        ("Anna\u202eEvil\u202c", "AnnaEvil"),  # right-to-left override
        ("\u2066Anna\u2069\u200f", "Anna"),  # isolates, right-to-left mark
        ("\ufeffAnna\u00ad", "Anna"),  # BOM, soft hyphen
        ("Anna\nBerg\tX\r\n", "Anna Berg X"),
        ("Anna\x00\x07\x1b[31m", "Anna[31m"),  # NUL, bell, escape
        ("Anna\u2028Berg\u2029", "Anna Berg"),  # line and paragraph separators
        ("\u3164\u3164", ""),  # Hangul fillers only: looks empty, is empty
        ("Ａｎｎａ", "Anna"),  # full-width letters folded
        ("Nguyễn", "Nguyễn"),
        ("Z\u0301\u0302\u0303\u0304\u0305", "\u0179\u0302"),  # no stacks (Ź and one)
        ("\u0179\u0302\u0303", "\u0179\u0302"),  # counted though typed precomposed
        ("Åsa Öberg-Ärlig", "Åsa Öberg-Ärlig"),
        ("\ue000Anna", "Anna"),  # private use
    ],
)
def test_display_names_lose_invisible_and_direction_characters(typed, shown):
    assert clean_display_name(typed) == shown


def test_the_display_name_form_escapes_and_strips(django_user_model):
    participant = Client()
    ask(participant, "namn@example.org")
    participant.post(CONFIRM, {"code": code_for("namn@example.org")})
    typed = '<script>alert("x")</script>\u202e <b>Anna</b>\u200b'
    response = participant.post(NAME_PAGE, {"display_name": typed, "next": "/katalog/"})
    assert response.status_code == 302
    assert response["Location"] == "/katalog/"
    user = django_user_model.objects.get(email="namn@example.org")
    assert user.display_name == '<script>alert("x")</script> <b>Anna</b>'
    html = participant.get(NAME_PAGE).content.decode()
    assert "<script>alert" not in html
    assert "<b>Anna</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;Anna&lt;/b&gt;" in html


def test_the_display_name_is_at_most_60_characters_as_shown(django_user_model):
    participant = Client()
    ask(participant, "lang@example.org")
    participant.post(CONFIRM, {"code": code_for("lang@example.org")})
    too_long = participant.post(NAME_PAGE, {"display_name": "x" * 61})
    assert too_long.status_code == 400
    assert 'aria-describedby="id_display_name_helptext id_display_name_error"' in (
        too_long.content.decode()
    )
    invisible_padding = "y" * 60 + "\u200b" * 40
    assert participant.post(NAME_PAGE, {"display_name": invisible_padding}).status_code == 302
    assert django_user_model.objects.get(email="lang@example.org").display_name == "y" * 60
    assert participant.post(NAME_PAGE, {"display_name": ""}).status_code == 302  # no name
    assert django_user_model.objects.get(email="lang@example.org").display_name == ""


def test_the_display_name_page_needs_a_signed_in_person():
    response = Client().get(NAME_PAGE + "?next=/katalog/")
    assert response.status_code == 302
    assert response["Location"].startswith(PAGE + "?next=")


def test_the_display_name_page_refuses_an_unsafe_next(client, outsider):
    client.force_login(outsider)
    response = client.post(NAME_PAGE, {"display_name": "Olle", "next": "//evil.example"})
    assert response["Location"] == NAME_PAGE


def test_accounts_whose_code_was_never_entered_are_forgotten(owner, django_user_model):
    """An address typed by someone else gets an account; unused, it is deleted after a
    day. Accounts that signed in, organisers and squatted ones with a password stay."""
    from datetime import timedelta

    from django.utils import timezone

    from platsa.accounts.code_signin import forget_unused_accounts

    ask(Client(), "aldrig@example.org")
    used = Client()
    ask(used, "anvand@example.org")
    used.post(CONFIRM, {"code": code_for("anvand@example.org")})
    django_user_model.objects.create_user(email="med-losenord@example.org", password="x" * 12)
    assert forget_unused_accounts() == 0  # not a day old yet
    django_user_model.objects.update(date_joined=timezone.now() - timedelta(days=2))
    assert forget_unused_accounts() == 1
    assert sorted(django_user_model.objects.values_list("email", flat=True)) == [
        "anvand@example.org",
        "med-losenord@example.org",
        owner.email,
    ]
    assert not EmailAddress.objects.filter(email="aldrig@example.org").exists()

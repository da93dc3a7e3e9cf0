"""Organisers' accounts: sign up (several people, by every route), login by e-mail code,
invitations by e-mail, rate limits that cannot lock someone else out, export and deletion."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "ett-långt-lösenord-42"


def sign_up(client: Client, email: str, next_url: str = "") -> object:
    """Sign up as a person does: the form, then the code e-mailed to the address (unless the
    address was already proven, by an invitation link)."""
    url = reverse("account_signup") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    if response.status_code == 302 and response["Location"].startswith("/konto/confirm-email/"):
        response = client.post(response["Location"], {"code": login_code(email)})
    return response


def login_code(email: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if email.lower() in map(str.lower, m.to))
    return re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1)


def test_several_people_sign_up_with_password(django_user_model):
    """The second and third sign-up used to fail with a 500 (an empty, unique username)."""
    for email in ("anna@example.org", "bertil@example.org", "Cecilia@Example.org"):
        person = Client()
        response = sign_up(person, email)
        assert response.status_code == 302, response.content[:500]
        assert person.get(reverse("accounts:mine")).status_code == 200  # signed in
    assert sorted(django_user_model.objects.values_list("email", flat=True)) == [
        "anna@example.org",
        "bertil@example.org",
        "cecilia@example.org",
    ]


def test_the_same_address_cannot_sign_up_twice_nor_learn_that_it_exists(django_user_model):
    from django.core.cache import cache

    assert sign_up(Client(), "anna@example.org").status_code == 302
    mail.outbox.clear()
    cache.clear()  # a while later (codes are sent at most once per 10 s and address)
    stranger = Client()
    url = reverse("account_signup")
    again = stranger.post(
        url,
        {"email": "ANNA@example.org", "password1": "x" * 12 + "Q1", "password2": "x" * 12 + "Q1"},
    )
    # The same next step as for a new address: the page does not say the address is taken.
    assert again.status_code == 302
    assert again["Location"].startswith("/konto/confirm-email/")
    assert django_user_model.objects.count() == 1
    assert stranger.get(reverse("accounts:mine")).status_code == 302  # not signed in


def test_an_address_not_proven_gives_no_account(django_user_model):
    """Sign-up needs the code sent to the address: without it, no way in."""
    squatter = Client()
    url = reverse("account_signup")
    squatter.post(
        url, {"email": "dave@kommun.example", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert squatter.get(reverse("accounts:mine")).status_code == 302
    other = Client()
    other.post(reverse("account_login"), {"login": "dave@kommun.example", "password": PASSWORD})
    assert other.get(reverse("accounts:mine")).status_code == 302  # the password alone: no


def test_the_real_owner_proving_the_address_takes_the_account_over(client, django_user_model):
    """A squatter signed up with someone's address and chose a password; the real person
    later logged in by e-mailed code, and the squatter's password kept working."""
    Client().post(
        reverse("account_signup"),
        {"email": "kim@kommun.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    owner = Client()
    owner.post(reverse("account_request_login_code"), {"email": "kim@kommun.example"})
    response = owner.post(
        reverse("account_confirm_login_code"), {"code": login_code("kim@kommun.example")}
    )
    assert response.status_code == 302
    assert owner.get(reverse("accounts:mine")).status_code == 200
    squatter = Client().post(
        reverse("account_login"), {"login": "kim@kommun.example", "password": PASSWORD}
    )
    assert squatter.status_code == 200  # the form again: that password no longer works
    assert not django_user_model.objects.get(email="kim@kommun.example").has_usable_password()


def test_two_people_sign_up_then_log_in_by_code():
    for email in ("anna@example.org", "bertil@example.org"):
        sign_up(Client(), email)
    for email in ("anna@example.org", "bertil@example.org"):
        client = Client()
        mail.outbox.clear()
        client.post(reverse("account_request_login_code"), {"email": email})
        response = client.post(reverse("account_confirm_login_code"), {"code": login_code(email)})
        assert response.status_code == 302
        page = client.get(reverse("accounts:mine"))
        assert page.status_code == 200
        assert email in page.content.decode()


def test_emails_are_signed_by_platsa_not_the_host(owner):
    Client().post(reverse("account_request_login_code"), {"email": owner.email})
    body = mail.outbox[-1].body
    assert "testserver" not in body.split("\n")[0]
    assert "Platsa" in body
    assert mail.outbox[-1].subject.startswith("[Platsa]")


def invite(client: Client, place, email: str, role: str = "organiser") -> str:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # e-mails go out on commit
        response = client.post(
            reverse("places:members", args=[place.slug]), {"email": email, "role": role}
        )
    assert response.status_code == 302
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    found = re.search(r"https?://\S+/inbjudan/[\w-]+/", message.body)
    return found.group(0) if found else ""


def test_two_invited_people_sign_up_and_join(client, owner, place, django_user_model):
    from platsa.places.models import Invitation, Membership

    client.force_login(owner)
    links = {
        "ny1@example.org": invite(client, place, "ny1@example.org", "organiser"),
        "ny2@example.org": invite(client, place, "ny2@example.org", "viewer"),
    }
    assert Invitation.objects.filter(place=place, accepted_at__isnull=True).count() == 2
    for email, link in links.items():
        guest = Client()
        path = link.split("testserver", 1)[1]
        page = guest.get(path)
        assert page.status_code == 200
        assert email in page.content.decode()
        response = sign_up(guest, email, next_url=path)
        assert response.status_code == 302
        assert response["Location"] == path
        joined = guest.post(path)
        assert joined.status_code == 302
        assert guest.get(reverse("places:detail", args=[place.slug])).status_code == 200
    roles = dict(
        Membership.objects.filter(place=place, user__email__in=links).values_list(
            "user__email", "role"
        )
    )
    assert roles == {"ny1@example.org": "organiser", "ny2@example.org": "viewer"}
    # The invited address was proven by the link: it is verified.
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.filter(email="ny1@example.org", verified=True).exists()
    assert not Invitation.objects.filter(place=place, accepted_at__isnull=True).exists()


def test_an_invitation_works_once_and_only_for_its_address(client, owner, place):
    client.force_login(owner)
    path = invite(client, place, "ny@example.org").split("testserver", 1)[1]
    intruder = Client()
    sign_up(intruder, "someone-else@example.org")
    assert intruder.post(path).status_code == 400
    assert intruder.get(reverse("places:detail", args=[place.slug])).status_code == 404
    invited = Client()
    sign_up(invited, "ny@example.org")
    assert invited.post(path).status_code == 302
    assert "already been accepted" in Client().get(path).content.decode() or (
        "redan" in Client().get(path).content.decode()
    )


def test_existing_account_is_added_at_once_and_told(client, owner, place, outsider):
    from platsa.places.models import Membership

    client.force_login(owner)
    invite(client, place, outsider.email, "viewer")
    assert Membership.objects.get(place=place, user=outsider).role == "viewer"
    assert outsider.email in mail.outbox[-1].to
    assert f"/platser/{place.slug}/" in mail.outbox[-1].body


def test_bad_invitation_links_explain_instead_of_failing(client):
    response = client.get(reverse("invitation", args=["not-a-real-token"]))
    assert response.status_code == 200
    assert "inbjudan" in response.content.decode().lower()


def test_withdrawn_invitation_stops_working(client, owner, place):
    from platsa.places.models import Invitation

    client.force_login(owner)
    path = invite(client, place, "ny@example.org").split("testserver", 1)[1]
    pk = Invitation.objects.get(email="ny@example.org").pk
    client.post(reverse("places:members", args=[place.slug]), {"withdraw": pk})
    guest = Client()
    sign_up(guest, "ny@example.org")
    guest.post(path)
    assert guest.get(reverse("places:detail", args=[place.slug])).status_code == 404


def test_failed_logins_from_elsewhere_do_not_lock_the_owner_out(owner):
    """Five wrong passwords for someone's address, from another client, used to lock that
    person out of password login for five minutes."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(8):
        attacker.post(reverse("account_login"), {"login": owner.email, "password": "fel-fel-fel"})
    locked = attacker.post(
        reverse("account_login"), {"login": owner.email, "password": "a-long-test-password"}
    )
    assert locked.status_code != 302  # the attacker's client is limited
    victim = Client(REMOTE_ADDR="198.51.100.7")
    response = victim.post(
        reverse("account_login"), {"login": owner.email, "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_export_and_delete_account(client, outsider, django_user_model):
    client.force_login(outsider)
    response = client.get(reverse("accounts:export"))
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["email"] == outsider.email
    assert "created" in data
    assert "email_addresses" in data
    client.post(reverse("accounts:delete"))
    assert not django_user_model.objects.filter(pk=outsider.pk).exists()


def test_sole_owner_must_hand_over_first(client, owner, place, django_user_model):
    client.force_login(owner)
    client.post(reverse("accounts:delete"))
    assert django_user_model.objects.filter(pk=owner.pk).exists()


def test_an_account_squatting_an_address_is_not_given_the_place(client, owner, place):
    """Anyone can sign up with someone else's address without proving it; inviting that
    address used to add the squatter's account to the place at once."""
    from platsa.places.models import Invitation, Membership

    squatter = Client()
    squatter.post(  # the form only: the squatter never reads dave's mail, so never the code
        reverse("account_signup"),
        {"email": "dave@kommun.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.force_login(owner)
    link = invite(client, place, "dave@kommun.example", "organiser")
    assert link  # a link to the address, not a membership
    assert not Membership.objects.filter(place=place, user__email="dave@kommun.example").exists()
    assert squatter.get(reverse("places:detail", args=[place.slug])).status_code == 404
    assert Invitation.objects.filter(email="dave@kommun.example", accepted_at=None).exists()


def test_a_verified_account_is_added_at_once(client, owner, place, outsider):
    from platsa.places.models import Membership

    client.force_login(owner)
    assert invite(client, place, outsider.email, "viewer") == ""  # no link needed
    assert Membership.objects.get(place=place, user=outsider).role == "viewer"

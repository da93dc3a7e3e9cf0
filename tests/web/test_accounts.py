"""Organisers' accounts: sign up, login by e-mail code, export and deletion."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_up_with_email_and_password(client, django_user_model):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.org",
            "password1": "ett-långt-lösenord-42",
            "password2": "ett-långt-lösenord-42",
        },
    )
    assert response.status_code == 302
    assert django_user_model.objects.filter(email="ny@example.org").exists()


def test_login_by_code_sent_by_email(client, owner):
    client.post(reverse("account_request_login_code"), {"email": owner.email})
    assert len(mail.outbox) == 1
    code = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", mail.outbox[0].body).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("places:list")).status_code == 200


def test_export_and_delete_account(client, outsider, django_user_model):
    client.force_login(outsider)
    data = client.get(reverse("accounts:export")).json()
    assert data["email"] == outsider.email
    assert "created" in data
    assert "email_addresses" in data
    client.post(reverse("accounts:delete"))
    assert not django_user_model.objects.filter(pk=outsider.pk).exists()


def test_sole_owner_must_hand_over_first(client, owner, place, django_user_model):
    client.force_login(owner)
    client.post(reverse("accounts:delete"))
    assert django_user_model.objects.filter(pk=owner.pk).exists()

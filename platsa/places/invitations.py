"""Invitations by e-mail: an owner adds someone to a place, with or without an account.

Writes, one function per action. E-mails are sent after the transaction commits, so that a
rolled-back invitation never reaches anyone.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from platsa.accounts.models import User
from platsa.places.models import ROLE_RANK, Invitation, Membership, Place, Role
from platsa.places.services import membership_set

VALID_FOR = timedelta(days=14)


class InvitationError(ValueError):
    """``code`` names why: not_found, expired, used, wrong_account."""

    def __init__(self, code: str, invitation: Invitation | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.invitation = invitation


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str, base_url: str) -> str:
    path = reverse("invitation", args=[token])
    return (settings.PLATSA_SITE_URL or base_url).rstrip("/") + path


@transaction.atomic
def invitation_create(
    *,
    place: Place,
    email: str,
    role: Role,
    invited_by: User,
    base_url: str,
    purpose: str = "",
    subject: str = "",
) -> tuple[Invitation | None, Membership | None]:
    """Invite ``email`` to ``place`` as ``role``.

    Someone whose account has this address *verified* is added at once and told by e-mail
    (returns the membership). Anyone else gets a link to join (returns the invitation):
    also an account that merely claims the address, since anyone can sign up with another
    person's address without proving it; only the person who reads the mail gets the link.
    Inviting the same address again sends a new link; the earlier one then says it has
    expired. ``purpose`` is a paragraph saying why (e.g. the mapping the place takes part
    in), first in the mail; ``subject`` replaces the usual subject line.
    """
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address).first()
    if user is not None and _verified(user, address):
        membership = membership_set(place=place, email=address, role=role)
        _send_on_commit(
            "places/email/added",
            address,
            place,
            role,
            base_url,
            token="",
            purpose=purpose,
            subject=subject,
        )
        return None, membership
    # An earlier link to the same address stops working and says so ("expired: ask for a
    # new one") rather than "not found", which reads as a copying mistake.
    Invitation.objects.filter(
        place=place, email=address, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).update(expires_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        place=place,
        email=address,
        role=role,
        token_hash=_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + VALID_FOR,
    )
    _send_on_commit(
        "places/email/invitation",
        address,
        place,
        role,
        base_url,
        token=token,
        purpose=purpose,
        subject=subject,
    )
    return invitation, None


def _verified(user: User, address: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def _send_on_commit(
    template: str,
    address: str,
    place: Place,
    role: Role,
    base_url: str,
    *,
    token: str,
    purpose: str = "",
    subject: str = "",
) -> None:
    context = {
        "purpose": purpose,
        "place": place.name,
        "role": Role(role).label,
        "link": invitation_link(token, base_url)
        if token
        else (settings.PLATSA_SITE_URL or base_url).rstrip("/")
        + reverse("places:detail", args=[place.slug]),
        "days": VALID_FOR.days,
    }
    subject = subject or render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}_message.txt", context)
    transaction.on_commit(
        lambda: send_mail(
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body,
            None,
            [address],
        )
    )


def invitation_for_token(token: str) -> Invitation:
    """The open invitation behind a link; ``InvitationError`` says why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("place").filter(token_hash=_hash(token)).first()
        if token
        else None
    )
    if invitation is None:
        raise InvitationError("not_found")
    if invitation.accepted_at is not None:
        raise InvitationError("used", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired", invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the place. Only the invited address may accept (a forwarded link does not give
    access to someone else), and an existing higher role is kept."""
    invitation = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # accepted meanwhile, in another tab
        raise InvitationError("used", invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationError("wrong_account", invitation)
    current = Membership.objects.filter(place=invitation.place, user=user).first()
    if current is None:
        membership = Membership.objects.create(
            place=invitation.place, user=user, role=invitation.role
        )
    else:
        membership = current
        if ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(current.role)]:
            current.role = invitation.role
            current.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _mark_verified(user, invitation.email)  # the link reached this address: it is theirs
    return membership


def _mark_verified(user: User, address: str) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=address).update(verified=True)


def invitation_withdraw(*, place: Place, invitation_id: int) -> None:
    """Withdraw an open invitation: its link stops working (an accepted one is history)."""
    deleted, _ = Invitation.objects.filter(
        place=place, pk=invitation_id, accepted_at__isnull=True
    ).delete()
    if not deleted:
        raise InvitationError("not_found")

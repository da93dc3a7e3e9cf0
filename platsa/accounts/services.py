"""Writes for organisers' accounts: one function per action."""

from __future__ import annotations

from django.db import transaction

from platsa.accounts.models import User
from platsa.places.models import Invitation, Membership, Role
from platsa.places.services import lock_owners, sole_owner_places


class AccountError(ValueError):
    """The account cannot be deleted yet; ``places`` names the places it alone owns."""

    def __init__(self, code: str, places: list[str]) -> None:
        super().__init__(code)
        self.code = code
        self.places = places


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and the personal data stored with it (GDPR art. 17).

    A place whose only owner this is would be left without one (the rule of
    ``places.services.sole_owner_places``), so the owner must first make someone else owner
    or delete the place: ``AccountError("sole_owner")`` names those places and nothing is
    deleted.

    Gone with the account: its e-mail addresses, its memberships and the invitations it
    accepted (they hold its address), its supports, likes and pledges of ideas. Its ideas
    and comments stay, without its name. What it made for a place (places, rounds, imports,
    actions, examples, invitations it sent) stays with the place, no longer linked to it.
    """
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values_list("place_id", flat=True)
    lock_owners(owned)
    sole = list(sole_owner_places(user).values_list("name", flat=True))
    if sole:
        raise AccountError("sole_owner", sole)
    Invitation.objects.filter(accepted_by=user).delete()
    from platsa.innovation.services import participant_forget

    participant_forget(user=user)
    from platsa.plans.services import person_forget

    person_forget(user=user)
    user.delete()

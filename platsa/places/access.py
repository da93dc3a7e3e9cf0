"""Who may do what with a place: the only way views load a place for a user.

A user who is not a member gets 404 (a place's existence is not revealed); a member with too
low a role gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from platsa.accounts.models import User
from platsa.places.models import ROLE_RANK, Membership, Place, Role


def role_for(user: object, place: Place) -> Role | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    role = Membership.objects.filter(place=place, user=user).values_list("role", flat=True).first()
    return Role(role) if role else None


def has_role(role: Role | None, needed: Role) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[needed]


def get_place_for_user(
    request: HttpRequest, slug: str, *, needs: Role = Role.VIEWER
) -> tuple[Place, Role]:
    """The place with ``slug`` and the user's role in it, if that role is at least ``needs``."""
    place = (
        Place.objects.select_related("municipality", "municipality__parent")
        .filter(slug=slug)
        .first()
    )
    if place is None:
        raise Http404
    role = role_for(request.user, place)
    if role is None:
        raise Http404
    if not has_role(role, needs):
        raise PermissionDenied
    return place, role

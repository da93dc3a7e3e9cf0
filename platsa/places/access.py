"""Who may do what with a place: the only way views load a place for a user.

A user who is not a member gets 404 (a place's existence is not revealed); a member with too
low a role gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, OuterRef, Subquery, Value
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


def member_role(user: object, place_field: str = "pk") -> Subquery | Value:
    """The user's role in the place ``place_field`` names, as an annotation: a place-scoped
    page loads its place (or process) and the visitor's role in one query."""
    if not isinstance(user, User) or not user.is_authenticated:
        return Value(None, output_field=CharField())
    return Subquery(
        Membership.objects.filter(place=OuterRef(place_field), user=user)
        .order_by("pk")
        .values("role")[:1]
    )


def check_role(role: str | None, needs: Role) -> Role:
    """404 for a non-member (the place's existence is not revealed), 403 below ``needs``."""
    if not role:
        raise Http404
    found = Role(role)
    if not has_role(found, needs):
        raise PermissionDenied
    return found


def get_place_for_user(
    request: HttpRequest, slug: str, *, needs: Role = Role.VIEWER
) -> tuple[Place, Role]:
    """The place with ``slug`` and the user's role in it, if that role is at least ``needs``."""
    place = (
        Place.objects.select_related("municipality", "municipality__parent")
        .filter(slug=slug)
        .annotate(member_role=member_role(request.user))
        .first()
    )
    if place is None:
        raise Http404
    return place, check_role(place.member_role, needs)

"""Reads about places for their pages: a user's places, a place's members, municipalities."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from platsa.accounts.models import User
from platsa.places.models import Area, AreaShape, Invitation, Membership, Place

if TYPE_CHECKING:
    from platsa.assessments.models import Round
    from platsa.processes.models import Process

SEARCH_LIMIT = 12


def search_municipalities(query: str) -> list[Area]:
    """By name (any part) or code; exact and prefix matches first."""
    query = query.strip()
    if len(query) < 2:
        return []
    qs = Area.objects.filter(kind=Area.Kind.MUNICIPALITY).select_related("parent")
    found = list(qs.filter(Q(name__icontains=query) | Q(code=query))[:60])
    lowered = query.casefold()
    found.sort(key=lambda a: (a.code != query, not a.name.casefold().startswith(lowered), a.name))
    return found[:SEARCH_LIMIT]


def municipality_by_id(pk: str) -> Area | None:
    """The municipality with the id sent by a form or a link (None for anything else)."""
    if not (pk.isascii() and pk.isdigit()):
        return None
    return Area.objects.filter(pk=int(pk), kind=Area.Kind.MUNICIPALITY).first()


def area_shape(area: Area) -> AreaShape | None:
    return AreaShape.objects.filter(area=area).first()


def area_holds(area: Area, lat: float, lon: float) -> bool:
    """Whether the point lies inside the area's boundary; True when its boundary is not
    imported (nothing to check against: the bounds of the Earth still apply)."""
    from platsa.core.geo import AreaIndex

    shape = area_shape(area)
    if shape is None:
        return True
    return AreaIndex([(area.pk, shape.geometry)]).locate(lat, lon) == area.pk


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's places, by name, with the place and its municipality (one query)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("place", "place__municipality")
        .order_by("place__name")
    )


def memberships_with_rounds(user: User) -> QuerySet[Membership]:
    """The user's places with how many assessment rounds each has, for the list of places
    (a round is the assessment kind of process: its process's ``round``)."""
    return memberships_of(user).annotate(rounds=Count("place__processes__round"))


def place_rounds(place: Place) -> QuerySet[Round]:
    """The place's rounds, newest first, each with its number of responses."""
    from platsa.assessments.models import Round

    return (
        Round.objects.filter(process__place=place)
        .select_related("process")
        .annotate(n=Count("responses"))
        .order_by("-process__created_at")
    )


def place_processes(place: Place, kind: str) -> QuerySet[Process]:
    """The place's processes of one kind (mappings it coordinates, ...), newest first."""
    from platsa.processes.models import Process

    return Process.objects.filter(place=place, kind=kind).order_by("-created_at")


def place_members(place: Place) -> QuerySet[Membership]:
    """The place's members by role, then address, for its members page."""
    return (
        Membership.objects.filter(place=place)
        .select_related("user")
        .order_by("role", "user__email")
    )


def open_invitations(place: Place) -> QuerySet[Invitation]:
    return Invitation.objects.filter(place=place, accepted_at__isnull=True)

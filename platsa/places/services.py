"""Writes for places and memberships: one function per action."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from platsa.places.models import Area, Membership, Place, Role


class PlaceError(ValueError):
    """A request that cannot be carried out; the message is shown to the user."""


RESERVED_PLACE_SLUGS = {"ny", "kommuner", "karta"}  # paths of their own under /platser/


def unique_slug(name: str, municipality: Area) -> str:
    base = (
        slugify(f"{name}-{municipality.name}" if name != municipality.name else name)[:120]
        or "plats"
    )
    slug, n = base, 2
    while slug in RESERVED_PLACE_SLUGS or Place.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def place_create(
    *,
    user: object,
    name: str,
    municipality: Area,
    kind: str = Place.Kind.LOCALITY,
    population_estimate: int | None = None,
    has_industry_employer: str = Place.Industry.UNKNOWN,
    description: str = "",
    lat: float | None = None,
    lon: float | None = None,
) -> Place:
    """Create a place; its creator becomes its owner."""
    if municipality.kind != Area.Kind.MUNICIPALITY:
        raise PlaceError("not a municipality")
    place = Place.objects.create(
        name=name.strip(),
        slug=unique_slug(name.strip(), municipality),
        municipality=municipality,
        kind=kind,
        population_estimate=None if kind == Place.Kind.MUNICIPALITY else population_estimate,
        has_industry_employer=has_industry_employer,
        description=description,
        lat=lat,
        lon=lon,
        created_by=user,
    )
    Membership.objects.create(place=place, user=user, role=Role.OWNER)
    return place


def place_touch(place_id: int) -> None:
    """Mark a place's pages as changed (a cache key part of its public pages): its own
    actions and examples, its name or facts changed."""
    Place.objects.filter(pk=place_id).update(changed_at=timezone.now())


def place_update(*, form: object) -> Place:
    """Save the place form (name, kind, population, map point…)."""
    place = form.save(commit=False)  # type: ignore[attr-defined]
    place.changed_at = timezone.now()
    place.save()
    return place


def membership_set(*, place: Place, email: str, role: Role) -> Membership:
    """Give the user with ``email`` a role in the place (they must have an account)."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise PlaceError("no_user")
    current = Membership.objects.filter(place=place, user=user).first()
    if current and current.role == Role.OWNER and role != Role.OWNER and _sole_owner(place):
        raise PlaceError("last_owner")
    membership, _ = Membership.objects.update_or_create(
        place=place, user=user, defaults={"role": role}
    )
    return membership


def _sole_owner(place: Place) -> bool:
    return place.memberships.filter(role=Role.OWNER).count() == 1


def membership_remove(*, place: Place, membership_id: int) -> None:
    """Remove a member; the last owner cannot be removed (a place always has an owner)."""
    membership = Membership.objects.filter(place=place, pk=membership_id).first()
    if membership is None:
        raise PlaceError("no_member")
    if membership.role == Role.OWNER and _sole_owner(place):
        raise PlaceError("last_owner")
    membership.delete()

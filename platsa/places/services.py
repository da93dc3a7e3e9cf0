"""Writes for places and memberships: one function per action.

The rule that a place always has an owner lives here, in :func:`sole_owner_places`, and
nowhere else: changing a role, removing a member and deleting an account
(``platsa.accounts.services.account_delete``) all ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from platsa.accounts.models import User
from platsa.places.models import Area, Membership, Place, Role


class PlaceError(ValueError):
    """A request that cannot be carried out; its code (``no_user``, ``last_owner``,
    ``no_member``, ``not_municipality``, ``in_mapping``) tells the view which message to
    show."""


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


def _check_municipality(municipality: Area) -> None:
    """A place lies in a municipality: its facts, country and open data come from it."""
    if municipality.kind != Area.Kind.MUNICIPALITY:
        raise PlaceError("not_municipality")


def _population(kind: str, population_estimate: int | None) -> int | None:
    """A whole municipality has the municipality's population, never an estimate of its own
    (the engine would otherwise take it for a smaller place)."""
    return None if kind == Place.Kind.MUNICIPALITY else population_estimate


@transaction.atomic
def place_create(
    *,
    user: User,
    name: str,
    municipality: Area,
    kind: str = Place.Kind.LOCALITY,
    population_estimate: int | None = None,
    has_industry_employer: str = Place.Industry.UNKNOWN,
    description: str = "",
    lat: float | None = None,
    lon: float | None = None,
    owner: bool = True,
) -> Place:
    """Create a place; its creator becomes its owner, unless ``owner=False``: a regional
    coordinator sets up a municipality's place for a mapping and invites its own contact
    as the owner, so the coordinator never sees that municipality's individual answers."""
    _check_municipality(municipality)
    place = Place.objects.create(
        name=name.strip(),
        slug=unique_slug(name.strip(), municipality),
        municipality=municipality,
        kind=kind,
        population_estimate=_population(kind, population_estimate),
        has_industry_employer=has_industry_employer,
        description=description,
        lat=lat,
        lon=lon,
        created_by=user,
    )
    if owner:
        Membership.objects.create(place=place, user=user, role=Role.OWNER)
    return place


def place_touch(place_id: int) -> None:
    """Mark a place's pages as changed (a cache key part of its public pages): its own
    actions and examples, its name or facts changed."""
    Place.objects.filter(pk=place_id).update(changed_at=timezone.now())


PLACE_FIELDS = (
    "name",
    "municipality",
    "kind",
    "population_estimate",
    "has_industry_employer",
    "description",
    "lat",
    "lon",
)


def place_update(
    *,
    place: Place,
    name: str,
    municipality: Area,
    kind: str,
    population_estimate: int | None,
    has_industry_employer: str,
    description: str,
    lat: float | None,
    lon: float | None,
) -> Place:
    """Change a place's name and facts, with the same rules as :func:`place_create`.

    The slug stays: links to the place and its survey keep working after a rename. The
    change stamp moves, so its public pages show the new name and facts at once.
    """
    _check_municipality(municipality)
    stored = Place.objects.filter(pk=place.pk).values("municipality_id", "kind").first()
    moved = stored is not None and (
        stored["municipality_id"] != municipality.pk or stored["kind"] != kind
    )
    if moved and place.processes.filter(parent__kind="mapping").exists():
        # A mapping compares this place as its municipality: it keeps both.
        raise PlaceError("in_mapping")
    place.name = name.strip()
    place.municipality = municipality
    place.kind = kind
    place.population_estimate = _population(kind, population_estimate)
    place.has_industry_employer = has_industry_employer
    place.description = description
    place.lat = lat
    place.lon = lon
    place.changed_at = timezone.now()
    place.save(update_fields=[*PLACE_FIELDS, "changed_at"])
    return place


@transaction.atomic
def place_delete(*, place: Place) -> str:
    """Delete a place with everything in it (rounds, responses, comments, its own actions,
    members and invitations); returns its name, for the message that says it is gone."""
    name = place.name
    # Through the queryset: the collector deletes the rounds' responses in batches, and a
    # place already deleted in another tab is not an error.
    Place.objects.filter(pk=place.pk).delete()
    return name


# --- the sole-owner rule ---------------------------------------------------------------------


def sole_owner_places(user: User) -> QuerySet[Place]:
    """The places of which ``user`` is the only owner.

    A place always has an owner (someone must be able to manage its members, its data and
    its deletion), so the user may not stop being that owner: not by a change of role, not
    by being removed, not by deleting the account. The one rule for all three.
    """
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("place_id")
    # The user's places by a subquery, not a join: counting over the join that picked them
    # would count the user's own membership only, and every place would look sole-owned.
    return (
        Place.objects.filter(pk__in=owned)
        .annotate(owners=Count("memberships", filter=Q(memberships__role=Role.OWNER)))
        .filter(owners=1)
        .order_by("name")
    )


def _is_sole_owner(user: User, place: Place) -> bool:
    return sole_owner_places(user).filter(pk=place.pk).exists()


def lock_owners(place_ids: Iterable[int]) -> None:
    """Lock the owners' memberships of these places until the transaction ends.

    Two owners demoting each other (or one leaving while the other deletes the account) at
    the same moment would each still see the other as owner and leave the place with none;
    with the rows locked the second waits and then sees the first's change.
    """
    list(
        Membership.objects.select_for_update()
        .filter(place_id__in=list(place_ids), role=Role.OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def membership_set(*, place: Place, email: str, role: Role) -> Membership:
    """Give the user with ``email`` a role in the place (they must have an account)."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise PlaceError("no_user")
    lock_owners([place.pk])
    if role != Role.OWNER and _is_sole_owner(user, place):
        raise PlaceError("last_owner")
    membership, _created = Membership.objects.update_or_create(
        place=place, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def membership_remove(*, place: Place, membership_id: int) -> None:
    """Remove a member; the last owner cannot be removed (a place always has an owner)."""
    lock_owners([place.pk])
    membership = (
        Membership.objects.select_related("user").filter(place=place, pk=membership_id).first()
    )
    if membership is None:
        raise PlaceError("no_member")
    if _is_sole_owner(membership.user, place):
        raise PlaceError("last_owner")
    membership.delete()

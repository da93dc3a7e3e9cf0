"""The writes of a mapping: creating it (a place set, a round per municipality, an
invitation to each municipality's contact) and moving its phase with its rounds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from platsa.accounts.models import User
from platsa.assessments.models import Round
from platsa.assessments.services import default_groups, round_create, round_set_status
from platsa.core.schema.frameworks import Framework
from platsa.mappings.kind import MAPPING
from platsa.places.invitations import invitation_create
from platsa.places.models import Area, Membership, Place, Role
from platsa.places.services import place_create
from platsa.processes.models import Process
from platsa.processes.services import place_set_create, process_create, process_set_phase


@dataclass(frozen=True)
class Participant:
    """A municipality taking part, and whom to invite as its owner (may be empty when the
    coordinator already is a member of the municipality's place)."""

    municipality: Area
    email: str = ""


def _place_for(municipality: Area, user: User, coordinator: Place) -> tuple[Place, bool]:
    """The municipality's place: one ``user`` is a member of, else the one an earlier
    mapping of ``coordinator`` made (so a second mapping finds the same place, its owner
    and its earlier rounds), else a new one without members (its contact is invited as
    owner). Returns (place, created)."""
    places = Place.objects.filter(municipality=municipality, kind=Place.Kind.MUNICIPALITY)
    mine = places.filter(memberships__user=user).order_by("pk").first()
    if mine is None:
        mine = places.filter(place_sets__owner=coordinator).order_by("pk").first()
    if mine is not None:
        return mine, False
    created = place_create(
        user=user,
        name=municipality.name,
        municipality=municipality,
        kind=Place.Kind.MUNICIPALITY,
        owner=False,
    )
    return created, True


@transaction.atomic
def mapping_create(
    *,
    place: Place,
    user: User,
    title: str,
    framework: Framework,
    participants: list[Participant],
    base_url: str,
) -> Process:
    """A mapping organised by ``place`` over ``participants``: each municipality gets its
    own open round of ``framework`` inside the mapping; its contact is invited as the owner
    of the municipality's place, so only that municipality sees its individual answers."""
    members = []
    for participant in participants:
        member, _created = _place_for(participant.municipality, user, place)
        members.append((member, participant))
    place_set = place_set_create(owner=place, name=title, places=[m for m, _ in members], user=user)
    mapping = process_create(
        place=place, kind=MAPPING.id, title=title, user=user, place_set=place_set
    )
    for member, participant in members:
        round_create(
            place=member,
            user=user,
            name=title,
            framework=framework,
            groups=default_groups(framework),
            open_now=True,
            parent=mapping,
        )
        # Only a place nobody holds yet gets its contact invited: a mapping never adds
        # anyone to a place that has members (its owner decides who sees its answers).
        if participant.email and not Membership.objects.filter(place=member).exists():
            invitation_create(
                place=member,
                email=participant.email,
                role=Role.OWNER,
                invited_by=user,
                base_url=base_url,
            )
    return mapping


def mapping_rounds(mapping: Process) -> list[Round]:
    return list(
        Round.objects.filter(process__parent=mapping)
        .select_related("process__place__municipality__parent")
        .order_by("process__place__name", "pk")
    )


@transaction.atomic
def mapping_set_phase(*, mapping: Process, phase: str, actor: object = None) -> Process:
    """Close the mapping (every municipality's round closes and freezes) or open it again."""
    process_set_phase(process=mapping, phase=phase, actor=actor)
    status = Round.Status.CLOSED if phase == "closed" else Round.Status.OPEN
    for round_ in mapping_rounds(mapping):
        if round_.status != status and round_.process.kind_spec.allows(round_.status, status):
            round_set_status(round_=round_, status=status, actor=actor)
    return mapping

"""The writes of a mapping: creating it (a place set, a round per municipality, an
invitation to each municipality's contact) and moving its phase with its rounds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.assessments.models import Round
from platsa.assessments.services import default_groups, round_create, round_set_status
from platsa.core.schema.frameworks import Framework
from platsa.mappings.kind import MAPPING
from platsa.mappings.models import Programme, ProgrammeItem
from platsa.places.invitations import invitation_create
from platsa.places.models import Area, Membership, Place, Role
from platsa.places.services import place_create
from platsa.processes.models import Process
from platsa.processes.services import (
    audit_record,
    place_set_create,
    process_create,
    process_set_phase,
    process_touch,
)


class ProgrammeExistsError(Exception):
    """The mapping has a programme already."""


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
                purpose=_(
                    "%(coordinator)s invites %(municipality)s to the mapping “%(title)s”: a "
                    "survey for your staff in different roles. Only your municipality sees "
                    "its individual answers; %(coordinator)s sees every municipality's "
                    "results side by side. As the owner you can share the survey link and "
                    "invite colleagues."
                )
                % {"coordinator": place.name, "municipality": member.name, "title": title},
            )
    return mapping


def mapping_rounds(mapping: Process, *, defer: tuple[str, ...] = ()) -> list[Round]:
    return list(
        Round.objects.filter(process__parent=mapping)
        .select_related("process__place__municipality__parent")
        .defer(*defer)
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


@dataclass(frozen=True)
class ItemDraft:
    """One item of a draft, from the results (see ``platsa.mappings.programme``)."""

    kind: str
    title: str
    facts: str = ""
    theme_id: str = ""
    action_id: str = ""
    note: str = ""
    lead: str = ""
    timing: str = ""


@dataclass(frozen=True)
class ItemInput:
    """One item as the coordinator saves it: ``pk`` None for a new one."""

    pk: int | None
    title: str
    note: str = ""
    lead: str = ""
    timing: str = ""
    position: int = 0


@transaction.atomic
def programme_draft(
    *, mapping: Process, actor: User, introduction: str, items: list[ItemDraft]
) -> Programme:
    """Make the mapping's programme from ``items`` (drafted from its results). Refuses a
    second draft over one that exists: what the coordinator wrote is never overwritten."""
    if Programme.objects.filter(mapping=mapping).exists():
        raise ProgrammeExistsError
    programme = Programme.objects.create(
        mapping=mapping, introduction=introduction, updated_by=actor
    )
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            programme=programme,
            position=(i + 1) * 10,
            kind=item.kind,
            theme_id=item.theme_id,
            action_id=item.action_id,
            title=item.title[:200],
            facts=item.facts[:2000],
            note=item.note,
            lead=item.lead,
            timing=item.timing,
        )
        for i, item in enumerate(items)
    )
    audit_record(mapping, "programme_draft", actor=actor, details={"items": len(items)})
    process_touch(mapping.pk)  # the comparison page shows the programme: a new version
    return programme


@transaction.atomic
def programme_save(
    *,
    programme: Programme,
    actor: User,
    introduction: str,
    items: list[ItemInput],
    removed: set[int],
) -> Programme:
    """Save the coordinator's edits: texts and order of the items kept, ``removed`` ones
    deleted, new ones (``pk`` None) added as "other"."""
    existing = {i.pk: i for i in ProgrammeItem.objects.filter(programme=programme)}
    ProgrammeItem.objects.filter(programme=programme, pk__in=removed).delete()
    changed = []
    for item in items:
        if item.pk is None:
            ProgrammeItem.objects.create(
                programme=programme,
                kind=ProgrammeItem.Kind.OTHER,
                title=item.title,
                note=item.note,
                lead=item.lead,
                timing=item.timing,
                position=item.position,
            )
            continue
        row = existing.get(item.pk)
        if row is None or item.pk in removed:
            continue  # another tab removed it meanwhile: nothing to save it into
        row.title, row.note, row.lead, row.timing = item.title, item.note, item.lead, item.timing
        row.position = item.position
        changed.append(row)
    ProgrammeItem.objects.bulk_update(changed, ["title", "note", "lead", "timing", "position"])
    programme.introduction = introduction
    programme.updated_by = actor
    programme.save(update_fields=["introduction", "updated_by", "updated_at"])
    audit_record(
        programme.mapping,
        "programme_save",
        actor=actor,
        details={"items": len(items), "removed": len(removed)},
    )
    process_touch(programme.mapping_id)
    return programme

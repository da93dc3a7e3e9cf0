"""The writes of a mapping: creating it (a place set, a round per municipality, an
invitation to each municipality's contact) and moving its phase with its rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
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

DOUBLE_SUBMIT_WINDOW = timedelta(minutes=5)


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
) -> tuple[Process, bool]:
    """A mapping organised by ``place`` over ``participants``: each municipality gets its
    own open round of ``framework`` inside the mapping; its contact is invited as the owner
    of the municipality's place, so only that municipality sees its individual answers.

    The same coordinator's mapping of the same name made minutes ago is returned instead
    (a double click, a resend): returns (mapping, created). The coordinator's place is
    locked meanwhile, so two such requests at once make one mapping."""
    Place.objects.select_for_update().filter(pk=place.pk).first()
    twin = (
        Process.objects.filter(
            place=place,
            kind=MAPPING.id,
            title=title,
            created_by=user,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    if twin is not None:
        return twin, False
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
                subject=_("%(coordinator)s invites %(municipality)s to “%(title)s”")
                % {"coordinator": place.name, "municipality": member.name, "title": title},
            )
    return mapping, True


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


def programme_draft(
    *, mapping: Process, actor: User, introduction: str, items: list[ItemDraft]
) -> tuple[Programme, bool, int]:
    """Make the mapping's programme from ``items`` (drafted from its results), or, when it
    exists, add the items it does not hold yet (new results since, or a programme emptied):
    what the coordinator wrote is never overwritten. Returns the programme, whether it was
    made now, and how many items were added."""
    try:
        with transaction.atomic():
            programme, created = Programme.objects.get_or_create(
                mapping=mapping, defaults={"introduction": introduction, "updated_by": actor}
            )
    except IntegrityError:  # two drafts at once (a double click): the other one made it
        programme, created = Programme.objects.get(mapping=mapping), False
    with transaction.atomic():
        held = {
            (i.kind, i.theme_id, i.action_id, i.title)
            for i in ProgrammeItem.objects.filter(programme=programme)
        }
        start = (
            ProgrammeItem.objects.filter(programme=programme).aggregate(m=Max("position"))["m"] or 0
        )
        new = [i for i in items if (i.kind, i.theme_id, i.action_id, i.title[:200]) not in held]
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(
                programme=programme,
                position=start + (n + 1) * 10,
                kind=item.kind,
                theme_id=item.theme_id,
                action_id=item.action_id,
                title=item.title[:200],
                facts=item.facts[:2000],
                note=item.note,
                lead=item.lead,
                timing=item.timing,
            )
            for n, item in enumerate(new)
        )
        if new and not created:
            Programme.objects.filter(pk=programme.pk).update(updated_at=timezone.now())
        audit_record(
            mapping,
            "programme_draft",
            actor=actor,
            details={"items": len(new), "created": created},
        )
        process_touch(mapping.pk)  # the comparison page shows the programme: a new version
    return programme, created, len(new)


@transaction.atomic
def programme_save(
    *,
    programme: Programme,
    actor: User,
    introduction: str,
    items: list[ItemInput],
    removed: set[int],
    token: UUID | None = None,
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
    programme.last_save = token
    programme.save(update_fields=["introduction", "updated_by", "updated_at", "last_save"])
    audit_record(
        programme.mapping,
        "programme_save",
        actor=actor,
        details={"items": len(items), "removed": len(removed)},
    )
    process_touch(programme.mapping_id)
    return programme

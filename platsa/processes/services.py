"""The writes of the spine, one function each. Every change to a process's lifecycle goes
through here, so the kind's rules are checked and the audit log is written in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from platsa.accounts.models import User
from platsa.places.models import Place
from platsa.processes.kinds import get_kind
from platsa.processes.models import PlaceSet, Process, ProcessEvent
from platsa.web import access_memo

# Path parts under a place's pages that a process slug must not take.
RESERVED_SLUGS = frozenset({"ny", "new", "importera"})


class PhaseError(ValueError):
    """A phase change the process's kind does not allow (``code`` names it for messages)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def unique_slug(place: Place, title: str, *, fallback: str = "process") -> str:
    base = slugify(title)[:120] or fallback
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Process.objects.filter(place=place, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def signed_in(user: object) -> User | None:
    """``user`` if it is a signed-in account, else None (the system, an anonymous request)."""
    return user if isinstance(user, User) and user.is_authenticated else None


def audit_record(
    process: Process,
    action: str,
    *,
    actor: object = None,
    before: object = "",
    after: object = "",
    details: dict[str, Any] | None = None,
) -> ProcessEvent:
    """Write one line of the audit log. ``actor`` is a user or None (the system)."""
    return ProcessEvent.objects.create(
        process=process,
        actor=signed_in(actor),
        action=action,
        before=str(before)[:64],
        after=str(after)[:64],
        details=details or {},
    )


@transaction.atomic
def process_create(
    *,
    place: Place,
    kind: str,
    title: str,
    user: object = None,
    phase: str | None = None,
    place_set: PlaceSet | None = None,
    parent: Process | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    slug_fallback: str = "process",
) -> Process:
    """A new process of ``kind`` at ``place``, in its kind's first phase unless ``phase``."""
    spec = get_kind(kind)
    phase_id = phase or spec.initial.id
    spec.phase(phase_id)  # an unknown phase is a programming error: KeyError
    process = Process.objects.create(
        place=place,
        place_set=place_set,
        parent=parent,
        kind=kind,
        slug=unique_slug(place, title, fallback=slug_fallback),
        title=title.strip(),
        phase=phase_id,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=signed_in(user),
    )
    audit_record(process, ProcessEvent.Action.CREATED, actor=user, after=phase_id)
    return process


def process_touch(process_id: int) -> None:
    """Mark a process's pages as changed (a cache key part of its public pages)."""
    Process.objects.filter(pk=process_id).update(changed_at=timezone.now())
    access_memo.bump()  # an update sends no post_save; members' pages are keyed on the stamp


@transaction.atomic
def process_set_phase(*, process: Process, phase: str, actor: object = None) -> Process:
    """Move ``process`` to ``phase`` if its kind allows that step; records who did it.
    Setting the phase it is already in changes nothing and logs nothing."""
    spec = process.kind_spec
    spec.phase(phase)  # KeyError for a phase the kind does not have
    if phase == process.phase:
        return process
    if not spec.allows(process.phase, phase):
        raise PhaseError("transition_not_allowed", source=process.phase, target=phase)
    before = process.phase
    process.phase = phase
    process.changed_at = timezone.now()
    process.save(update_fields=["phase", "changed_at"])
    audit_record(process, ProcessEvent.Action.PHASE, actor=actor, before=before, after=phase)
    return process


@transaction.atomic
def process_set_public(*, process: Process, public: bool, actor: object = None) -> Process:
    """Publish what the process shows the public, or take it down."""
    if process.is_public == public:
        return process
    process.is_public = public
    process.changed_at = timezone.now()
    process.save(update_fields=["is_public", "changed_at"])
    audit_record(process, ProcessEvent.Action.PUBLIC, actor=actor, before=not public, after=public)
    return process


@transaction.atomic
def process_update(
    *,
    process: Process,
    actor: object = None,
    title: str | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Process:
    """Change a process's name and open period; the audit log names the fields changed."""
    changed = []
    if title is not None and title.strip() != process.title:
        process.title = title.strip()
        changed.append("title")
    if opens_at != process.opens_at:
        process.opens_at = opens_at
        changed.append("opens_at")
    if closes_at != process.closes_at:
        process.closes_at = closes_at
        changed.append("closes_at")
    if changed:
        process.changed_at = timezone.now()
        process.save(update_fields=[*changed, "changed_at"])
        audit_record(
            process, ProcessEvent.Action.SETTINGS, actor=actor, details={"fields": changed}
        )
    return process


@transaction.atomic
def place_set_create(
    *, owner: Place, name: str, places: list[Place], user: object = None, description: str = ""
) -> PlaceSet:
    base = slugify(name)[:120] or "platser"
    slug, n = base, 2
    while PlaceSet.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    place_set = PlaceSet.objects.create(
        owner=owner,
        name=name.strip(),
        slug=slug,
        description=description,
        created_by=signed_in(user),
    )
    place_set.places.set({owner, *places})
    return place_set

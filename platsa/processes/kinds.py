"""The registry of process kinds: each kind names its phases, what each phase opens to
participants, and which phase may follow which.

A kind is plain data, registered once at start-up (in its app's ``AppConfig.ready``), so a
new capability adds a process kind with its entry, its phases and its views, and nothing in
the spine changes. The database stores a process's kind and phase as their ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise


class Feature(StrEnum):
    """What a phase may open to participants. A view asks for one of these through
    :func:`platsa.processes.access.require_feature` (or the access helper)."""

    RESPOND = "respond"  # answer a questionnaire
    PROPOSE = "propose"  # post a challenge or an idea
    COMMENT = "comment"
    SUPPORT = "support"  # like, support, pledge
    VOTE = "vote"
    OPINE = "opine"  # agree / disagree with statements
    PLAN = "plan"  # edit a plan's goals and actions
    FOLLOW = "follow"  # report progress on what was decided


@dataclass(frozen=True)
class Phase:
    id: str
    label: str | Promise
    opens: frozenset[Feature] = frozenset()
    # What a participant is told while this phase keeps a feature closed, e.g. "The survey
    # opens on 3 March." (the default is a generic sentence naming the phase).
    closed_message: str | Promise | None = None


@dataclass(frozen=True)
class ProcessKind:
    id: str
    label: str | Promise
    phases: tuple[Phase, ...]
    # phase id -> the phase ids that may follow it
    transitions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids = [p.id for p in self.phases]
        if not ids or len(set(ids)) != len(ids):
            raise ValueError(f"process kind {self.id}: phases must be unique and not empty")
        for source, targets in self.transitions.items():
            unknown = {source, *targets} - set(ids)
            if unknown:
                raise ValueError(f"process kind {self.id}: unknown phases {sorted(unknown)}")

    @property
    def initial(self) -> Phase:
        return self.phases[0]

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(f"process kind {self.id} has no phase {phase_id!r}")

    def allows(self, source: str, target: str) -> bool:
        return target in self.transitions.get(source, ())

    def phases_opening(self, feature: Feature) -> tuple[Phase, ...]:
        return tuple(p for p in self.phases if feature in p.opens)


_KINDS: dict[str, ProcessKind] = {}


def register(kind: ProcessKind) -> ProcessKind:
    """Add ``kind`` to the registry; registering the same kind twice is harmless (an app's
    ``ready`` may run twice in tests), registering another kind under a taken id is not."""
    existing = _KINDS.get(kind.id)
    if existing is not None and existing != kind:
        raise ValueError(f"a different process kind is already registered as {kind.id!r}")
    _KINDS[kind.id] = kind
    return kind


def unregister(kind_id: str) -> None:
    """Remove a kind (tests that define a kind of their own clean up with this)."""
    _KINDS.pop(kind_id, None)


def get_kind(kind_id: str) -> ProcessKind:
    try:
        return _KINDS[kind_id]
    except KeyError:
        raise LookupError(f"unknown process kind {kind_id!r}") from None


def all_kinds() -> Iterable[ProcessKind]:
    return tuple(_KINDS.values())

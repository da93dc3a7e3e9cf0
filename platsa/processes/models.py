"""Processes, the sets of places they may span, and the audit log of what changed.

A :class:`Process` is organised by one place (its members hold the roles, see
``platsa.places.access``) and may span a :class:`PlaceSet` (a county's municipalities, a
journey's stops, villages cooperating as one). Its ``kind`` and ``phase`` are ids from the
registry in ``platsa.processes.kinds``; what a kind needs beyond these fields lives in its own
model, one-to-one with the process (an assessment round is ``assessments.Round``).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.places.models import Place
from platsa.processes.kinds import Feature, Phase, ProcessKind, get_kind


class PlaceSet(models.Model):
    """Several places acting together in a process. Managed by the organisers of its
    ``owner`` place (a regional body's own place, the lead village)."""

    owner = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="owned_place_sets")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    places = models.ManyToManyField(Place, related_name="place_sets", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="processes")
    place_set = models.ForeignKey(
        PlaceSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="processes"
    )
    # A process inside another: a municipality's round of a regional mapping, a journey's
    # stop. The parent's organisers see what the children share (aggregates), not more.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=32)
    slug = models.SlugField(max_length=140)
    title = models.CharField(_("name"), max_length=120)
    phase = models.CharField(max_length=32)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    is_public = models.BooleanField(_("publish aggregated results"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When anything the process's pages show changed, other than what participants send
    # (answers carry their own stamps): settings, phase, publication, moderation. A part of
    # the cache keys of its public pages (platsa.web.pagecache).
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One slug per place across kinds: /p/<place>/<slug>/ names one process.
            models.UniqueConstraint(fields=["place", "slug"], name="process_unique_slug"),
        ]
        indexes = [models.Index(fields=["place", "kind"])]

    def __str__(self) -> str:
        return f"{self.place} – {self.title}"

    @property
    def kind_spec(self) -> ProcessKind:
        return get_kind(self.kind)

    @property
    def phase_spec(self) -> Phase:
        return self.kind_spec.phase(self.phase)

    def get_phase_display(self) -> str:
        return str(self.phase_spec.label)

    def allows(self, feature: Feature, now: datetime | None = None) -> bool:
        """Whether participants may do ``feature`` now: the phase opens it and ``now`` is
        within the open and close dates, where set."""
        return process_allows(self.kind, self.phase, self.opens_at, self.closes_at, feature, now)


def process_allows(
    kind: str,
    phase: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    feature: Feature,
    now: datetime | None = None,
) -> bool:
    """The rule of :meth:`Process.allows` on plain values (the survey's fast path reads them
    without building a model)."""
    if feature not in get_kind(kind).phase(phase).opens:
        return False
    now = now or timezone.now()
    if opens_at and now < opens_at:
        return False
    return not (closes_at and now >= closes_at)


class ProcessEvent(models.Model):
    """One change to a process, who made it and when: the audit log later capabilities
    reuse (a phase change, publication, settings, frozen results, a plan's status). Holds ids
    and short values, never what participants wrote."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        PHASE = "phase", _("phase changed")
        PUBLIC = "public", _("publication changed")
        SETTINGS = "settings", _("settings changed")
        FROZEN = "frozen", _("results frozen")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    before = models.CharField(max_length=64, blank=True)
    after = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["process", "at"])]

    def __str__(self) -> str:
        return f"{self.process_id} {self.action}: {self.before} → {self.after}"

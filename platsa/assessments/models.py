"""Assessment rounds and their anonymous responses, generic over any framework.

A round keeps a snapshot of its framework, so its answers keep their meaning if the
framework file is later revised. Answers are stored one character per question (see
``platsa.core.io.encoding``) so that a round of 10,000 responses loads in one light query.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.core.schema.frameworks import Framework
from platsa.places.models import Place
from platsa.processes.kinds import Feature
from platsa.processes.models import Process

_FRAMEWORKS: dict[tuple[int | None, str, str], Framework] = {}


def _snapshot_framework(
    pk: int | None, framework_id: str, version: str, snapshot: Callable[[], dict]
) -> Framework:
    # The id too: two frameworks may share a version ("1.0"), and a test database that is
    # emptied between tests hands out the same round ids again.
    key = (pk, framework_id, version)
    framework = _FRAMEWORKS.get(key)
    if framework is None:
        framework = Framework.model_validate(snapshot())
        if pk is not None:
            if len(_FRAMEWORKS) > 512:  # a bounded cache: one entry per round in use
                _FRAMEWORKS.clear()
            _FRAMEWORKS[key] = framework
    return framework


def new_survey_key() -> str:
    """An unguessable, URL-safe key for the survey link (also in the QR code)."""
    return secrets.token_urlsafe(9)


class Round(models.Model):
    """An assessment round: a process of the kind ``assessment`` (its place, name, slug,
    phase, dates and publication live on :class:`~platsa.processes.models.Process`) with
    its questionnaire, its survey link and its answers.

    The process's fields read as the round's own (``round.name``, ``round.status``, ...) so
    that templates and the many readers of a round need not know about the spine; every
    write goes through ``platsa.assessments.services``."""

    # The phases of the assessment kind (``platsa.assessments.kind``), by their old name.
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="round")
    framework_id = models.CharField(max_length=64)
    framework_version = models.CharField(max_length=32)
    framework_snapshot = models.JSONField()
    requires_code = models.BooleanField(
        _("one response per person with printed codes"),
        default=False,
        help_text=_("Each respondent needs a one-time code, e.g. printed on a letter."),
    )
    survey_key = models.CharField(max_length=20, unique=True, default=new_survey_key)
    # The ratings of a live workshop's room (platsa.workshops.to_round), not a survey: it is
    # compared with other such rounds only, never with the place's surveys.
    from_workshop = models.BooleanField(default=False)

    class Meta:
        ordering = ["-process__created_at"]

    def __str__(self) -> str:
        return f"{self.place} – {self.name}"

    # -- the process's fields, read as the round's ------------------------------------------
    @property
    def place(self) -> Place:
        return self.process.place

    @property
    def place_id(self) -> int:
        return self.process.place_id

    @property
    def name(self) -> str:
        return self.process.title

    @property
    def slug(self) -> str:
        return self.process.slug

    @property
    def status(self) -> str:
        return self.process.phase

    def get_status_display(self) -> str:
        return self.process.get_phase_display()

    @property
    def opens_at(self) -> datetime | None:
        return self.process.opens_at

    @property
    def closes_at(self) -> datetime | None:
        return self.process.closes_at

    @property
    def results_public(self) -> bool:
        return self.process.is_public

    @property
    def created_at(self) -> datetime:
        return self.process.created_at

    @property
    def created_by(self) -> Any:
        return self.process.created_by

    @property
    def changed_at(self) -> datetime:
        return self.process.changed_at

    @cached_property
    def framework(self) -> Framework:
        """The round's own copy of its framework, parsed once per process: a snapshot never
        changes after the round is created, so (pk, version) identifies it."""
        return _snapshot_framework(
            self.pk, self.framework_id, self.framework_version, lambda: self.framework_snapshot
        )

    def accepts_responses(self, now: datetime | None = None) -> bool:
        """Open for answers: the phase opens responding, within the open and close dates."""
        return self.process.allows(Feature.RESPOND, now)


class RoundGroup(models.Model):
    """A respondent group of one round; organisers may rename, add or remove groups."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(max_length=64)
    label_sv = models.CharField(_("name in Swedish"), max_length=120)
    label_en = models.CharField(_("name in English"), max_length=120, blank=True)
    side = models.CharField(max_length=16, default="other")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="group_unique_key")]

    def __str__(self) -> str:
        return self.label_sv

    def label(self, language: str | None) -> str:
        if (language or "sv").startswith("en") and self.label_en:
            return self.label_en
        return self.label_sv


class ImportBatch(models.Model):
    """One uploaded spreadsheet of paper answers; deleting it removes its responses."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


class RespondentCode(models.Model):
    """A one-time code for rounds that need one response per person (postal letters)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.code


class Response(models.Model):
    class Source(models.TextChoices):
        WEB = "web", _("Web")
        PAPER = "paper", _("Paper (imported)")
        WORKSHOP = "workshop", _("Live workshop")

    # No index of its own: the (round, updated_at) index below starts with it. Every index
    # costs on each of the many survey inserts.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    group = models.ForeignKey(
        RoundGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    age_band = models.CharField(max_length=16, blank=True)
    answers = models.CharField(max_length=255)  # platsa.core.io.encoding, framework question order
    priorities = models.CharField(max_length=255, blank=True)  # comma-separated theme ids
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    language = models.CharField(max_length=8, blank=True)
    # A keyed hash of the device cookie: lets the same device edit its answer, and nothing else.
    device_hash = models.CharField(
        max_length=64, blank=True
    )  # looked up via response_unique_device
    submission_id = models.UUIDField(null=True, blank=True)
    # The ids of the forms this answer was sent from before its latest edit (hex, newest
    # first, at most EARLIER_SUBMISSIONS_KEPT): a late resend of an older form is recognised
    # and changes nothing, instead of undoing the edit.
    earlier_submissions = models.CharField(max_length=400, blank=True, default="")
    respondent_ref = models.CharField(max_length=64, blank=True)  # the paper form's number
    code = models.OneToOneField(
        RespondentCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A double-tapped or resent form is stored once.
            models.UniqueConstraint(
                fields=["round", "submission_id"],
                condition=Q(submission_id__isnull=False),
                name="response_unique_submission",
            ),
            # One response per device per round; the device edits it.
            models.UniqueConstraint(
                fields=["round", "device_hash"],
                condition=~Q(device_hash=""),
                name="response_unique_device",
            ),
            # A paper form is imported once.
            models.UniqueConstraint(
                fields=["round", "respondent_ref"],
                condition=~Q(respondent_ref=""),
                name="response_unique_ref",
            ),
        ]
        indexes = [models.Index(fields=["round", "updated_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_source_display()})"


EARLIER_SUBMISSIONS_KEPT = 10


class Comment(models.Model):
    """A respondent's comment on a theme. Public pages show only approved comments."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet reviewed")
        APPROVED = "approved", _("Approved for publication")
        HIDDEN = "hidden", _("Hidden")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    theme_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=32)
    text = models.TextField(max_length=2000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "theme_id", "status"])]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.text[:40]}"


class ResultSnapshot(models.Model):
    """A round's results frozen as they were when it was closed, published or re-run on
    purpose: what a board was shown stays what it was, whatever the catalogue or the engine
    becomes. Versions count up per round; the newest is the one shown, older ones are kept.

    Everything is data (``platsa.core.analysis.frozen``), never pickled objects, so a later
    version of the code reads it."""

    class Reason(models.TextChoices):
        CLOSED = "closed", _("the survey was closed")
        PUBLISHED = "published", _("the results were published")
        RERUN = "rerun", _("recommendations were run again")
        FIRST_SHOWN = "first_shown", _("first shown after the upgrade")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What it was computed from and with.
    data_key = models.CharField(max_length=40)  # the answers, groups and approved comments
    respondents = models.PositiveIntegerField()
    framework_version = models.CharField(max_length=32)
    catalogue_version = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=32)
    # The results (scores, groups, gaps), the engine's needs, notices, parameters and the
    # actions it left out, the place's context, the change since the previous round and the
    # group labels, as the page showed them.
    results = models.JSONField()
    recommendation_set = models.JSONField()
    context = models.JSONField()
    previous_round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_results = models.JSONField(null=True, blank=True)
    changes = models.JSONField(default=list)
    group_labels = models.JSONField(default=dict)
    # Respondents against the population's age structure, and the weighted scores.
    representation = models.JSONField(null=True, blank=True)
    weighted = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="snapshot_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} v{self.version}"


class FrozenRecommendation(models.Model):
    """One recommended action of a frozen version, as shown: later records (a plan's
    action, an idea, a workshop answer) point at this row by id."""

    snapshot = models.ForeignKey(
        ResultSnapshot, on_delete=models.CASCADE, related_name="recommendations"
    )
    action_id = models.CharField(max_length=120)
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    in_portfolio = models.BooleanField()
    theme = models.CharField(max_length=64, blank=True)
    reasons = models.JSONField()  # [{kind, theme, values}, ...]
    # The rest of the engine's record (base, joint, context multiplier, example order) and
    # the action and its funding as the catalogue had them.
    detail = models.JSONField()
    action = models.JSONField()
    funding = models.JSONField(default=list)

    class Meta:
        ordering = ["snapshot", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "rank"], name="frozen_rec_unique_rank")
        ]
        indexes = [models.Index(fields=["action_id"])]

    def __str__(self) -> str:
        return f"{self.snapshot} #{self.rank} {self.action_id}"

"""A conversation's statements, participants and votes, its moderation log and the latest
analysis of the votes.

One vote per participant and statement is a database constraint (a double click, two tabs,
a resend on a slow line change a vote, never add one). A participant is a browser (a
random token in a cookie, stored hashed) or a signed-in account; nothing else about them
is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.processes.models import Process

STATEMENT_MAX = 280  # as Pol.is: one thought a person can agree or disagree with


class Conversation(models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="conversation")
    # The participants' link: /samtal/<public_id>/ (unguessable, short enough for a QR code).
    public_id = models.CharField(max_length=16, unique=True)
    question = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    participants_add = models.BooleanField(_("participants may add statements"), default=True)
    strict = models.BooleanField(
        _("strict moderation: new statements are shown only once approved"), default=True
    )
    results_public = models.BooleanField(_("participants see the results"), default=True)
    # A new analysis is wanted (votes or statements arrived since the last one was queued).
    analysis_due = models.BooleanField(default=False)
    analysis_queued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.question


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    # sha256 of the browser's token; empty for a signed-in account.
    token_hash = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "token_hash"],
                condition=~models.Q(token_hash=""),
                name="participant_one_per_browser",
            ),
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=models.Q(user__isnull=False),
                name="participant_one_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        SHOWN = "shown", _("Shown")
        REJECTED = "rejected", _("Not shown")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # Platsa's own are at most STATEMENT_MAX (the forms); comments imported from Pol.is may
    # be longer.
    text = models.CharField(_("statement"), max_length=1000)
    # The text as it is compared: case-folded, spaces collapsed (services.text_key), the same
    # in Python on both databases (SQLite's lower() knows only ASCII letters).
    text_key = models.CharField(max_length=1000)
    # Seed statements are written by the organisers; the others are labelled "from a
    # participant" wherever they are shown.
    is_seed = models.BooleanField(default=False)
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The shown statement this one seemed to repeat when it was sent (for the moderators).
    similar_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "status"])]
        constraints = [
            # A resend, or the same statement sent twice at once, is one statement...
            models.UniqueConstraint(
                fields=["conversation", "author", "text_key"],
                condition=models.Q(author__isnull=False),
                name="statement_once_per_author",
            ),
            # ...and no text is shown twice (statements waiting or kept out may repeat one:
            # saying so would tell a stranger what others sent).
            models.UniqueConstraint(
                fields=["conversation", "text_key"],
                condition=models.Q(status="shown"),
                name="statement_shown_once",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="vote_one_per_statement"
            )
        ]
        indexes = [models.Index(fields=["participant", "statement"])]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class ModerationEvent(models.Model):
    """The moderation log, exported as it is: who decided what about which statement."""

    class Action(models.TextChoices):
        SENT = "sent", _("Sent")
        FLAGGED = "flagged", _("Flagged as similar to a shown statement")
        SHOWN = "shown", _("Shown")
        REJECTED = "rejected", _("Not shown")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.action}"


class Analysis(models.Model):
    """The latest groups and common ground, computed off the request path."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="analysis"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    votes = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict)
    # The clustering's state for the next run (a new number of groups is adopted only after
    # it wins several runs in a row): the pipeline's own serialised form.
    state = models.JSONField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"analysis of {self.conversation_id}"

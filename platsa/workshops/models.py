"""A workshop session, its questions in order, the phones in the room, and their answers.

One participant, one answer per question: a database constraint (a phone that sends twice,
or reconnects and sends again, changes its answer). A participant is a browser's random
token, stored hashed; nothing else about them is kept.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.processes.models import Process

ANSWER_MAX = 200
OPTIONS_MAX = 10
SCALE_POINTS = 7


class Workshop(models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="workshop")
    # What the room types at /w/ (digits only: easy on a phone's keypad, read off a slide).
    code = models.CharField(max_length=8, unique=True)
    current = models.ForeignKey(
        "Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results_hidden = models.BooleanField(_("hide the results until I show them"), default=False)

    def __str__(self) -> str:
        return f"{self.process.title} ({self.code})"


class Question(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Multiple choice")
        WORDS = "words", _("Open answer, with a word cloud")
        SCALE = "scale", _("Scale 1–7")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    prompt = models.CharField(_("question"), max_length=200)
    options = models.JSONField(default=list, blank=True)  # choice: the options' texts
    low_label = models.CharField(_("1 means"), max_length=60, blank=True)
    high_label = models.CharField(_("7 means"), max_length=60, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.prompt


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    token_hash = models.CharField(max_length=64)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "token_hash"], name="workshop_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"participant {self.pk}"


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)  # an option's index
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # a scale's point
    text = models.CharField(max_length=ANSWER_MAX, blank=True)
    hidden = models.BooleanField(default=False)  # an open answer the facilitator took down
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "participant"], name="workshop_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.question_id}"

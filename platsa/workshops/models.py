"""A workshop session, its questions in order, the phones in the room, and their answers.

One participant, one answer per question: a database constraint (a phone that sends twice,
or reconnects and sends again, changes its answer). A participant is a browser's random
token, stored hashed; nothing else about them is kept. Brainstorm ideas and Q&A questions
are *entries* instead: a participant writes several, and the room upvotes them, one vote
per person and entry (again a constraint).

Themed groups: a session may split the room into groups (numbered from 1; 0 is no group).
A participant is in one; answers and entries keep the group they were given in, so the
groups' boards stay apart and can be shown side by side.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.processes.models import Process

ANSWER_MAX = 200
OPTIONS_MAX = 10
SCALE_POINTS = 7
POINTS_TOTAL = 100
GROUPS_MAX = 12
ENTRIES_PER_PARTICIPANT = 10  # ideas or questions per person and question


class Workshop(models.Model):
    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="workshop")
    # What the room types at /w/ (digits only: easy on a phone's keypad, read off a slide).
    code = models.CharField(max_length=8, unique=True)
    current = models.ForeignKey(
        "Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results_hidden = models.BooleanField(_("hide the results until I show them"), default=False)

    class Pace(models.TextChoices):
        PRESENTER = "presenter", _("Presenter-paced: I move the room from question to question")
        SELF = "self", _("Self-paced: everyone goes through the questions in their own time")

    pace = models.CharField(_("pace"), max_length=12, choices=Pace.choices, default=Pace.PRESENTER)
    groups = models.JSONField(default=list, blank=True)  # the themed groups' names, in order
    side_by_side = models.BooleanField(default=False)  # the screen shows the groups apart

    def __str__(self) -> str:
        return f"{self.process.title} ({self.code})"


class Question(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "choice", _("Multiple choice")
        WORDS = "words", _("Open answer, with a word cloud")
        SCALE = "scale", _("Scale 1–7")
        THEMES = "themes", _("A scale for each theme of a framework (an assessment round)")
        RANKING = "ranking", _("Ranking")
        POINTS = "points", _("100 points to distribute")
        MATRIX = "matrix", _("2×2 matrix")
        PLACES = "places", _("Places: name a municipality or drop a pin")
        IDEAS = "ideas", _("Brainstorm: ideas that the room upvotes")
        QA = "qa", _("Q&A: questions that the room upvotes")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    prompt = models.CharField(_("question"), max_length=200)
    # choice, ranking, points, matrix: the options' texts; themes: the framework's theme ids.
    options = models.JSONField(default=list, blank=True)
    low_label = models.CharField(_("1 means"), max_length=60, blank=True)
    high_label = models.CharField(_("7 means"), max_length=60, blank=True)
    framework = models.CharField(max_length=64, blank=True)  # themes: which framework
    x_label = models.CharField(_("across (2×2)"), max_length=60, blank=True)
    y_label = models.CharField(_("up (2×2)"), max_length=60, blank=True)
    # themes: the assessment round its answers were made into (once; later answers can be
    # added to it again).
    round = models.ForeignKey(
        "assessments.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.prompt


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    token_hash = models.CharField(max_length=64)
    group = models.PositiveSmallIntegerField(default=0)  # 0: none chosen (or no groups)
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
    # ranking: option indices, first place first; points: points per option; matrix:
    # [across, up] per option; themes: a point or null per theme; places: {"area": id}.
    data = models.JSONField(null=True, blank=True)
    group = models.PositiveSmallIntegerField(default=0)  # the participant's group then
    hidden = models.BooleanField(default=False)  # an open answer the facilitator took down
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "participant"], name="workshop_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.question_id}"


class Entry(models.Model):
    """A brainstorm idea or a Q&A question from the room, which the room upvotes."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="entries")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="entries")
    group = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=ANSWER_MAX)
    # Case-folded, spaces squeezed: the same idea typed twice in a group is one entry (the
    # second writer's +1 is added to it instead).
    text_key = models.CharField(max_length=ANSWER_MAX)
    hidden = models.BooleanField(default=False)
    done = models.BooleanField(default=False)  # Q&A: answered on stage
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "group", "text_key"], name="workshop_entry_once"
            )
        ]

    def __str__(self) -> str:
        return self.text


class EntryVote(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "participant"], name="workshop_upvote_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} +1 {self.entry_id}"

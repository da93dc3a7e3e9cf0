"""An action plan: a vision, a SWOT, choices of path, goals with indicators, and actions with
their owners, funding, milestones and progress updates, following the Smart Village
template's intervention logic (objectives -> actions -> outputs -> results).

A plan is a process of kind ``plan`` on the spine (``platsa.processes``): its place's members
hold the roles (owner and organiser edit, viewer reads), and people outside the place get
a role in one plan by e-mail (:class:`PlanMember`): an editor, a viewer, or the owner of
one action, who updates only that action (``Action.owner_email``).

Where an action came from is kept as a real link where the source is a record of this
installation (a frozen recommendation, an idea) and as ``origin`` text always, so the plan
says "from the recommendation of round 2026" or "from the live workshop" even if the source
is later deleted.

Every write goes through ``platsa.plans.services`` and leaves a line in :class:`PlanLog`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.places.models import Place
from platsa.processes.models import Process

TITLE_MAX = 200
TEXT_MAX = 8000
SHORT_MAX = 2000


class Plan(models.Model):
    """What a plan needs beyond the spine's process fields."""

    class Scope(models.TextChoices):
        PLACE = "place", _("One place")
        VILLAGES = "villages", _("Villages planning together")
        MUNICIPALITY = "municipality", _("A municipality's localities")
        REGION = "region", _("A region")

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="plan")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default="place")
    vision = models.TextField(_("vision"), blank=True, max_length=TEXT_MAX)
    # The place today, for the local development plan's first chapter: its history,
    # services, housing, associations and business, in the organisers' words (the facts
    # and the assessment are added from the data).
    history = models.TextField(_("history and the place today"), blank=True, max_length=TEXT_MAX)
    strengths = models.TextField(_("strengths"), blank=True, max_length=SHORT_MAX)
    weaknesses = models.TextField(_("weaknesses"), blank=True, max_length=SHORT_MAX)
    opportunities = models.TextField(_("opportunities"), blank=True, max_length=SHORT_MAX)
    threats = models.TextField(_("threats"), blank=True, max_length=SHORT_MAX)
    follow_up = models.TextField(
        _("how the plan is followed up and revised"), blank=True, max_length=SHORT_MAX
    )
    starts_on = models.DateField(_("plan period from"), null=True, blank=True)
    ends_on = models.DateField(_("plan period to"), null=True, blank=True)
    # Anything the plan's pages show changed: the public page's cache key.
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.process.title


class Strategy(models.Model):
    """A strategy the plan serves, by name and link (the municipality's plan, the Leader
    area's local development strategy, the regional development strategy)."""

    class Level(models.TextChoices):
        LOCAL = "local", _("Local")
        MUNICIPAL = "municipal", _("Municipal")
        LEADER = "leader", _("Leader area")
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")
        EU = "eu", _("European")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    url = models.URLField(_("link"), blank=True, max_length=500)

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class Path(models.Model):
    """A choice of path (vägval): which way the place chose to go, and why."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="paths")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("why this way"), blank=True, max_length=SHORT_MAX)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """An objective of the plan. ``place`` set: one village's own goal in a plan of several;
    empty: a goal of the whole plan (shared)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    path = models.ForeignKey(
        Path, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("goal"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=SHORT_MAX)
    theme_id = models.CharField(_("assessment theme"), max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """How a goal is measured, with a baseline, a target and a year. ``theme``: a theme's
    score from the place's frozen assessment rounds; ``fact``: an open-data figure of the
    place's municipality (``fact_key``, one of ``platsa.places.facts``); ``custom``: a
    measure the organisers report themselves (:class:`IndicatorValue`)."""

    class Kind(models.TextChoices):
        THEME = "theme", _("An assessment theme's score")
        FACT = "fact", _("An open-data figure")
        CUSTOM = "custom", _("A measure of our own")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    theme_id = models.CharField(max_length=64, blank=True)
    fact_key = models.CharField(max_length=64, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A reported value of a custom indicator for one year."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class Lead(models.TextChoices):
    """Who leads an action (the catalogue's lead actor kinds)."""

    MUNICIPALITY = "municipality", _("The municipality")
    INDUSTRY = "industry", _("Industry")
    ASSOCIATION = "association", _("An association")
    REGION = "region", _("The region")
    JOINTLY = "jointly", _("Jointly")


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        PAUSED = "paused", _("Paused")
        STOPPED = "stopped", _("Stopped")

    class Origin(models.TextChoices):
        OWN = "own", _("Written in the plan")
        RECOMMENDATION = "recommendation", _("A recommendation")
        IDEA = "idea", _("An idea")
        WORKSHOP = "workshop", _("A workshop answer")
        CATALOGUE = "catalogue", _("The action catalogue")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    goals = models.ManyToManyField(Goal, blank=True, related_name="actions")
    # One village's own action in a plan of several; empty: shared by the whole plan.
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    themes = models.JSONField(default=list, blank=True)  # assessment theme ids it addresses
    owner_org = models.CharField(_("responsible organisation"), max_length=TITLE_MAX, blank=True)
    owner_name = models.CharField(_("contact person"), max_length=TITLE_MAX, blank=True)
    owner_email = models.EmailField(_("contact e-mail"), blank=True)
    # The contact person agreed to be named on the public page (never their e-mail).
    owner_public = models.BooleanField(_("show the contact person's name publicly"), default=False)
    lead = models.CharField(_("lead actor"), max_length=16, choices=Lead.choices, blank=True)
    partners = models.CharField(_("partners"), max_length=SHORT_MAX, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("budget"), null=True, blank=True)
    currency = models.CharField(max_length=3, default="SEK")
    outputs = models.TextField(_("outputs (what is made)"), blank=True, max_length=SHORT_MAX)
    results = models.TextField(_("results (what changes)"), blank=True, max_length=SHORT_MAX)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.OWN)
    origin_ref = models.CharField(max_length=160, blank=True)  # "catalogue:<id>", ...
    origin_text = models.CharField(max_length=600, blank=True)  # what the source said
    recommendation = models.ForeignKey(
        "assessments.FrozenRecommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    idea = models.ForeignKey(
        "innovation.Idea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    catalogue_action_id = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="plan_action_progress_0_100",
            ),
            # One action per source in a plan: a second click does not make a second action.
            models.UniqueConstraint(
                fields=["plan", "origin_ref"],
                condition=~Q(origin_ref=""),
                name="plan_action_origin_once",
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return self.title


class FundingLine(models.Model):
    """One source of money for an action, with where the application stands. ``source_id``
    names a programme of the funding data files or of :class:`LocalFunding` ("local:<id>");
    ``name`` keeps what it was called."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        APPLIED = "applied", _("Applied")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="funding")
    source_id = models.CharField(max_length=80, blank=True)
    name = models.CharField(_("funder or programme"), max_length=TITLE_MAX)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="idea")
    amount = models.PositiveBigIntegerField(_("amount"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class LocalFunding(models.Model):
    """A place's own funding programme (bygdemedel, vindkraftsmedel, a local foundation),
    matched to plans' actions beside the national and EU programmes."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="local_funding")
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    publisher = models.CharField(_("who pays"), max_length=TITLE_MAX)
    funds = models.TextField(_("what it pays for"), max_length=SHORT_MAX)
    applicants = models.JSONField(default=list, blank=True)  # Lead values
    themes = models.JSONField(default=list, blank=True)
    amount_max = models.PositiveBigIntegerField(_("largest amount"), null=True, blank=True)
    staged = models.BooleanField(_("pays in stages (advances tied to milestones)"), default=False)
    url = models.URLField(_("link"), blank=True, max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=TITLE_MAX)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # The day its owner was last reminded: one e-mail per milestone and state (due, overdue).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title


class Update(models.Model):
    """A progress report on an action: text, a photo, a new progress figure, a milestone
    done, a new status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=TITLE_MAX, blank=True)  # as shown publicly
    text = models.TextField(_("what happened"), max_length=SHORT_MAX)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    status = models.CharField(max_length=16, choices=Action.Status.choices, blank=True)
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    image = models.ForeignKey(
        "innovation.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action_id} @ {self.created_at:%Y-%m-%d}"


class PlanRole(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    ACTION_OWNER = "action_owner", _("Owner of an action")
    EDITOR = "editor", _("Editor")
    OWNER = "owner", _("Owner of the plan")


PLAN_ROLE_RANK = {
    PlanRole.VIEWER: 1,
    PlanRole.ACTION_OWNER: 2,
    PlanRole.EDITOR: 3,
    PlanRole.OWNER: 4,
}


class PlanMember(models.Model):
    """A role in one plan for someone outside its place (a company's site manager who owns an
    action, a regional officer who edits), by e-mail: it applies once they sign in with that
    address verified, so no account is made for them in advance."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=PlanRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["plan", "email"], name="plan_member_once")]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"


class Notify(models.Model):
    """Someone who said no to e-mails about a plan's actions (opt-out per person)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_notify"
    )
    opted_out_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} opted out"


class ActionFollow(models.Model):
    """Someone who asked to be told by e-mail when an action changes status or completes a
    milestone (from its public page): a workshop's participant, a supporter, a neighbour."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "user"], name="plan_action_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.action_id}"


class PlanLog(models.Model):
    """The audit log: who changed what in a plan, when. Ids and field names, never the
    text people wrote or their addresses."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=40)  # "action.created", "milestone.done", ...
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["plan", "at"])]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.what} {self.object_id}"

"""An open-innovation process: its stops (a journey's places and dates), themes, challenges,
ideas with their comments, supports, likes and pledges, the live feed, reports and the
moderation log.

Counts that lists sort by (supports, comments, likes, pledged amounts) are kept on the idea
itself, changed in the same transaction as the row they count, so a list of 3,000 ideas
sorts on one indexed column instead of counting a million likes. One support and one like
per person and idea are database constraints (a double click, two tabs, fifty requests at
once change nothing twice).

People: every write needs a signed-in account (an e-mailed code is enough, see
``platsa.accounts.code_signin``). When an account is deleted its ideas and comments stay,
without its name (``author`` becomes empty); its supports, likes and pledges go.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.places.models import Area
from platsa.processes.models import Process

TITLE_MAX = 120
BODY_MAX = 5000  # characters of Markdown
COMMENT_MAX = 2000
POST_MAX = 3000
REASON_MAX = 300
THEMES_MAX = 16
IMAGE_MAX_BYTES = 8_000_000  # what a phone's photo may weigh before it is re-encoded


class Innovation(models.Model):
    """What an open-innovation process needs beyond the spine's fields."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="innovation")
    intro = models.TextField(_("introduction"), blank=True, max_length=BODY_MAX)
    hold_first_posts = models.BooleanField(
        _("hold a new participant's first idea or comment for review"), default=False
    )
    moderation_policy = models.TextField(_("moderation policy"), blank=True, max_length=BODY_MAX)
    # Changes the idea lists show that are not an idea's own (themes, challenges, stops,
    # settings): with the newest ``Idea.changed_at`` of the process, the version the cache
    # keys of its public lists are made of. A support or a like moves only its idea's stamp,
    # so a crowd's writes do not queue on this one row.
    ideas_changed_at = models.DateTimeField(default=timezone.now)
    feed_changed_at = models.DateTimeField(default=timezone.now)  # a post added

    def __str__(self) -> str:
        return self.process.title


class Stop(models.Model):
    """One stop of a journey: a place (a Swedish or Norwegian municipality) and its dates."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="stops")
    municipality = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Area.Kind.MUNICIPALITY},
        related_name="+",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("name"), max_length=TITLE_MAX)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A theme of the process (housing, jobs, transport…), chosen by the organisers;
    challenges and ideas are tied to themes."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="idea_themes")
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="innovation_theme_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    class OwnerKind(models.TextChoices):
        MUNICIPALITY = "municipality", _("The municipality")
        COMPANY = "company", _("A company")
        ASSOCIATION = "association", _("An association")
        REGION = "region", _("A regional body")
        OTHER = "other", _("Other")

    # What help is wanted: a challenge may ask for several.
    HELP = (
        ("ideas", _("Ideas")),
        ("partners", _("Partners")),
        ("funding", _("Funding")),
        ("people", _("People who move here")),
    )

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="challenges")
    stop = models.ForeignKey(
        Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="challenges"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    owner_name = models.CharField(_("who owns the challenge"), max_length=120)
    owner_kind = models.CharField(
        _("kind of owner"), max_length=16, choices=OwnerKind.choices, default=OwnerKind.OTHER
    )
    story = models.TextField(_("the story"), blank=True, max_length=BODY_MAX)
    problem = models.TextField(_("the problem"), max_length=BODY_MAX)
    help_wanted = models.JSONField(default=list, blank=True)  # ids of HELP
    themes = models.ManyToManyField(Theme, blank=True, related_name="challenges")
    # The frozen recommendation of an assessment this challenge answers, kept as shown.
    recommendation = models.ForeignKey(
        "assessments.FrozenRecommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def help_labels(self) -> list[str]:
        names = dict(self.HELP)
        return [str(names[h]) for h in self.help_wanted if h in names]


class Visibility(models.TextChoices):
    """Where a participant's text stands: shown, held for review, or hidden with a reason
    (the author sees the reason)."""

    SHOWN = "shown", _("Shown")
    HELD = "held", _("Waiting for review")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Image(models.Model):
    """An uploaded picture after re-encoding (no metadata, at most 1,600 pixels a side),
    kept in the database so that a backup or an export holds it with its idea."""

    data = models.BinaryField()
    content_type = models.CharField(max_length=16)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"image {self.pk} ({self.width}x{self.height})"


class Idea(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        REVIEW = "review", _("Under review")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        IN_PLAN = "in_plan", _("In the plan")
        DONE = "done", _("Done")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    stop = models.ForeignKey(
        Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("the idea"), max_length=BODY_MAX)
    body_html = models.TextField(blank=True)  # the Markdown rendered and sanitised once
    themes = models.ManyToManyField(Theme, blank=True, related_name="ideas")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL)
    # What the idea would need in money, if it says (pledges are counted against it).
    goal_amount = models.PositiveIntegerField(_("goal in money"), null=True, blank=True)
    goal_currency = models.CharField(max_length=3, default="SEK")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.SHOWN
    )
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    # The organisers' answer, shown on the idea (one, replaced when given again).
    official_answer = models.TextField(blank=True, max_length=BODY_MAX)
    selection_reason = models.TextField(blank=True, max_length=2000)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # Where the idea came from when it was not posted here: a live workshop's open answer,
    # brainstorm idea or Q&A question ("workshop-entry:<id>", "workshop-answer:<id>"), so
    # that bringing a workshop's answers over again adds only the new ones.
    origin = models.CharField(max_length=40, blank=True)
    workshop_question = models.ForeignKey(
        "workshops.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The place's own action the selected idea became (the catalogue's LocalAction).
    local_action = models.ForeignKey(
        "catalogue.LocalAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_ideas",
    )
    support_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    pledged_money = models.PositiveBigIntegerField(default=0)
    pledge_count = models.PositiveIntegerField(default=0)
    read_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)  # anything its page shows
    text_changed_at = models.DateTimeField(default=timezone.now)  # its title or text

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["process", "visibility", "-created_at"]),
            models.Index(fields=["process", "visibility", "-support_count"]),
            models.Index(fields=["process", "visibility", "-comment_count"]),
            models.Index(fields=["process", "visibility", "-like_count"]),
            models.Index(fields=["process", "status"]),
            # The list's version: the newest change of any of its ideas (one index step).
            models.Index(fields=["process", "-changed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "origin"],
                condition=~Q(origin=""),
                name="innovation_idea_one_per_origin",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shown(self) -> bool:
        return self.visibility == Visibility.SHOWN and self.merged_into_id is None


class Comment(models.Model):
    """A comment on an idea or on a feed post; a reply is one level deep."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    post = models.ForeignKey(
        "FeedPost", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=COMMENT_MAX)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.SHOWN
    )
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, post__isnull=True)
                | Q(idea__isnull=True, post__isnull=False),
                name="innovation_comment_one_target",
            )
        ]
        indexes = [models.Index(fields=["idea", "created_at"])]

    def __str__(self) -> str:
        return f"comment {self.pk}"


class Support(models.Model):
    """One person's support of an idea: at most one (a constraint), withdrawn by deleting."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="innovation_one_support")
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"support {self.user_id} -> {self.idea_id}"


class Like(models.Model):
    """A light reaction to an idea or a feed post: one per person and target."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    post = models.ForeignKey(
        "FeedPost", null=True, blank=True, on_delete=models.CASCADE, related_name="likes"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"], condition=Q(idea__isnull=False), name="innovation_one_like"
            ),
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(post__isnull=False),
                name="innovation_one_post_like",
            ),
            models.CheckConstraint(
                condition=Q(idea__isnull=False, post__isnull=True)
                | Q(idea__isnull=True, post__isnull=False),
                name="innovation_like_one_target",
            ),
        ]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"like {self.user_id} -> {self.idea_id or self.post_id}"


class Pledge(models.Model):
    """A recorded commitment towards an idea: time, skills, premises or money. Not a
    payment: the organiser exports the list and follows up."""

    class Kind(models.TextChoices):
        TIME = "time", _("Time")
        SKILLS = "skills", _("Skills")
        PREMISES = "premises", _("Premises")
        MONEY = "money", _("Money")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="pledges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("what you offer"), max_length=10, choices=Kind.choices)
    amount = models.PositiveIntegerField(_("amount"), null=True, blank=True)  # money only
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)  # time only
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user"])]

    def __str__(self) -> str:
        return f"pledge {self.kind} -> {self.idea_id}"


class FeedPost(models.Model):
    """An organiser's update in the live feed of a stop (or of the whole process)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="feed_posts")
    stop = models.ForeignKey(
        Stop, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=POST_MAX)
    body_html = models.TextField(blank=True)
    video_url = models.URLField(blank=True, max_length=300)
    image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.SET_NULL)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)  # a like, a comment

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["process", "stop", "-created_at"]),
            models.Index(fields=["process", "-changed_at"]),
        ]

    def __str__(self) -> str:
        return f"post {self.pk}"


class Report(models.Model):
    """Someone asks the moderators to look at an idea or a comment."""

    idea = models.ForeignKey(
        Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("what is wrong"), max_length=REASON_MAX)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"report {self.pk}"


class ModerationEntry(models.Model):
    """One moderation decision: the log organisers export. Holds ids and the reason, never
    the text moderated nor who wrote it."""

    class Action(models.TextChoices):
        HELD = "held", _("held for review")
        RELEASED = "released", _("released")
        HIDDEN = "hidden", _("hidden")
        SHOWN = "shown", _("shown again")
        MERGED = "merged", _("merged")
        STATUS = "status", _("status changed")
        REPORT = "report", _("report handled")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="moderation")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.SET_NULL)
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    detail = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.idea_id or self.comment_id}"


class Moderator(models.Model):
    """Someone who moderates this process only (a volunteer of the village association, a
    colleague at the next stop) without a role in the organising place."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="moderators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="innovation_one_moderator")
        ]

    def __str__(self) -> str:
        return f"moderator {self.user_id} of {self.process_id}"


class Profile(models.Model):
    """What a participant chooses to say about themself (all optional), so that organisers
    see who supports what: counted in groups, never shown one by one, and any count under
    five is suppressed (``platsa.innovation.breakdown``)."""

    class AgeBand(models.TextChoices):
        UNDER_20 = "u20", _("Under 20")
        FROM_20 = "20-34", _("20–34")
        FROM_35 = "35-49", _("35–49")
        FROM_50 = "50-64", _("50–64")
        FROM_65 = "65+", _("65 or older")

    class Country(models.TextChoices):
        SE = "SE", _("Sweden")
        NO = "NO", _("Norway")
        FI = "FI", _("Finland")
        OTHER = "other", _("Another country")

    class Group(models.TextChoices):
        RESIDENT = "resident", _("I live here")
        WORKS = "works", _("I work or run a business here")
        SUMMER = "summer", _("I am here in summer or on holidays")
        AWAY = "away", _("I grew up here or follow from elsewhere")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_profile"
    )
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    country = models.CharField(_("country"), max_length=8, choices=Country.choices, blank=True)
    group = models.CharField(
        _("how you are linked to the place"), max_length=10, choices=Group.choices, blank=True
    )
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class ThemeRun(models.Model):
    """The latest machine grouping of a process's ideas by their words
    (``platsa.core.analysis.idea_themes``), made by the task worker (3,000 ideas take
    seconds) and kept with the version of the texts it was made from."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="theme_run")
    version = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)
    ideas = models.PositiveIntegerField(default=0)
    # [{"words": [...], "members": [ids], "representatives": [ids]}, ...] and the rest.
    themes = models.JSONField(default=list)
    unthemed = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"themes of {self.process_id} at {self.made_at:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    """Someone who wants the process's news by e-mail: a digest at most once a day of new
    ideas, decisions and feed updates (``platsa.innovation.digests``)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)
    last_sent = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="innovation_one_follow")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.process_id}"

"""A place's own actions and good examples, added by its organisers in the web app.

The shared catalogue lives in data files (``platsa/data/catalogue``); these records extend it
for one place and are turned into the same core :class:`~platsa.core.schema.catalogue.Action`, so
the recommendation engine treats them exactly like the shared ones.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from platsa.core.schema.catalogue import Action, CostBand, Effort, Example, Horizon, Lead, SourceRef
from platsa.core.schema.texts import LocalText
from platsa.places.models import Place

EFFORT_CHOICES = [(e.value, e.value) for e in Effort]
COST_CHOICES = [(c.value, c.value) for c in CostBand]
HORIZON_CHOICES = [(h.value, h.value) for h in Horizon]
LEAD_CHOICES = [(lead.value, lead.value) for lead in Lead]


def _text(sv: str, en: str) -> LocalText:
    return LocalText(sv=sv, en=en or sv)


def default_framework_id() -> str:
    """The default framework's id, from its data file (a field default must be a name)."""
    from platsa.core.schema.frameworks import default_framework, load_frameworks

    return default_framework(load_frameworks()).id


class LocalAction(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="local_actions")
    framework_id = models.CharField(max_length=64, default=default_framework_id)
    key = models.SlugField(max_length=80)
    title_sv = models.CharField(_("title in Swedish"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_sv = models.CharField(_("summary in Swedish"), max_length=400)
    summary_en = models.CharField(_("summary in English"), max_length=400, blank=True)
    description_sv = models.TextField(_("description in Swedish"), max_length=4000, blank=True)
    description_en = models.TextField(_("description in English"), max_length=4000, blank=True)
    themes = models.JSONField(default=dict)  # {theme_id: 1..3}
    effort = models.CharField(_("effort"), max_length=8, choices=EFFORT_CHOICES)
    cost_band = models.CharField(_("cost"), max_length=10, choices=COST_CHOICES)
    horizon = models.CharField(_("time horizon"), max_length=8, choices=HORIZON_CHOICES)
    lead_actors = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_sv"]
        constraints = [
            models.UniqueConstraint(fields=["place", "key"], name="local_action_unique_key")
        ]

    def __str__(self) -> str:
        return self.title_sv

    @property
    def action_id(self) -> str:
        """Distinct from every catalogue id: catalogue ids never contain two underscores."""
        return f"local__{self.place_id}__{self.key}"

    def to_action(self, examples: list[Example]) -> Action:
        return Action(
            id=self.action_id,
            title=_text(self.title_sv, self.title_en),
            summary=_text(self.summary_sv, self.summary_en),
            description=_text(
                self.description_sv or self.summary_sv, self.description_en or self.summary_en
            ),
            themes=dict(self.themes),
            effort=Effort(self.effort),
            cost_band=CostBand(self.cost_band),
            horizon=Horizon(self.horizon),
            lead_actors=tuple(Lead(a) for a in self.lead_actors),
            examples=tuple(examples),
            origin="place",
        )


class LocalExample(models.Model):
    """A good example a place's organisers know of, for a catalogue action or their own."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="local_examples")
    action_id = models.CharField(max_length=120)
    example_place = models.CharField(_("where"), max_length=120)
    country = models.CharField(_("country"), max_length=2, default="SE")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    text_sv = models.TextField(_("what they did (Swedish)"), max_length=2000)
    text_en = models.TextField(_("what they did (English)"), max_length=2000, blank=True)
    source_title = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("link to the source"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.example_place} ({self.action_id})"

    def to_example(self) -> Example:
        return Example(
            place=self.example_place,
            country=self.country,
            year=self.year,
            text=_text(self.text_sv, self.text_en),
            source=SourceRef(title=self.source_title, url=self.source_url or None),
        )


class ActionSearchIndex(models.Model):
    """Which catalogue the search index of one framework was built from.

    The index is derived data: the catalogue's data files are the truth. Storing a digest of
    what was indexed lets any process see, with one cheap query, that the files changed (a
    deploy, a ``git pull``, a test's own catalogue) and rebuild before it searches.
    """

    framework_id = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.framework_id} @ {self.digest[:12]}"


class ActionSearchEntry(models.Model):
    """One catalogue action's searchable text in one language, for full-text search.

    The texts are kept in four weights, as PostgreSQL ranks them: A the title, B the summary,
    C the description and the good examples (place and text), D the titles of sources. On
    PostgreSQL ``vector`` holds them as a weighted ``tsvector`` (GIN-indexed; the index is
    created by the migration on PostgreSQL only, so it is not declared here); on other
    databases ``vector`` stays empty and the ``stems_*`` columns hold the same texts as
    Snowball stems between spaces (" förening bygg byanät "), matched by prefix with LIKE.
    """

    framework_id = models.CharField(max_length=64)
    action_id = models.CharField(max_length=120)
    language = models.CharField(max_length=8)
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)
    text_d = models.TextField(blank=True)
    stems_a = models.TextField(blank=True)
    stems_b = models.TextField(blank=True)
    stems_c = models.TextField(blank=True)
    stems_d = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "language", "action_id"], name="action_search_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} ({self.language})"

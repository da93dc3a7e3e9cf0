"""Places: the official areas (country, region, municipality) and the places people develop.

Official areas come from open data (``manage.py import_reference``) and carry their facts
with the period they describe. A :class:`Place` is what users create: a whole municipality
or a locality inside one ("Domnarvet" in Borlänge), with per-place roles.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    """An official area with its code: country -> region/county -> municipality."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Municipality")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    country = models.CharField(max_length=2)
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Facts, each with the date or year it describes; sources are named by their keys in
    # platsa.core.io.reference.SOURCES.
    population = models.PositiveIntegerField(null=True, blank=True)
    population_date = models.CharField(max_length=10, blank=True)
    population_source = models.CharField(max_length=32, blank=True)
    population_series = models.JSONField(default=dict, blank=True)  # {"1950": 1234, ...}
    # The day of the year the series describes: "12-31" (SE, FI) or "01-01" (NO, SSB).
    population_series_day = models.CharField(max_length=5, blank=True, default="12-31")
    # Each stretch of the series with its source: [[1950, 2019, "scb_population"], ...].
    population_series_sources = models.JSONField(default=list, blank=True)
    # The newest age table's shares, with its year and source ...
    share_65_plus_pct = models.FloatField(null=True, blank=True)
    share_0_19_pct = models.FloatField(null=True, blank=True)
    age_year = models.CharField(max_length=4, blank=True)
    age_source = models.CharField(max_length=32, blank=True)
    # ... and the five-year bands of the age chart, which may be of an older table.
    age_bands = models.JSONField(default=dict, blank=True)  # {"0_4": 123, ...}
    age_bands_year = models.CharField(max_length=4, blank=True)
    age_bands_source = models.CharField(max_length=32, blank=True)
    skr_group_code = models.CharField(max_length=2, blank=True)
    skr_group_name = models.CharField(max_length=100, blank=True)
    land_area_km2 = models.FloatField(null=True, blank=True)
    area_year = models.CharField(max_length=4, blank=True)
    area_source = models.CharField(max_length=32, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "kind", "code"], name="area_unique_code"),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"{self.country}-{self.code}"


class AreaShape(models.Model):
    """A simplified boundary (GeoJSON geometry), kept apart so that area lists stay light."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="shape")
    geometry = models.JSONField()
    source = models.CharField(max_length=32)
    # Set by the reference import when it writes the boundary: what is drawn from the
    # shapes, or looked up in them, is kept per version of them (platsa.workshops.pins).
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.area_id} ({self.source})"


class Place(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("The whole municipality")
        LOCALITY = "locality", _("A town or village in the municipality")
        OTHER = "other", _("Another area (e.g. several villages)")

    class Industry(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Don't know")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    municipality = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Area.Kind.MUNICIPALITY},
        related_name="places",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(
        _("kind of place"), max_length=16, choices=Kind.choices, default=Kind.LOCALITY
    )
    population_estimate = models.PositiveIntegerField(
        _("inhabitants (approximately)"),
        null=True,
        blank=True,
        help_text=_(
            "Only for a place smaller than the municipality. Used to pick actions that fit its size."
        ),
    )
    # The field keeps its old name (no data migration); it means any large employer now.
    has_industry_employer = models.CharField(
        _("Is there a large employer?"),
        max_length=8,
        choices=Industry.choices,
        default=Industry.UNKNOWN,
        help_text=_(
            "An employer that recruits many people: a mill, a mine, a ski resort, a fish "
            "plant, a hospital."
        ),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the place or its own actions and examples changed: part of the cache keys of its
    # public pages (platsa.web.pagecache).
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_whole_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY

    @property
    def industry_flag(self) -> bool | None:
        """Whether there is a large employer (None: not known), for the engine's
        ``has_large_employer``."""
        return {"yes": True, "no": False}.get(self.has_industry_employer)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ORGANISER = "organiser", _("Organiser")
    VIEWER = "viewer", _("Viewer")


ROLE_RANK = {Role.VIEWER: 1, Role.ORGANISER: 2, Role.OWNER: 3}


class Membership(models.Model):
    """A user's role for one place. Owners manage members; organisers run rounds and see raw
    responses and comments; viewers see aggregated results."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["place", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.place} ({self.role})"


class Invitation(models.Model):
    """An owner's invitation to someone by e-mail, to join a place in a role.

    The link in the e-mail carries a random token; only its hash is stored, so a leaked
    database gives no working links. It can be used once, before ``expires_at``, by an
    account with the invited address.
    """

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and place: inviting again renews it.
            models.UniqueConstraint(
                fields=["place", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.place} ({self.role})"


class AreaIndicator(models.Model):
    """One key figure of an official area for one year and gender, as a statistics API gave it.

    Kolada (``manage.py import_kolada``, ``platsa.places.kolada``) is the first source: its KPIs
    (``N01951`` population, ``N07900`` broadband, ...) per municipality and year. One row per
    area, KPI, year and gender, so a second import finds the row and writes nothing when the
    figure is unchanged. ``value`` may be empty: Kolada publishes a row with no figure when a
    figure is missing or withheld, and ``status`` then says why. ``fetched_at`` is when the
    stored value was fetched (it moves only when the value or its status changes).
    """

    class Gender(models.TextChoices):
        TOTAL = "T", _("Everyone")
        WOMEN = "K", _("Women")
        MEN = "M", _("Men")

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicators")
    kpi = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=32, default="kolada")
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["area", "kpi", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kpi", "year", "gender"], name="areaindicator_unique"
            ),
        ]
        # The importer asks which years of a KPI are stored (resuming) and rewrites one
        # KPI and year at a time.
        indexes = [models.Index(fields=["kpi", "year"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.kpi} {self.year} {self.gender}: {self.value}"

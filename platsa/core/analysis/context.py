"""What the recommendation engine knows about a place besides the survey: open-data facts.

The context turns figures into a few tags (declining, ageing, remote, industry town) and a
size class, and keeps every figure with its source and year so that an explanation can
say exactly which fact made an action fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from platsa.core.schema.catalogue import ContextTag, Country, Remoteness, SizeClass, Trend

# Thresholds are modelling choices (documented in docs/recommendations.md), not data.
DECLINING_BELOW_PCT = -1.0  # population change over the last ten years of the series
GROWING_ABOVE_PCT = 5.0
AGEING_ABOVE_NATIONAL_PP = 3.0  # share 65+ this many percentage points above the country's


def trend_for(change_pct: float | None) -> Trend | None:
    """Declining below -1 % over ten years, growing above +5 %, stable between."""
    if change_pct is None:
        return None
    if change_pct < DECLINING_BELOW_PCT:
        return Trend.DECLINING
    if change_pct > GROWING_ABOVE_PCT:
        return Trend.GROWING
    return Trend.STABLE


def size_class_for(population: int | None) -> SizeClass | None:
    """Village under 1 000 inhabitants, small town under 10 000, town under 50 000, else city."""
    if population is None:
        return None
    if population < 1_000:
        return SizeClass.VILLAGE
    if population < 10_000:
        return SizeClass.SMALL_TOWN
    if population < 50_000:
        return SizeClass.TOWN
    return SizeClass.CITY


@dataclass(frozen=True)
class Fact:
    """One figure about the place, with where it comes from."""

    key: str  # e.g. "population", "population_change_pct", "share_65_plus_pct"
    value: float | int | str
    period: str  # e.g. "2024-11-01", "2009–2019", "2019"
    source: str  # a source key from platsa.core.io.reference.SOURCES
    area: str = ""  # whose figure it is, e.g. "Borlänge kommun"
    compare: float | None = None  # a national figure for comparison, where it helps


@dataclass(frozen=True)
class PlaceContext:
    """Facts about the place. Every field may be unknown (None): unknown never excludes an
    action, it only makes the explanation say that a precondition could not be checked."""

    name: str = ""
    population: int | None = None  # of the place itself
    size_class: SizeClass | None = None
    population_change_pct: float | None = None
    share_65_plus_pct: float | None = None
    national_share_65_plus_pct: float | None = None
    remoteness: Remoteness | None = None
    # An employer that recruits like a mill: a mine, a ski resort, a fish plant, a hospital.
    has_large_employer: bool | None = None
    country: Country | None = None
    facts: tuple[Fact, ...] = field(default_factory=tuple)

    @property
    def trend(self) -> Trend | None:
        """Growing, stable or declining, from the population change (None when unknown)."""
        return trend_for(self.population_change_pct)

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)

    def tags(self) -> dict[ContextTag, Fact | None]:
        """The context tags that hold, each with the fact that makes it hold."""
        tags: dict[ContextTag, Fact | None] = {}
        change = self.population_change_pct
        if change is not None and change < DECLINING_BELOW_PCT:
            tags[ContextTag.DECLINING_POPULATION] = self.fact("population_change_pct")
        if change is not None and change > GROWING_ABOVE_PCT:
            tags[ContextTag.GROWING_POPULATION] = self.fact("population_change_pct")
        if (
            self.share_65_plus_pct is not None
            and self.national_share_65_plus_pct is not None
            and self.share_65_plus_pct - self.national_share_65_plus_pct >= AGEING_ABOVE_NATIONAL_PP
        ):
            tags[ContextTag.AGEING] = self.fact("share_65_plus_pct")
        if self.remoteness == Remoteness.RURAL:
            tags[ContextTag.REMOTE] = self.fact("remoteness")
        if self.has_large_employer:
            tags[ContextTag.INDUSTRY_TOWN] = None
        return tags

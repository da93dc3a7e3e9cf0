"""Good examples nearest first: a village sees what villages did.

Each example's place is described by its country, its own size class (written in the
catalogue), and its municipality's trend and remoteness (from the reference data, by the
example's municipality code). Trend and remoteness are compared only within the place's own
country: remoteness is read from SKR's groups in Sweden and from density in Norway and
Finland, so the same word does not mean the same thing across a border (and a place need
not read two other countries' files to order its examples). Its likeness to the place being
assessed is a sum of points:

    country the same            2
    size class the same         3   (one class apart: 1.5)
    trend the same              1   (growing / stable / declining)
    remoteness the same         1   (urban / near a town / rural)

Unknown on either side gives nothing. Examples are ordered by likeness, then as the
catalogue lists them: the matchmaking the Alpine SmartVillages platform did by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from platsa.core.analysis.context import PlaceContext, trend_for
from platsa.core.schema.catalogue import Example, Remoteness, SizeClass, Trend

_RANK = {SizeClass.VILLAGE: 0, SizeClass.SMALL_TOWN: 1, SizeClass.TOWN: 2, SizeClass.CITY: 3}

POINTS_COUNTRY = 2.0
POINTS_SIZE = 3.0
POINTS_SIZE_NEAR = 1.5
POINTS_TREND = 1.0
POINTS_REMOTENESS = 1.0


@dataclass(frozen=True)
class PlaceProfile:
    remoteness: Remoteness | None = None
    trend: Trend | None = None


ProfileOf = Callable[[str, str], PlaceProfile | None]


@lru_cache(maxsize=2048)
def reference_profile(country: str, code: str) -> PlaceProfile | None:
    """The remoteness and trend of a municipality in the reference data."""
    from platsa.core.io.reference import find_municipality  # the files load on first use

    municipality = find_municipality(f"{country}-{code}")
    if municipality is None:
        return None
    change = municipality.population_change
    return PlaceProfile(
        remoteness=municipality.remoteness,
        trend=trend_for(change[0]) if change else None,
    )


def likeness(
    example: Example, context: PlaceContext, profile_of: ProfileOf = reference_profile
) -> float:
    """How alike the example's place and this one are (see the module's table)."""
    points = 0.0
    if context.country is not None and example.country == context.country:
        points += POINTS_COUNTRY  # (the profile below is read for these examples only)
    if example.size_class is not None and context.size_class is not None:
        distance = abs(_RANK[example.size_class] - _RANK[context.size_class])
        points += POINTS_SIZE if distance == 0 else POINTS_SIZE_NEAR if distance == 1 else 0.0
    same_country = context.country is not None and example.country == context.country
    profile = (
        profile_of(example.country, example.municipality_code)
        if example.municipality_code and same_country
        else None
    )
    if profile is not None:
        if profile.trend is not None and profile.trend == context.trend:
            points += POINTS_TREND
        if profile.remoteness is not None and profile.remoteness == context.remoteness:
            points += POINTS_REMOTENESS
    return points


def nearest_first(
    examples: Sequence[Example], context: PlaceContext, profile_of: ProfileOf = reference_profile
) -> tuple[Example, ...]:
    """The examples ordered by likeness to the place, the catalogue's order on ties."""
    order = sorted(
        range(len(examples)), key=lambda i: (-likeness(examples[i], context, profile_of), i)
    )
    return tuple(examples[i] for i in order)

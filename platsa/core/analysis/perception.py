"""Perception beside statistics: each theme next to the open-data figures that speak to it,
and a disagreement only where the answers and a figure clearly point different ways.

A survey says how people *see* their place; official figures say something about how it
*is*. Neither is the truth about the other: a municipality's figure covers the whole
municipality, not the village that answered, and people rate what they live with. So the
module is deliberately cautious:

* :data:`LINKS` declares, as data, which figure speaks to which theme and why, one short
  reason per pair. Only pairs a rural-development practitioner would accept are listed;
  most are context only (``rule=None``): an older population does not make services bad,
  it makes them more needed.
* A :class:`Finding` (a disagreement) is made only when both sides are clear: the theme's
  whole 95 % interval lies beyond the scale's middle *and* its score is at least
  :data:`SCORE_MARGIN_SHARE` of the scale away from it, with at least
  :data:`~platsa.core.analysis.disclosure.MIN_RATINGS` ratings; *and* the figure is past a
  stated threshold (:class:`Rule`). A missing figure, a figure without a comparison or too
  few ratings give no finding, never a guess.
* Only frameworks whose themes the links name get anything (place attractiveness); the
  innovation-capacity mapping gets an empty result.

Kolada's figures come with their position among the country's municipalities
(:func:`among`), because for some of them the unit is not confirmed (``docs/open-data.md``):
a rank does not depend on the unit, and a median outside :attr:`FactSpec.plausible` means
the stored KPI is not what we take it for, so it is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from platsa.core.analysis.context import Fact
from platsa.core.analysis.disclosure import MIN_RATINGS
from platsa.core.analysis.scoring import ThemeScore

FRAMEWORK_ID = "place-attractiveness"

# The answers' side: a score counts as "rated high" (or low) only when its whole 95 %
# interval lies above (below) the middle of the scale and the score is at least this share
# of the scale's width away from the middle: 1 point on 1-7 (5.0 or more, 3.0 or less). A
# tight interval around 4.3 is "neither good nor bad", not "rated high".
SCORE_MARGIN_SHARE = 1 / 6
# The figures' side (modelling choices, stated where they are used):
CLEAR_DECLINE_PCT = -3.0  # population change over ten years; "declining" starts at -1 %
FAST_GROWTH_PCT = 10.0  # over ten years, about 1 % a year, faster than Sweden 2012-2022
QUARTER = 0.25  # lowest or highest quarter of the country's municipalities
MIN_MUNICIPALITIES = 50  # fewer municipalities with the figure: no rank, no finding


def gettext_noop(message: str) -> str:
    """Marks a reason for translation (``makemessages`` collects it); the render module
    translates it. Defined here so the pure core imports nothing from the render layer."""
    return message


class Unit(StrEnum):
    PCT = "pct"  # a share in per cent
    PCT_CHANGE = "pct_change"  # a change in per cent
    PER_1000 = "per_1000"  # per 1,000 inhabitants
    NUMBER = "number"  # a number whose unit is not confirmed (net migration)
    LABEL = "label"  # a word (remoteness)


@dataclass(frozen=True)
class FactSpec:
    """A figure the links may name. ``kpis`` are Kolada ids in order of preference (the
    first one stored is used); ``plausible`` bounds the country's median: outside them the
    stored figure is not the indicator meant (an id that means something else)."""

    key: str
    unit: Unit
    kpis: tuple[str, ...] = ()
    plausible: tuple[float, float] | None = None


FACTS: dict[str, FactSpec] = {
    s.key: s
    for s in (
        FactSpec("population_change_pct", Unit.PCT_CHANGE),
        FactSpec("share_65_plus_pct", Unit.PCT),
        FactSpec("share_0_19_pct", Unit.PCT),
        FactSpec("remoteness", Unit.LABEL),
        # Count or rate: the sources disagree (docs/open-data.md); its sign and rank do not.
        FactSpec("net_domestic_migration", Unit.NUMBER, ("N01964", "N02101")),
        # N00914 is "Förvärvsarbetande invånare 20-64 år, andel (%)" in one source and
        # unemployment in another: a median of 50-100 % can only be an employment rate.
        FactSpec("employment_rate", Unit.PCT, ("N00914",), plausible=(50.0, 100.0)),
        FactSpec("unemployment", Unit.PCT, ("N03937",), plausible=(0.0, 30.0)),
        FactSpec("broadband_100", Unit.PCT, ("N07900",), plausible=(0.0, 100.0)),
        FactSpec("broadband_1000", Unit.PCT, ("N07918",), plausible=(0.0, 100.0)),
        FactSpec("new_companies", Unit.PER_1000, ("N00999",), plausible=(0.0, 50.0)),
    )
}


class Rated(StrEnum):
    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True)
class Rule:
    """When a figure contradicts a theme rated ``rated``: its value at or below ``at_most``,
    at or above ``at_least``, or its rank among the country's municipalities in the lowest
    (``lowest_quarter``) or highest quarter. ``code`` names the sentence."""

    rated: Rated
    code: str
    at_most: float | None = None
    at_least: float | None = None
    lowest_quarter: bool = False
    highest_quarter: bool = False


@dataclass(frozen=True)
class Link:
    """One figure that speaks to one theme, with why (an English message id)."""

    theme_id: str
    fact: str
    why: str
    rules: tuple[Rule, ...] = ()


# fmt: off
LINKS: tuple[Link, ...] = (
    Link("housing", "population_change_pct", gettext_noop(
        "A growing population needs more homes; where it shrinks, few are built and houses "
        "can be hard to sell."),
        (Rule(Rated.HIGH, "housing_fast_growth", at_least=FAST_GROWTH_PCT),)),
    Link("housing", "net_domestic_migration", gettext_noop(
        "More people moving in than out raises the demand for homes.")),
    Link("housing", "share_65_plus_pct", gettext_noop(
        "Older people who would leave a house for a flat need homes that suit them.")),
    Link("work_business", "population_change_pct", gettext_noop(
        "People move to where the jobs are, and away from where they are few."),
        (Rule(Rated.HIGH, "work_decline", at_most=CLEAR_DECLINE_PCT),)),
    Link("work_business", "employment_rate", gettext_noop(
        "How many of working age have a job."),
        (Rule(Rated.HIGH, "work_low_employment", lowest_quarter=True),)),
    Link("work_business", "unemployment", gettext_noop(
        "How many in the labour force are looking for a job."),
        (Rule(Rated.HIGH, "work_high_unemployment", highest_quarter=True),)),
    Link("work_business", "net_domestic_migration", gettext_noop(
        "More people moving in than out is often a sign of jobs to move for.")),
    Link("work_business", "new_companies", gettext_noop(
        "How many start a business: a sign of how easy it is to start one.")),
    Link("skills_supply", "share_65_plus_pct", gettext_noop(
        "Where many are 65 or older, many workers retire and fewer young people follow.")),
    Link("services", "share_65_plus_pct", gettext_noop(
        "Older people need health care, pharmacies and home help more, and many no longer "
        "drive.")),
    Link("services", "population_change_pct", gettext_noop(
        "Whether the population grows or shrinks decides how many use a shop or a health "
        "centre, and so whether it can stay.")),
    Link("services", "remoteness", gettext_noop(
        "How rural the municipality is: in rural areas services tend to be farther away.")),
    Link("schools_childcare", "share_0_19_pct", gettext_noop(
        "How many children and young people schools and childcare are for.")),
    Link("mobility", "remoteness", gettext_noop(
        "How rural the municipality is: rural places have longer distances and fewer buses.")),
    Link("digital_connectivity", "broadband_100", gettext_noop(
        "How many can have broadband of at least 100 Mbit/s."),
        (Rule(Rated.HIGH, "digital_low_broadband", lowest_quarter=True),
         Rule(Rated.LOW, "digital_high_broadband", highest_quarter=True))),
    Link("digital_connectivity", "broadband_1000", gettext_noop(
        "How many can have broadband of at least 1 Gbit/s."),
        (Rule(Rated.HIGH, "digital_low_broadband", lowest_quarter=True),
         Rule(Rated.LOW, "digital_high_broadband", highest_quarter=True))),
)
# fmt: on


class ReferenceKind(StrEnum):
    COUNTRY = "country"  # the country's own figure (share 65+ of the whole country)
    MEDIAN = "median"  # the median of the country's municipalities


@dataclass(frozen=True)
class Figure:
    """One figure about the municipality, with where it comes from and, where known, what
    to compare it with: ``reference`` (of kind ``reference_kind``), and ``rank``, the share
    of the ``peers`` municipalities with a lower value (ties count half)."""

    key: str
    value: float | str
    period: str
    source: str
    area: str = ""
    reference: float | None = None
    reference_kind: ReferenceKind | None = None
    rank: float | None = None
    peers: int = 0

    @property
    def unit(self) -> Unit:
        return FACTS[self.key].unit


@dataclass(frozen=True)
class Related:
    figure: Figure
    why: str  # English message id


@dataclass(frozen=True)
class Finding:
    """A theme rated ``rated`` while ``figure`` clearly points the other way."""

    theme_id: str
    code: str
    rated: Rated
    score: float
    low: float
    high: float
    n: int
    figure: Figure


@dataclass(frozen=True)
class ThemePerception:
    theme_id: str
    related: tuple[Related, ...]
    findings: tuple[Finding, ...]


def figures_from_facts(facts: Sequence[Fact]) -> list[Figure]:
    """The context's facts the links name, as figures (the country's share 65+ as the
    reference of the municipality's)."""
    out = []
    for fact in facts:
        spec = FACTS.get(fact.key)
        if spec is None or spec.kpis:
            continue
        if spec.unit is not Unit.LABEL and not isinstance(fact.value, int | float):
            continue
        value = fact.value if spec.unit is Unit.LABEL else float(fact.value)
        out.append(
            Figure(
                key=fact.key,
                value=value,
                period=fact.period,
                source=fact.source,
                area=fact.area,
                reference=fact.compare,
                reference_kind=ReferenceKind.COUNTRY if fact.compare is not None else None,
            )
        )
    return out


def among(value: float, values: Sequence[float]) -> tuple[float, float]:
    """The median of ``values`` (the country's municipalities, this one included) and the
    share of them with a lower value than ``value``, ties counting half."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return float(median(values)), (below + equal / 2) / len(values)


def kolada_figure(
    key: str,
    value: float,
    year: int,
    country_values: Sequence[float],
    *,
    area: str = "",
    source: str = "kolada",
) -> Figure | None:
    """A Kolada figure of one municipality with its median and rank among the country's
    municipalities for the same KPI and year (``country_values``, this one included). No
    rank with fewer than :data:`MIN_MUNICIPALITIES`; no figure at all when the median is
    outside the spec's plausible range (the KPI is not the indicator meant)."""
    spec = FACTS[key]
    reference = rank = None
    peers = len(country_values)
    if country_values:
        middle, position = among(value, country_values)
        if spec.plausible is not None and not spec.plausible[0] <= middle <= spec.plausible[1]:
            return None
        if peers >= MIN_MUNICIPALITIES:
            reference, rank = middle, position
    return Figure(
        key=key,
        value=float(value),
        period=str(year),
        source=source,
        area=area,
        reference=reference,
        reference_kind=ReferenceKind.MEDIAN if reference is not None else None,
        rank=rank,
        peers=peers if rank is not None else 0,
    )


def rated(theme: ThemeScore, scale: tuple[int, int]) -> Rated | None:
    """High or low when the answers are clear (see :data:`SCORE_MARGIN_SHARE`), else None."""
    if theme.score is None or theme.low is None or theme.high is None or theme.n < MIN_RATINGS:
        return None
    lo, hi = scale
    middle = (lo + hi) / 2
    margin = (hi - lo) * SCORE_MARGIN_SHARE
    if theme.low > middle and theme.score >= middle + margin:
        return Rated.HIGH
    if theme.high < middle and theme.score <= middle - margin:
        return Rated.LOW
    return None


def contradicts(rule: Rule, figure: Figure) -> bool:
    """Whether ``figure`` is past the rule's threshold (a rank only with enough peers)."""
    if isinstance(figure.value, str):
        return False
    if rule.at_most is not None and figure.value <= rule.at_most:
        return True
    if rule.at_least is not None and figure.value >= rule.at_least:
        return True
    if figure.rank is None or figure.peers < MIN_MUNICIPALITIES:
        return False
    if rule.lowest_quarter and figure.rank < QUARTER:
        return True
    return rule.highest_quarter and figure.rank > 1 - QUARTER


def knows(framework_id: str) -> bool:
    """Whether the links are written for this framework's themes."""
    return framework_id == FRAMEWORK_ID


def perception(
    framework_id: str,
    themes: Sequence[ThemeScore],
    figures: Sequence[Figure],
    scale: tuple[int, int],
) -> tuple[ThemePerception, ...]:
    """Per theme (in the order given), the figures that speak to it and the disagreements.

    ``themes`` are the scores the reader may see; a theme without any linked figure is left
    out. Nothing for a framework the links do not know."""
    if not knows(framework_id):
        return ()
    by_key: Mapping[str, Figure] = {f.key: f for f in figures}
    out = []
    for theme in themes:
        links = [link for link in LINKS if link.theme_id == theme.theme_id]
        related = [Related(by_key[ln.fact], ln.why) for ln in links if ln.fact in by_key]
        if not related:
            continue
        side = rated(theme, scale)
        findings = []
        if side is not None and theme.score is not None:
            low, high = theme.low or theme.score, theme.high or theme.score
            for link in links:
                figure = by_key.get(link.fact)
                if figure is None:
                    continue
                findings += [
                    Finding(
                        theme.theme_id, rule.code, side, theme.score, low, high, theme.n, figure
                    )
                    for rule in link.rules
                    if rule.rated is side and contradicts(rule, figure)
                ]
        out.append(ThemePerception(theme.theme_id, tuple(related), tuple(findings)))
    return tuple(out)

"""Perception beside statistics as sentences: each theme's figures, and the disagreements.

The analysis (``platsa.core.analysis.perception``) says which figures speak to a theme and
where the answers and a figure clearly disagree; this module phrases it in the reader's
language, the same on the results page and in the board report (only the translator
differs, as in ``representativeness_text``). Every figure carries its period and source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from platsa.core.analysis.perception import (
    SCORE_MARGIN_SHARE,
    Figure,
    Finding,
    ReferenceKind,
    ThemePerception,
    Unit,
)
from platsa.core.io.reference import SOURCES
from platsa.core.render.explain import number
from platsa.core.render.messages import Translate, gettext_noop, identity, label

# Names of the figures that have no label among the place page's facts.
FIGURE_LABELS: dict[str, str] = {
    "net_domestic_migration": gettext_noop("Net domestic migration (moved in minus moved out)"),
    "employment_rate": gettext_noop("In work, aged 20–64"),
    "unemployment": gettext_noop("Unemployment"),
    "broadband_100": gettext_noop("Broadband of at least 100 Mbit/s"),
    "broadband_1000": gettext_noop("Broadband of at least 1 Gbit/s"),
    "new_companies": gettext_noop("New companies per 1,000 inhabitants"),
}

SPEEDS: dict[str, str] = {
    "broadband_100": gettext_noop("at least 100 Mbit/s"),
    "broadband_1000": gettext_noop("at least 1 Gbit/s"),
}

# One sentence per rule of the analysis. {theme} is the theme's title, {score}, {low},
# {high} its score and 95 % interval on a scale up to {max}; {area} the municipality.
# xgettext:no-python-format
FINDINGS: dict[str, str] = {
    # xgettext:no-python-format
    "housing_fast_growth": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but the "
        "population of {area} grew {change} in {period} ({credit}). Growth that fast "
        "usually makes homes scarce."
    ),
    # xgettext:no-python-format
    "work_decline": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but the "
        "population of {area} fell {change} in {period} ({credit})."
    ),
    # xgettext:no-python-format
    "work_low_employment": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but "
        "{value} of those aged 20–64 in {area} were in work in {period}, among the lowest "
        "quarter of {peers} municipalities (median {reference}; {credit})."
    ),
    # xgettext:no-python-format
    "work_high_unemployment": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but "
        "unemployment in {area} was {value} in {period}, among the highest quarter of "
        "{peers} municipalities (median {reference}; {credit})."
    ),
    # xgettext:no-python-format
    "digital_low_broadband": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but only "
        "{value} in {area} could have broadband of {speed} in {period}, among the lowest "
        "quarter of {peers} municipalities (median {reference}; {credit})."
    ),
    # xgettext:no-python-format
    "digital_high_broadband": gettext_noop(
        "Respondents rate {theme} {score} of {max} (95 % interval {low}–{high}), but "
        "{value} in {area} could have broadband of {speed} in {period}, among the highest "
        "quarter of {peers} municipalities (median {reference}; {credit}). The gap may be "
        "local, or about mobile coverage or cost."
    ),
}

TEXTS: dict[str, str] = {
    "title": gettext_noop("What the figures say beside the answers"),
    "country": gettext_noop("the country: {value}"),
    "median": gettext_noop("median of {peers} municipalities: {value}"),
    "score": gettext_noop("{score} of {max}"),
    "note": gettext_noop(
        "The figures are for the whole of {area}; the answers are from {place}. A "
        "disagreement is a question to look into together, not a verdict on who is right."
    ),
    "note_unnamed": gettext_noop(
        "The figures are for the whole municipality, the answers from the place. A "
        "disagreement is a question to look into together, not a verdict on who is right."
    ),
    # xgettext:no-python-format
    "method": gettext_noop(
        "A disagreement is named only when the whole 95 % interval of a score lies on one "
        "side of the middle of the scale, the score is {high_at} or more (or {low_at} or less), "
        "it rests on at least {min_ratings} ratings, and the figure is past a stated "
        "threshold: a population change of {decline} or {growth} over ten years, or the "
        "lowest or highest quarter of the country's municipalities."
    ),
    "none": gettext_noop("No theme's score and figures clearly disagree."),
}


@dataclass(frozen=True)
class FigureLine:
    """One figure as the reader sees it; ``reference`` is empty when there is none."""

    key: str
    label: str
    value: str
    reference: str
    period: str
    credit: str
    why: str


@dataclass(frozen=True)
class FindingLine:
    theme_id: str
    code: str
    text: str


@dataclass(frozen=True)
class ThemeLines:
    theme_id: str
    title: str
    score: str  # "5,6 av 7", "–" when hidden
    figures: tuple[FigureLine, ...]
    findings: tuple[FindingLine, ...]


def credit(source: str, _: Translate = identity) -> str:
    """ "Source: SCB" in the reader's language; Kolada's own figures are "Source: Kolada"."""
    data = SOURCES.get(source)
    if data is not None:
        return data.credit(_)
    if source == "kolada":
        return _("Source: Kolada")
    return source


def figure_label(key: str, _: Translate = identity) -> str:
    if key in FIGURE_LABELS:
        return _(FIGURE_LABELS[key])
    return label(f"fact:{key}", _)


def _signed_pct(value: float, language: str, decimals: int = 1) -> str:
    """ "+5,5 %", "−3 %": a change with its sign (a true minus sign)."""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return sign + number(abs(value), language, decimals) + "\u00a0%"


def _value(unit: Unit, value: float, language: str) -> str:
    if unit is Unit.PCT:
        return number(value, language) + "\u00a0%"
    if unit is Unit.PCT_CHANGE:
        return _signed_pct(value, language)
    if unit is Unit.NUMBER and float(value).is_integer():
        return number(int(value), language)
    return number(value, language)


def figure_value(figure: Figure, language: str = "sv", _: Translate = identity) -> str:
    """The figure with its unit: "20,9 %", "+6,2 %", "−350", "landsbygd"."""
    if isinstance(figure.value, str):
        return label(f"remoteness:{figure.value}", _)
    return _value(figure.unit, figure.value, language)


def figure_reference(figure: Figure, language: str = "sv", _: Translate = identity) -> str:
    """ "the country: 20,2 %" or "median of 290 municipalities: 85,0 %"; "" without one."""
    if figure.reference is None:
        return ""
    value = _value(figure.unit, figure.reference, language)
    if figure.reference_kind is ReferenceKind.MEDIAN:
        return _(TEXTS["median"]).format(peers=number(figure.peers, language), value=value)
    return _(TEXTS["country"]).format(value=value)


def describe_finding(
    finding: Finding,
    theme_title: str,
    scale_max: int,
    *,
    language: str = "sv",
    _: Translate = identity,
) -> str:
    f = finding.figure
    value = 0.0 if isinstance(f.value, str) else f.value
    return _(FINDINGS[finding.code]).format(
        theme=theme_title,
        score=number(finding.score, language),
        low=number(finding.low, language),
        high=number(finding.high, language),
        max=scale_max,
        area=f.area,
        change=number(abs(value), language) + "\u00a0%",
        value=number(value, language) + "\u00a0%",
        reference=number(f.reference, language) + "\u00a0%",
        peers=number(f.peers, language),
        period=f.period,
        credit=credit(f.source, _),
        speed=_(SPEEDS[f.key]) if f.key in SPEEDS else "",
    )


def describe_perception(
    items: Sequence[ThemePerception],
    titles: dict[str, str],
    scores: dict[str, float | None],
    scale_max: int,
    *,
    language: str = "sv",
    _: Translate = identity,
) -> list[ThemeLines]:
    """Every theme of :func:`perception` with its figures and disagreements as text;
    ``titles`` and ``scores`` are the themes' titles in the reader's language and their
    scores as shown."""
    out = []
    for item in items:
        title = titles.get(item.theme_id, item.theme_id)
        score = scores.get(item.theme_id)
        out.append(
            ThemeLines(
                theme_id=item.theme_id,
                title=title,
                score=_(TEXTS["score"]).format(score=number(score, language), max=scale_max)
                if score is not None
                else "–",
                figures=tuple(
                    FigureLine(
                        key=r.figure.key,
                        label=figure_label(r.figure.key, _),
                        value=figure_value(r.figure, language, _),
                        reference=figure_reference(r.figure, language, _),
                        period=r.figure.period,
                        credit=credit(r.figure.source, _),
                        why=_(r.why),
                    )
                    for r in item.related
                ),
                findings=tuple(
                    FindingLine(
                        f.theme_id,
                        f.code,
                        describe_finding(f, title, scale_max, language=language, _=_),
                    )
                    for f in item.findings
                ),
            )
        )
    return out


def panel_title(_: Translate = identity) -> str:
    return _(TEXTS["title"])


def panel_note(area: str, place: str, _: Translate = identity) -> str:
    """Whose figures and whose answers: the municipality's, the place's."""
    if not area or not place:
        return _(TEXTS["note_unnamed"])
    return _(TEXTS["note"]).format(area=area, place=place)


def method_note(
    scale: tuple[int, int],
    *,
    min_ratings: int,
    decline: float,
    growth: float,
    language: str = "sv",
    _: Translate = identity,
) -> str:
    """The thresholds, as the reader needs them to judge a finding."""
    middle = (scale[0] + scale[1]) / 2
    margin = (scale[1] - scale[0]) * SCORE_MARGIN_SHARE

    def at(value: float) -> str:
        return number(value, language, 0 if float(value).is_integer() else 1)

    return _(TEXTS["method"]).format(
        high_at=at(middle + margin),
        low_at=at(middle - margin),
        min_ratings=min_ratings,
        decline=_signed_pct(decline, language, 0),
        growth=_signed_pct(growth, language, 0),
    )


def no_findings(_: Translate = identity) -> str:
    return _(TEXTS["none"])

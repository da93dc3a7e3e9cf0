"""Who answered beside who lives there, and the weighted scores, as sentences.

The analysis (``platsa.core.analysis.representativeness``) returns codes and values; this
module phrases them in the reader's language, the same on the results page, in the report
and on the command line (only the translator differs, as in ``explain``). Percentages are
whole: a survey of a few dozen people cannot tell 11.4 % from 11 %.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from platsa.core.analysis.representativeness import (
    RepresentationCode,
    RepresentationFlag,
    Representativeness,
    WeightedResults,
    age_range,
)
from platsa.core.analysis.scoring import Results
from platsa.core.io.reference import SOURCES
from platsa.core.render.explain import join_words, number
from platsa.core.render.messages import REPRESENTATIVENESS, Translate, identity
from platsa.core.schema.frameworks import Framework


@dataclass(frozen=True)
class RepresentationLine:
    """One finding as a sentence, with its code (for styling) and age band (``None`` for
    the whole round)."""

    code: RepresentationCode
    band_id: str | None
    text: str


@dataclass(frozen=True)
class WeightedLine:
    theme_id: str
    text: str


def _pct(share: float | None, language: str) -> str:
    return number(None if share is None else round(100 * share), language, 0)


def band_label(framework: Framework, band_id: str, language: str = "sv") -> str:
    """An age band as the framework names it ("16–24 år"), its id when unknown."""
    spec = next((b for b in framework.age_bands if b.id == band_id), None)
    return spec.label.get(language) if spec is not None else band_id


def covered_ages(bands: Sequence[str]) -> tuple[int | None, int | None]:
    """The youngest and oldest age the given bands cover (oldest ``None`` when the top one
    is open, youngest ``None`` when none is an age range)."""
    ranges = [r for r in (age_range(b) for b in bands) if r is not None]
    if not ranges:
        return None, None
    tops = [high for _, high in ranges]
    oldest = None if None in tops else max(t for t in tops if t is not None)
    return min(low for low, _ in ranges), oldest


def population_phrase(
    youngest: int | None, oldest: int | None, area: str = "", _: Translate = identity
) -> str:
    """ "the people aged 16 or older in Borlänge": whom the population shares are of."""
    key = "population_open" if oldest is None else "population_closed"
    if not area:
        key += "_unnamed"
    return _(REPRESENTATIVENESS[key]).format(
        youngest="" if youngest is None else youngest,
        oldest="" if oldest is None else oldest,
        area=area,
    )


def describe_flag(
    flag: RepresentationFlag,
    framework: Framework,
    *,
    population: str,
    language: str = "sv",
    _: Translate = identity,
) -> str:
    """One finding as a sentence; ``population`` is :func:`population_phrase`'s."""
    v = flag.values
    if flag.code == RepresentationCode.NO_KNOWN_AGES:
        return _(REPRESENTATIVENESS["no_known_ages"])
    if flag.code == RepresentationCode.NO_AGE_BAND:
        return _(REPRESENTATIVENESS["no_age_band"]).format(
            count=number(int(v.get("count", 0)), language),
            respondents=number(int(v.get("respondents", 0)), language),
        )
    return _(REPRESENTATIVENESS[flag.code]).format(
        band=band_label(framework, flag.band_id or "", language),
        respondents=number(int(v.get("respondents", 0)), language),
        compared=number(int(v.get("compared", 0)), language),
        sample_pct=_pct(v.get("sample_share"), language),
        population_pct=_pct(v.get("population_share"), language),
        population=population,
    )


def describe_representativeness(
    rep: Representativeness,
    framework: Framework,
    *,
    area: str = "",
    language: str = "sv",
    _: Translate = identity,
) -> list[RepresentationLine]:
    """Every finding of :func:`representativeness` as a sentence, in its order (age bands
    youngest first, then the round). ``area`` is the municipality whose age structure the
    shares are of ("Borlänge"); the ages named are those the compared bands cover."""
    youngest, oldest = covered_ages(
        [b.band_id for b in rep.bands if b.population_share is not None]
    )
    population = population_phrase(youngest, oldest, area, _)
    return [
        RepresentationLine(
            flag.code,
            flag.band_id,
            describe_flag(flag, framework, population=population, language=language, _=_),
        )
        for flag in rep.flags
    ]


def population_source(year: str, source: str, _: Translate = identity) -> str:
    """ "Population by age: 2019. Source: SCB.": the line under the comparison, from
    ``Municipality.age_bands_year`` and ``age_bands_source``."""
    data = SOURCES.get(source)
    credit = data.credit(_) if data is not None else source
    return _(REPRESENTATIVENESS["source"]).format(year=year, credit=credit)


def weighted_label(_: Translate = identity) -> str:
    """The label every weighted figure carries, so it is never read as the raw one."""
    return _(REPRESENTATIVENESS["weighted_label"])


def weighted_note(_: Translate = identity) -> str:
    """What weighting does and does not do, in two sentences under the weighted figures."""
    return _(REPRESENTATIVENESS["weighted_note"])


def describe_weighted(
    weighted: WeightedResults,
    raw: Results,
    framework: Framework,
    *,
    language: str = "sv",
    _: Translate = identity,
    themes: Sequence[str] | None = None,
) -> list[WeightedLine]:
    """Each theme's weighted score beside its raw one, in the framework's order; themes
    nobody rated (weighted) are left out. ``themes`` limits the lines to the themes the
    reader may see (the public rules hide some)."""
    titles = {t.id: t.title.get(language) for t in framework.themes}
    shown = set(themes) if themes is not None else None
    lines = []
    for theme in weighted.themes:
        if theme.score is None or (shown is not None and theme.theme_id not in shown):
            continue
        text = _(REPRESENTATIVENESS["weighted_theme"]).format(
            theme=titles.get(theme.theme_id, theme.theme_id),
            score=number(theme.score, language),
            low=number(theme.low, language),
            high=number(theme.high, language),
            n_effective=number(round(theme.n_effective), language, 0),
            raw=number(raw.theme(theme.theme_id).score, language),
        )
        if theme.missing_bands:
            bands = [band_label(framework, b, language) for b in theme.missing_bands]
            text += " " + _(REPRESENTATIVENESS["weighted_theme_missing"]).format(
                bands=join_words(bands, _)
            )
        lines.append(WeightedLine(theme.theme_id, text))
    return lines

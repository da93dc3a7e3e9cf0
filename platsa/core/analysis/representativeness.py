"""Who answered, compared with who lives there; and scores re-weighted to the population.

A village survey is answered by whoever has the time and the interest: often more people of
60 than of 20. Three steps make that visible and correct for it where it can be corrected:

1. :func:`age_structure` maps the framework's age bands (``16_24``, ``25_34``, …,
   ``75_plus``) onto a municipality's real age structure, the five-year bands of the
   reference data (``0_4``, ``5_9``, …, ``100_plus``; ``Municipality.age_bands``). A
   five-year band that a framework band covers only in part is split pro rata by years,
   as if people were spread evenly over its five years: ``16_24`` takes 4/5 of ``15_19``
   (ages 16-19 of 15-19) and all of ``20_24``. An open-ended reference band (``100_plus``)
   has no width to split, so it goes whole to an open-ended framework band that starts at
   or below it (``75_plus``) and to no other. A framework band whose ages the reference
   bands do not all cover (an id that is not an age range, data that stop short of it, an
   open band starting inside it) is *unmapped*: it gets no share rather than a guessed one.
   The shares are among the ages the mapped bands cover (16 and older for
   place-attractiveness), so they sum to 1.
2. :func:`representativeness` compares the respondents' age bands with those shares and
   flags, as data (:class:`RepresentationFlag`: a code and values for the sentence), the
   bands that are clearly under-represented.
3. :func:`post_stratified` gives each theme's mean re-weighted to the population's age
   shares (cell weighting), with a 95 % interval that accounts for the weights.

Why per theme: the classical post-stratified mean of a theme is ``sum_b P_b * mean_b``, the
population share of each age band times that band's mean rating of the theme. It equals
the weighted mean with weight ``P_b / s_b`` per respondent, ``s_b`` the band's share of the
theme's raters (respondents who gave a rating and a known age band). Taking ``s_b`` per
theme rather than over all respondents keeps the mix right when one age band says "don't
know" more often than another (the young about elderly care): with respondent-level weights
that band would be under-weighted a second time. Age bands with no rater of a theme (or
fewer than ``min_band``) cannot stand for their share of the population: they are left out
and the other bands' shares renormalised, and the theme says which bands are missing.

The interval is honest about the weights: with ``n_eff = (sum w)^2 / sum w^2`` (Kish's
effective sample size), the weighted standard deviation with reliability weights and
Student's t with ``n_eff - 1`` degrees of freedom, ``mean ± t · sd / sqrt(n_eff)``, clipped
to the scale. Equal weights give back exactly the ordinary t interval of
``platsa.core.analysis.scoring``. Uneven weights make the sample behave like fewer people,
so the interval widens: re-weighting corrects a bias, it does not add information.

Respondents who gave no age band (or one without a population share) count in the ordinary
scores, but in neither the comparison nor the weighted scores.

All sums are per (age band, theme) cell with one ``numpy.bincount`` each, as in scoring:
with one question per theme every rating is a whole number, the sums are exact, and the
order of respondents cannot change a result, not even in the last bit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from platsa.core.analysis import student_t
from platsa.core.analysis.scoring import CONFIDENCE
from platsa.core.schema.dataset import ResponseSet
from platsa.core.schema.frameworks import Framework

# A band is clearly under-represented when its share of the respondents is below this
# fraction of its share of the population: half as many as expected is beyond what chance
# gives a sample of a few dozen in most bands, and it is what a reader can check by eye.
UNDER_RATIO = 0.5
# Fewer respondents than this in a band that is at least LARGE_BAND_SHARE of the population
# is flagged even when its share is not below half: the band's view rests on a handful of
# people. The same five as the smallest figure public pages show (PLATSA_PUBLIC_MIN_GROUP).
MIN_BAND_RESPONDENTS = 5
LARGE_BAND_SHARE = 0.10
# Weighted scores are labelled with this, so that no page can show them as the raw ones.
WEIGHTING_AGE = "age"

_CLOSED = re.compile(r"(\d{1,3})_(\d{1,3})")
_OPEN = re.compile(r"(\d{1,3})_plus")


def age_range(band_id: str) -> tuple[int, int | None] | None:
    """The ages an age band id covers, as (first age, last age), both included; ``None``
    for the last age of an open band (``75_plus``). ``None`` for an id that names no range
    of ages (a framework may use other ids; such a band cannot be mapped)."""
    closed = _CLOSED.fullmatch(band_id)
    if closed:
        low, high = int(closed.group(1)), int(closed.group(2))
        return (low, high) if high >= low else None
    open_ = _OPEN.fullmatch(band_id)
    if open_:
        return int(open_.group(1)), None
    return None


def _bounds(ranges: list[tuple[int, int | None]]) -> np.ndarray:
    """``(k, 2)`` array of [first age, last age + 1), ``inf`` for an open end."""
    return np.array(
        [(low, math.inf if high is None else high + 1) for low, high in ranges], dtype=np.float64
    ).reshape(-1, 2)


@dataclass(frozen=True)
class AgeStructure:
    """The population of the framework's age bands, from a municipality's five-year bands.

    ``shares`` holds every mapped band (its share among the ages the mapped bands cover,
    summing to 1), ``people`` the same bands' head counts (fractional where a five-year band
    was split), ``unmapped`` the framework bands that got no share (see the module's
    docstring). ``youngest`` and ``oldest`` are the covered ages (``oldest`` ``None`` when the
    top band is open); ``youngest`` is ``None`` when nothing could be mapped."""

    shares: dict[str, float]
    people: dict[str, float]
    unmapped: tuple[str, ...]
    youngest: int | None
    oldest: int | None


def age_structure(framework: Framework, reference_bands: Mapping[str, float]) -> AgeStructure:
    """Map ``framework.age_bands`` onto ``reference_bands`` (``"0_4"`` -> people, as in
    ``Municipality.age_bands``; the broad bands such as ``0_19`` must not be among them).

    Raises ``ValueError`` when the reference bands are not disjoint ranges of ages with
    non-negative counts: they would count people twice."""
    ref_items = sorted(
        ((age_range(key), float(value), key) for key, value in reference_bands.items()),
        key=lambda item: (item[0] or (math.inf, None))[0],
    )
    ref_ranges: list[tuple[int, int | None]] = []
    for ages, value, key in ref_items:
        if ages is None:
            raise ValueError(f"reference age band {key!r} names no range of ages")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"reference age band {key!r} has {value} people")
        ref_ranges.append(ages)
    ref = _bounds(ref_ranges)
    if len(ref) > 1 and np.any(ref[1:, 0] < ref[:-1, 1]):
        raise ValueError("reference age bands overlap")
    people = np.array([value for _, value, _ in ref_items], dtype=np.float64)

    ids = [band.id for band in framework.age_bands]
    parsed = [age_range(i) for i in ids]
    known = [j for j, ages in enumerate(parsed) if ages is not None]
    fw = _bounds([ages for ages in parsed if ages is not None])
    # Framework bands that overlap one another cannot all be given their people.
    clash = np.zeros(len(known), dtype=bool)
    if len(known) > 1:
        inter = np.minimum(fw[:, None, 1], fw[None, :, 1]) - np.maximum(
            fw[:, None, 0], fw[None, :, 0]
        )
        np.fill_diagonal(inter, 0.0)
        clash = (inter > 0).any(axis=1)

    ref_closed = np.isfinite(ref[:, 1])
    fw_open = ~np.isfinite(fw[:, 1])
    with np.errstate(invalid="ignore"):
        overlap = np.minimum(fw[:, None, 1], ref[None, :, 1]) - np.maximum(
            fw[:, None, 0], ref[None, :, 0]
        )
    overlap = np.where(ref_closed[None, :], np.clip(overlap, 0.0, None), 0.0)
    width = np.where(ref_closed, ref[:, 1] - ref[:, 0], 1.0)
    # Closed reference bands pro rata by years; an open one whole to an open framework band
    # that starts at or below it.
    takes_open = (~ref_closed)[None, :] & fw_open[:, None] & (fw[:, None, 0] <= ref[None, :, 0])
    fraction = np.where(ref_closed[None, :], overlap / width[None, :], takes_open.astype(float))
    band_people = fraction @ people

    covered_years = overlap.sum(axis=1)
    closed_full = ~fw_open & (covered_years == fw[:, 1] - fw[:, 0])
    # An open band is covered when the closed bands fill its ages up to the open reference
    # band (disjoint bands: there is at most one), which it then takes whole.
    open_from = float(ref[~ref_closed, 0][0]) if (~ref_closed).any() else math.nan
    open_full = fw_open & (fw[:, 0] <= open_from) & (covered_years == open_from - fw[:, 0])
    mapped = (closed_full | open_full) & ~clash

    total = float(band_people[mapped].sum())
    shares: dict[str, float] = {}
    heads: dict[str, float] = {}
    if total > 0:
        for row, j in enumerate(known):
            if mapped[row]:
                shares[ids[j]] = float(band_people[row] / total)
                heads[ids[j]] = float(band_people[row])
    unmapped = tuple(i for i in ids if i not in shares)
    covered = [parsed[ids.index(i)] for i in shares]
    youngest = min(a[0] for a in covered if a is not None) if covered else None
    tops = [a[1] for a in covered if a is not None]
    oldest = None if not tops or None in tops else max(t for t in tops if t is not None)
    return AgeStructure(shares, heads, unmapped, youngest, oldest)


def population_shares(
    framework: Framework, reference_bands: Mapping[str, float]
) -> dict[str, float]:
    """Each mapped framework band's share of the population the survey covers (see
    :func:`age_structure`): the input of :func:`representativeness` and
    :func:`post_stratified`."""
    return age_structure(framework, reference_bands).shares


class RepresentationCode(StrEnum):
    """Which finding a :class:`RepresentationFlag` is; a key of ``REPRESENTATIVENESS`` in
    ``platsa.core.render.messages`` for its sentence."""

    NO_RESPONDENTS = "no_respondents"  # nobody of a band that is part of the population
    UNDER_REPRESENTED = "under_represented"  # sample share below UNDER_RATIO x population's
    FEW_RESPONDENTS = "few_respondents"  # < MIN_BAND_RESPONDENTS in a band >= LARGE_BAND_SHARE
    NO_POPULATION_SHARE = "no_population_share"  # answers in a band the data cannot place
    NO_AGE_BAND = "no_age_band"  # respondents who gave no age band
    NO_KNOWN_AGES = "no_known_ages"  # nobody gave an age band there are figures for


@dataclass(frozen=True)
class RepresentationFlag:
    """One finding, as data: ``code`` picks the sentence, ``values`` fill it in; ``band_id``
    names the age band (``None`` for findings about the whole round)."""

    code: RepresentationCode
    band_id: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.code, RepresentationCode):
            object.__setattr__(self, "code", RepresentationCode(self.code))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "band": self.band_id, **self.values}


@dataclass(frozen=True)
class BandRepresentation:
    """One age band: how many answered and how that compares with the population.

    ``sample_share`` is the band's share of the respondents compared (those whose band has
    a population share); ``population_share`` its share of the population, ``None`` for an
    unmapped band (then ``sample_share`` is ``None`` too: there is nothing to compare with).
    ``weight`` is what each of its answers counts for in the weighted scores over all themes
    (``population_share / sample_share``; ``None`` without respondents)."""

    band_id: str
    respondents: int
    sample_share: float | None
    population_share: float | None
    weight: float | None
    flag: RepresentationCode | None = None


@dataclass(frozen=True)
class Representativeness:
    respondents: int  # everyone in the round
    compared: int  # respondents whose age band has a population share
    without_band: int  # respondents who gave no age band
    bands: tuple[BandRepresentation, ...]  # in the framework's order
    flags: tuple[RepresentationFlag, ...]  # bands in the framework's order, then the round

    def band(self, band_id: str) -> BandRepresentation:
        return next(b for b in self.bands if b.band_id == band_id)

    @property
    def comparable(self) -> bool:
        """Whether there is anything to compare: population figures and respondents in them."""
        return self.compared > 0


def _share_vector(framework: Framework, population_shares: Mapping[str, float]) -> np.ndarray:
    """The framework bands' population shares in its order, normalised over the bands that
    have one; NaN for a band without one. Refuses ids the framework does not have."""
    ids = [band.id for band in framework.age_bands]
    unknown = set(population_shares) - set(ids)
    if unknown:
        raise ValueError(f"not age bands of {framework.id}: {sorted(unknown)}")
    shares = np.array([population_shares.get(i, np.nan) for i in ids], dtype=np.float64)
    given = ~np.isnan(shares)
    if np.any(~np.isfinite(shares[given])) or np.any(shares[given] < 0):
        raise ValueError("population shares must be finite and not negative")
    total = float(shares[given].sum())
    if total <= 0:
        return np.full(len(ids), np.nan)
    normalised: np.ndarray = shares / total
    return normalised


def _bands_of(responses: ResponseSet) -> np.ndarray:
    band = np.asarray(responses.age_band, dtype=np.int64)
    if np.any(band >= len(responses.framework.age_bands)) or np.any(band < -1):
        raise ValueError("age_band holds an index the framework does not have")
    return band


def representativeness(
    responses: ResponseSet,
    population_shares: Mapping[str, float],
    *,
    under_ratio: float = UNDER_RATIO,
    min_respondents: int = MIN_BAND_RESPONDENTS,
    large_share: float = LARGE_BAND_SHARE,
) -> Representativeness:
    """The respondents' age bands beside the population's (``population_shares`` from
    :func:`population_shares`; normalised here over the bands it names).

    Each band gets at most one flag, the most serious: nobody answered (of a band with
    people), then under-represented (sample share below ``under_ratio`` of the population
    share), then few respondents (under ``min_respondents`` in a band that is at least
    ``large_share`` of the population). Answers in a band without a population share are
    flagged too. The round gets a flag for respondents without an age band, or, when no one
    can be compared at all, one saying so (and no band flags, which would all say the same)."""
    fw = responses.framework
    ids = [band.id for band in fw.age_bands]
    shares = _share_vector(fw, population_shares)
    band = _bands_of(responses)
    counts = np.bincount(band[band >= 0], minlength=len(ids))
    mapped = ~np.isnan(shares)
    compared = int(counts[mapped].sum())
    without = int((band < 0).sum())

    bands: list[BandRepresentation] = []
    flags: list[RepresentationFlag] = []
    for j, band_id in enumerate(ids):
        count = int(counts[j])
        population = float(shares[j]) if mapped[j] else None
        sample = count / compared if population is not None and compared else None
        weight = population / sample if population is not None and sample else None
        code: RepresentationCode | None = None
        if population is None:
            if count:
                code = RepresentationCode.NO_POPULATION_SHARE
        elif compared and population > 0:
            if count == 0:
                code = RepresentationCode.NO_RESPONDENTS
            elif sample is not None and sample < under_ratio * population:
                code = RepresentationCode.UNDER_REPRESENTED
            elif count < min_respondents and population >= large_share:
                code = RepresentationCode.FEW_RESPONDENTS
        bands.append(BandRepresentation(band_id, count, sample, population, weight, code))
        if code is not None:
            values: dict[str, Any] = {"respondents": count, "compared": compared}
            if population is not None:
                values["population_share"] = population
            if sample is not None:
                values["sample_share"] = sample
            if code == RepresentationCode.UNDER_REPRESENTED:
                values["ratio"] = under_ratio
            if code == RepresentationCode.FEW_RESPONDENTS:
                values["minimum"] = min_respondents
            flags.append(RepresentationFlag(code, band_id, values))
    if responses.n and not compared:
        flags = [f for f in flags if f.code == RepresentationCode.NO_POPULATION_SHARE]
        flags.append(
            RepresentationFlag(
                RepresentationCode.NO_KNOWN_AGES,
                values={"respondents": responses.n, "without_band": without},
            )
        )
    elif without:
        flags.append(
            RepresentationFlag(
                RepresentationCode.NO_AGE_BAND,
                values={"count": without, "respondents": responses.n},
            )
        )
    return Representativeness(
        respondents=responses.n,
        compared=compared,
        without_band=without,
        bands=tuple(bands),
        flags=tuple(flags),
    )


@dataclass(frozen=True)
class WeightedThemeScore:
    """A theme's mean re-weighted to the population's age shares (see the module's
    docstring), with its 95 % interval. ``n`` is the raters counted (a rating and an age
    band that is weighted), ``n_effective`` what the weighted sample is worth in unweighted
    answers. ``missing_bands`` are the bands of the population without (enough) raters of
    the theme: the others stand for them, their shares renormalised, and ``covered_share``
    is the population share they stand for together (1.0 when no band is missing)."""

    theme_id: str
    score: float | None
    n: int
    n_effective: float
    low: float | None
    high: float | None
    sd: float | None
    missing_bands: tuple[str, ...] = ()
    covered_share: float = 1.0


@dataclass(frozen=True)
class WeightedResults:
    """Theme scores weighted to the population, beside (never instead of) the raw ones of
    :class:`platsa.core.analysis.scoring.Results`; ``weighting`` says by what."""

    framework_id: str
    scale_min: int
    scale_max: int
    weighting: str  # WEIGHTING_AGE
    respondents: int  # everyone in the round
    weighted_respondents: int  # respondents whose age band has a population share
    left_out: int  # the others: no age band, or one without a population share
    population_shares: dict[str, float]  # normalised over the bands that have one
    themes: tuple[WeightedThemeScore, ...]
    min_band: int = 1

    def theme(self, theme_id: str) -> WeightedThemeScore:
        return next(t for t in self.themes if t.theme_id == theme_id)


@dataclass
class _Cells:
    """Per (age band, theme) cell: raters, band mean, within-band squared deviations, and
    the weight of each of its raters (0 where the band is left out)."""

    shares: np.ndarray  # (B,) normalised population shares, NaN without one
    band: np.ndarray  # (n,) the respondent's band, -1 when not weighted
    rated: np.ndarray  # (n, T) a rating and a weighted band
    values: np.ndarray  # (n, T)
    count: np.ndarray  # (B, T)
    mean: np.ndarray  # (B, T), NaN in empty cells
    m2: np.ndarray  # (B, T)
    present: np.ndarray  # (B, T) the cell stands for its band's share
    share: np.ndarray  # (B, T) population share renormalised over present cells
    weight: np.ndarray  # (B, T) per rater
    raters: np.ndarray  # (T,) raters in present cells


def _cells(responses: ResponseSet, population_shares: Mapping[str, float], min_band: int) -> _Cells:
    fw = responses.framework
    n_bands, n_themes = len(fw.age_bands), len(fw.themes)
    shares = _share_vector(fw, population_shares)
    band = _bands_of(responses)
    mapped = ~np.isnan(shares)
    weighted = np.zeros(band.shape, dtype=bool)
    weighted[band >= 0] = mapped[band[band >= 0]]
    band = np.where(weighted, band, -1)
    values, _ = responses.theme_matrix()
    rated = ~np.isnan(values) & weighted[:, None]
    cell = (band[:, None] * n_themes + np.arange(n_themes))[rated]
    size = n_bands * n_themes
    lo = fw.scale.min
    steps = fw.scale.max - lo + 1
    count: np.ndarray
    s1: np.ndarray
    s2: np.ndarray
    if all(len(t.questions) == 1 for t in fw.themes):
        # Whole-number ratings: one histogram per cell over the steps of the scale, so that
        # every sum below is an exact integer (as in scoring).
        state = (values[rated] - lo).astype(np.intp)
        hist = np.bincount(cell * steps + state, minlength=size * steps).reshape(
            n_bands, n_themes, steps
        )
        x = np.arange(steps, dtype=np.int64) + lo
        count = hist.sum(axis=2).astype(np.float64)
        s1 = (hist @ x).astype(np.float64)
        s2 = (hist @ (x * x)).astype(np.float64)
    else:  # themes that average several questions: sums of fractions
        rated_values = values[rated]
        count = np.bincount(cell, minlength=size).astype(np.float64).reshape(n_bands, n_themes)
        s1 = np.bincount(cell, weights=rated_values, minlength=size).reshape(n_bands, n_themes)
        s2 = np.bincount(cell, weights=rated_values**2, minlength=size).reshape(n_bands, n_themes)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s1 / count
        m2 = np.maximum(s2 - s1 * s1 / count, 0.0)  # from exact sums: order cannot matter
    present = (count >= max(min_band, 1)) & mapped[:, None]
    population = np.where(present, np.nan_to_num(shares)[:, None], 0.0)
    covered = population.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(covered > 0, population / covered, 0.0)
        raters = np.where(present, count, 0.0).sum(axis=0)
        weight = np.where(present, share * raters / count, 0.0)
    return _Cells(shares, band, rated, values, count, mean, m2, present, share, weight, raters)


def cell_weights(
    responses: ResponseSet, population_shares: Mapping[str, float], *, min_band: int = 1
) -> np.ndarray:
    """Each respondent's weight per theme, ``(n, T)``: the band's renormalised population
    share over its share of the theme's raters; 0 where the respondent is not counted (no
    rating, no weighted age band, a band left out). Per theme they sum to the raters
    counted, so a weighted mean with them is :func:`post_stratified`'s score."""
    c = _cells(responses, population_shares, min_band)
    n_themes = c.values.shape[1]
    rows = np.maximum(c.band, 0)
    weight = c.weight[rows[:, None], np.arange(n_themes)[None, :]]
    return np.where(c.rated & c.present[rows[:, None], np.arange(n_themes)[None, :]], weight, 0.0)


def _whole(df: np.ndarray) -> np.ndarray:
    """Degrees of freedom within rounding of a whole number are that number: equal weights
    then give exactly the ordinary interval (and the t quantile's exact finite sum)."""
    nearest = np.rint(df)
    return np.where(np.abs(df - nearest) <= 1e-9 * np.maximum(nearest, 1.0), nearest, df)


def post_stratified(
    responses: ResponseSet, population_shares: Mapping[str, float], *, min_band: int = 1
) -> WeightedResults:
    """Per theme, the mean re-weighted to ``population_shares`` with its 95 % interval (see
    the module's docstring). ``min_band``: a band with fewer raters of a theme is left out of
    that theme and said to be missing; public pages pass the smallest group they show
    (``PLATSA_PUBLIC_MIN_GROUP``), because the raw and the weighted mean together would
    otherwise let a reader work out the mean of a band of one or two."""
    fw = responses.framework
    c = _cells(responses, population_shares, min_band)
    lo_scale, hi_scale = float(fw.scale.min), float(fw.scale.max)
    n = c.raters
    with np.errstate(invalid="ignore", divide="ignore"):
        # A mix of means on the scale lies on it; clipping takes off the last bit of
        # rounding (shares summing to 1 - 1e-16 would put a mean of all 1s below 1).
        score = np.where(c.present, c.share * np.nan_to_num(c.mean), 0.0).sum(axis=0)
        score = np.clip(score, lo_scale, hi_scale)
        sum_w2 = np.where(c.present, c.weight**2 * c.count, 0.0).sum(axis=0)
        n_eff = np.where(sum_w2 > 0, n * n / sum_w2, 0.0)
        deviation = np.nan_to_num(c.mean) - score[None, :]
        ss = np.where(c.present, c.weight * (c.m2 + c.count * deviation * deviation), 0.0).sum(
            axis=0
        )
        # Reliability weights: sum w - sum w^2 / sum w, which is n - 1 for equal weights.
        variance = ss / (n - sum_w2 / n)
        sd = np.sqrt(np.maximum(variance, 0.0))
        df = _whole(n_eff - 1)
        half = student_t.t_quantile(df, 0.5 + CONFIDENCE / 2) * sd / np.sqrt(n_eff)
    ids = [band.id for band in fw.age_bands]
    has_people = np.nan_to_num(c.shares) > 0
    themes = []
    for t, theme_id in enumerate(fw.theme_ids):
        count = int(n[t])
        missing = tuple(ids[b] for b in range(len(ids)) if has_people[b] and not c.present[b, t])
        covered = float(np.nan_to_num(c.shares)[c.present[:, t]].sum()) if count else 0.0
        mean = low = high = sd_t = None
        if count > 0:
            mean = float(score[t])
            if count > 1 and df[t] > 0:
                sd_t = float(sd[t])
            if df[t] >= 1 and np.isfinite(half[t]):
                low = max(lo_scale, mean - float(half[t]))
                high = min(hi_scale, mean + float(half[t]))
            else:  # worth fewer than two answers: nothing is known about the spread
                low, high = lo_scale, hi_scale
        themes.append(
            WeightedThemeScore(
                theme_id=theme_id,
                score=mean,
                n=count,
                n_effective=float(n_eff[t]),
                low=low,
                high=high,
                sd=sd_t,
                missing_bands=missing,
                covered_share=covered,
            )
        )
    weighted = int((c.band >= 0).sum())
    return WeightedResults(
        framework_id=fw.id,
        scale_min=fw.scale.min,
        scale_max=fw.scale.max,
        weighting=WEIGHTING_AGE,
        respondents=responses.n,
        weighted_respondents=weighted,
        left_out=responses.n - weighted,
        population_shares={ids[b]: float(c.shares[b]) for b in np.flatnonzero(~np.isnan(c.shares))},
        themes=tuple(themes),
        min_band=min_band,
    )

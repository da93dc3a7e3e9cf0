"""Theme scores with intervals, per group, and the gaps between groups.

A theme's score is the mean rating of those who gave one ("don't know" and unanswered are
left out), on the framework's own scale. Its 95 % interval is the Student t interval of
the mean, clipped to the scale: with the small samples of a village (n of 5 to 50) the t
interval is honest about uncertainty where a normal interval would be too narrow. See
``docs/scoring.md`` for the formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from platsa.core.analysis import student_t
from platsa.core.schema.dataset import GroupInfo, ResponseSet

CONFIDENCE = 0.95
# Gaps between groups are only reported when both groups have at least this many ratings
# of the theme, and when the difference is larger than the two intervals allow for
# (see ``_beyond_intervals``): below ten people, two or three voices make a "disagreement".
MIN_GAP_N = 10
# Fewer people than this named any priority: their shares say nothing yet ("100 % named
# housing" from one person) and are given as 0, on every page and in the ranking. The same
# threshold as the smallest group public pages show.
MIN_PRIORITY_BASE = 5


@dataclass(frozen=True)
class ThemeScore:
    theme_id: str
    score: float | None  # mean rating on the framework scale, None with no ratings
    n: int  # respondents who gave a rating
    low: float | None  # 95 % interval, clipped to the scale
    high: float | None
    sd: float | None
    dont_know: int  # respondents who answered "don't know"
    dont_know_share: float  # dont_know / (n + dont_know), 0 when nobody answered
    priority_count: int  # respondents who named the theme among their priorities
    priority_share: float  # priority_count / respondents who named any priority (see below)
    priority_base: int = 0  # respondents who named any priority; under MIN_PRIORITY_BASE: share 0


@dataclass(frozen=True)
class GroupResult:
    group: GroupInfo
    respondents: int
    themes: tuple[ThemeScore, ...]

    def theme(self, theme_id: str) -> ThemeScore:
        return next(t for t in self.themes if t.theme_id == theme_id)


@dataclass(frozen=True)
class Gap:
    """The largest disagreement on one theme: between group ``high_group`` (higher score)
    and ``low_group``. ``cross_side`` is True only when both groups have a known side and
    the sides differ (the place and its industry, the municipality and civil society);
    free-text groups from a file have no side."""

    theme_id: str
    high_group: str
    high_score: float
    high_n: int
    low_group: str
    low_score: float
    low_n: int
    difference: float
    cross_side: bool


@dataclass(frozen=True)
class Results:
    framework_id: str
    scale_min: int
    scale_max: int
    respondents: int
    themes: tuple[ThemeScore, ...]
    groups: tuple[GroupResult, ...]
    gaps: tuple[Gap, ...]  # one per theme at most, largest difference first
    # The largest gap per theme between two different known sides (may be smaller than the
    # theme's largest gap, which can lie between two groups of the same side).
    side_gaps: tuple[Gap, ...] = ()

    def theme(self, theme_id: str) -> ThemeScore:
        return next(t for t in self.themes if t.theme_id == theme_id)

    def gap(self, theme_id: str) -> Gap | None:
        return next((g for g in self.gaps if g.theme_id == theme_id), None)

    def side_gap(self, theme_id: str) -> Gap | None:
        return next((g for g in self.side_gaps if g.theme_id == theme_id), None)

    def small_groups(self, minimum: int = MIN_GAP_N) -> tuple[GroupResult, ...]:
        """Groups with answers but fewer than ``minimum``: left out of every comparison."""
        return tuple(g for g in self.groups if 0 < g.respondents < minimum)

    def group(self, key: str) -> GroupResult | None:
        return next((g for g in self.groups if g.group.key == key), None)


def t_quantile(df: np.ndarray, confidence: float = CONFIDENCE) -> np.ndarray:
    """Two-sided Student t quantile for each degrees-of-freedom value (NaN where df < 1)."""
    # Not SciPy's stdtrit: importing scipy.special costs 0.17 s of CPU (see student_t).
    return student_t.t_quantile(df, 0.5 + confidence / 2)


@dataclass
class _Sums:
    """Sufficient statistics per (row, theme), row 0 = everyone, row g + 1 = group g."""

    n: np.ndarray  # ratings
    mean: np.ndarray
    m2: np.ndarray  # sum of squared deviations from the mean
    dont_know: np.ndarray
    priority: np.ndarray
    named_any: np.ndarray  # per row: respondents who named any priority
    respondents: np.ndarray  # per row


def _sums(responses: ResponseSet, values: np.ndarray, dont_know: np.ndarray) -> _Sums:
    """All groups in one pass with ``bincount``.

    With one question per theme every value is a whole step of the scale, so each
    (group, theme) is a histogram over the steps plus "don't know" and "not answered":
    every sum is then exact, and the order of respondents cannot change a result, not
    even in the last bit. Themes that average several questions take the general path."""
    n_rows = len(responses.groups) + 1
    n_resp, n_themes = values.shape
    row = np.where(responses.group >= 0, responses.group + 1, 0)  # 0: no group (everyone only)
    base = row[:, None] * n_themes + np.arange(n_themes)  # (respondent, theme) -> row * T + t
    rated = ~np.isnan(values)

    def per_row(weights_2d: np.ndarray) -> np.ndarray:
        """Sum a (respondents, themes) array per row: everyone, then each group."""
        out = np.bincount(base.ravel(), weights=weights_2d.ravel(), minlength=n_rows * n_themes)
        out = out.reshape(n_rows, n_themes)
        out[0] = weights_2d.sum(axis=0)
        return out

    lo = responses.framework.scale.min
    steps = responses.framework.scale.max - lo + 1
    if all(len(t.questions) == 1 for t in responses.framework.themes):
        # States: 0..steps-1 a rating, steps "don't know", steps + 1 not answered.
        state = np.where(rated, values - lo, np.where(dont_know, steps, steps + 1)).astype(np.intp)
        hist = np.bincount(
            (base * (steps + 2) + state).ravel(), minlength=n_rows * n_themes * (steps + 2)
        )
        hist = hist.reshape(n_rows, n_themes, steps + 2)
        hist[0] = hist.sum(axis=0)  # everyone: the ungrouped plus every group
        ratings = hist[:, :, :steps]
        x = np.arange(steps, dtype=np.int64) + lo
        n = ratings.sum(axis=2)
        s1 = ratings @ x
        s2 = ratings @ (x * x)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s1 / n
            m2 = (n * s2 - s1 * s1) / n  # exact integers until this division
        dk = hist[:, :, steps].astype(np.float64)
    else:
        n = per_row(rated.astype(np.float64))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = per_row(np.where(rated, values, 0.0)) / n
            centred = np.where(rated, values - mean[row], 0.0)
            centred_all = np.where(rated, values - mean[0], 0.0)
        m2 = per_row(centred**2)
        m2[0] = (centred_all**2).sum(axis=0)
        dk = per_row(dont_know.astype(np.float64))
    priority = np.bincount(base[responses.priorities], minlength=n_rows * n_themes).reshape(
        n_rows, n_themes
    )
    priority[0] = responses.priorities.sum(axis=0)
    counts = np.bincount(row, minlength=n_rows).astype(np.int64)
    counts[0] = n_resp
    named = responses.priorities.any(axis=1)
    named_any = np.bincount(row[named], minlength=n_rows).astype(np.float64)
    named_any[0] = named.sum()
    return _Sums(
        n=np.asarray(n, dtype=np.int64),
        mean=mean,
        m2=m2,
        dont_know=dk,
        priority=priority,
        named_any=named_any,
        respondents=counts,
    )


def _theme_scores(
    sums: _Sums, r: int, theme_ids: tuple[str, ...], scale: tuple[int, int]
) -> tuple[ThemeScore, ...]:
    """Scores of row ``r`` (0 = everyone) from the sufficient statistics."""
    lo_scale, hi_scale = scale
    n = sums.n[r]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.maximum(sums.m2[r], 0.0) / (n - 1))
        half = t_quantile(n - 1) * sd / np.sqrt(n)
    dk = sums.dont_know[r]
    named_any = sums.named_any[r]
    out = []
    for i, theme_id in enumerate(theme_ids):
        count = int(n[i])
        score = low = high = sd_i = None
        if count > 0:
            score = float(sums.mean[r, i])
            if count > 1:
                sd_i = float(sd[i])
                low = max(float(lo_scale), score - float(half[i]))
                high = min(float(hi_scale), score + float(half[i]))
            else:  # one rating says nothing about the spread: the whole scale is possible
                low, high = float(lo_scale), float(hi_scale)
        answered = count + int(dk[i])
        out.append(
            ThemeScore(
                theme_id=theme_id,
                score=score,
                n=count,
                low=low,
                high=high,
                sd=sd_i,
                dont_know=int(dk[i]),
                dont_know_share=float(dk[i] / answered) if answered else 0.0,
                priority_count=int(sums.priority[r, i]),
                priority_share=float(sums.priority[r, i] / named_any)
                if named_any >= MIN_PRIORITY_BASE
                else 0.0,
                priority_base=int(named_any),
            )
        )
    return tuple(out)


def _beyond_intervals(a: ThemeScore, b: ThemeScore) -> bool:
    """Whether two groups' means differ by more than their 95 % intervals allow for: the
    difference exceeds the root of the summed squared half-widths (roughly a two-sample
    test at the 5 % level; two intervals that merely touch are not enough)."""
    if a.score is None or b.score is None or a.low is None or b.low is None:
        return False
    if a.high is None or b.high is None:
        return False
    half_a = (a.high - a.low) / 2
    half_b = (b.high - b.low) / 2
    allowed: float = (half_a**2 + half_b**2) ** 0.5
    return abs(a.score - b.score) > allowed


def _gaps(
    groups: list[GroupResult], theme_ids: tuple[str, ...], *, sides_only: bool = False
) -> tuple[Gap, ...]:
    """Per theme, the largest difference between two groups that both rest on at least
    ``MIN_GAP_N`` ratings and lie beyond their intervals; with ``sides_only`` only pairs of
    different known sides count."""
    gaps = []
    for theme_id in theme_ids:
        best: Gap | None = None
        for a, b in combinations(groups, 2):
            ta, tb = a.theme(theme_id), b.theme(theme_id)
            if ta.score is None or tb.score is None or min(ta.n, tb.n) < MIN_GAP_N:
                continue
            sides = (a.group.side, b.group.side)
            cross = None not in sides and sides[0] != sides[1]
            if sides_only and not cross:
                continue
            diff = abs(ta.score - tb.score)
            if best is not None and diff <= best.difference:
                continue
            if not _beyond_intervals(ta, tb):
                continue
            first, second = (a, ta, ta.score), (b, tb, tb.score)
            (high, th, high_score), (low, tl, low_score) = (
                (first, second) if ta.score >= tb.score else (second, first)
            )
            best = Gap(
                theme_id=theme_id,
                high_group=high.group.key,
                high_score=high_score,
                high_n=th.n,
                low_group=low.group.key,
                low_score=low_score,
                low_n=tl.n,
                difference=diff,
                cross_side=cross,
            )
        if best is not None and best.difference > 0:
            gaps.append(best)
    gaps.sort(key=lambda g: (-round(g.difference, 9), g.theme_id))
    return tuple(gaps)


def score(responses: ResponseSet, *, gaps: bool = True) -> Results:
    """Theme scores for everyone and for each group, and the largest gap per theme.

    ``gaps=False`` leaves the gaps out: a comparison of hundreds of municipalities, each one
    "group", needs their scores, not the pairs (which grow with the square of their number)."""
    fw = responses.framework
    scale = (fw.scale.min, fw.scale.max)
    values, dont_know = responses.theme_matrix()
    sums = _sums(responses, values, dont_know)
    groups = [
        GroupResult(
            group=info,
            respondents=int(sums.respondents[index + 1]),
            themes=_theme_scores(sums, index + 1, fw.theme_ids, scale),
        )
        for index, info in enumerate(responses.groups)
    ]
    answered = [g for g in groups if g.respondents > 0]
    return Results(
        framework_id=fw.id,
        scale_min=fw.scale.min,
        scale_max=fw.scale.max,
        respondents=responses.n,
        themes=_theme_scores(sums, 0, fw.theme_ids, scale),
        groups=tuple(groups),
        gaps=_gaps(answered, fw.theme_ids) if gaps else (),
        side_gaps=_gaps(answered, fw.theme_ids, sides_only=True) if gaps else (),
    )


@dataclass(frozen=True)
class ThemeChange:
    """How a theme moved from an earlier round to this one."""

    theme_id: str
    before: float | None
    after: float | None
    change: float | None
    significant: bool  # Welch's t test at the 5 % level


def compare(before: Results, after: Results) -> tuple[ThemeChange, ...]:
    """Change per theme between two rounds of the same framework (Welch's t test)."""
    return tuple(theme_change(before.theme(t.theme_id), t) for t in after.themes)


def welch(old: ThemeScore, new: ThemeScore) -> tuple[float, float] | None:
    """The standard error of ``new.score - old.score`` and its Welch-Satterthwaite degrees
    of freedom; None without a spread of at least two ratings on both sides. With no spread
    at all the error is 0 and the degrees of freedom NaN (the difference is exact)."""
    if new.n < 2 or old.n < 2 or new.sd is None or old.sd is None:
        return None
    va, vb = new.sd**2 / new.n, old.sd**2 / old.n
    se = float(np.sqrt(va + vb))
    if se == 0:
        return 0.0, float("nan")
    return se, (va + vb) ** 2 / (va**2 / (new.n - 1) + vb**2 / (old.n - 1))


def theme_change(old: ThemeScore, theme: ThemeScore) -> ThemeChange:
    """The change of one theme from ``old`` to ``theme`` and whether it is beyond chance
    (Welch's t test at the 5 % level)."""
    if theme.score is None or old.score is None:
        return ThemeChange(theme.theme_id, old.score, theme.score, None, False)
    significant = False
    spread = welch(old, theme)
    if spread is not None:
        se, df = spread
        if se == 0:
            significant = theme.score != old.score
        else:
            t = abs(theme.score - old.score) / se
            significant = bool(t > t_quantile(np.array([df]))[0])
    return ThemeChange(theme.theme_id, old.score, theme.score, theme.score - old.score, significant)

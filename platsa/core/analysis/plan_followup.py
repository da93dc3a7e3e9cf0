"""An action plan's follow-up: progress per goal, theme and village, the closed loop from a
new assessment round back to the actions, villages pooled as one, and what places that
share their data saw after adopting a catalogue action.

Pure core: plain records in, frozen dataclasses out, no Django. The statistics are those of
``scoring`` (Welch's test in ``theme_change``, the t quantile of ``t_quantile``) and the
threshold of ``disclosure.MIN_RATINGS``, so a change called "clear" here is called clear on
the round's own results page too.

Two honesty rules run through the module:

- *No data is not zero.* A goal whose actions reported no progress has ``progress`` None,
  not 0 %; a theme with too few ratings has no score, no difference, no interval.
- *Association, not proof.* A theme that moved while actions addressed it, or after places
  adopted an action, moved *alongside* them. Nothing here estimates what an action caused:
  there is no control group, and places choose actions for the themes they already worry
  about. The figures carry their n so a reader can see how little they rest on.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

import numpy as np

from platsa.core.analysis.disclosure import MIN_RATINGS
from platsa.core.analysis.scoring import (
    MIN_PRIORITY_BASE,
    ThemeScore,
    t_quantile,
    theme_change,
    welch,
)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    DONE = "done"
    PAUSED = "paused"
    STOPPED = "stopped"


def _status_counts(statuses: Iterable[ActionStatus | str]) -> dict[ActionStatus, int]:
    """Every status with its count, zeros included (a template can show "0 done")."""
    counts = dict.fromkeys(ActionStatus, 0)
    for status in statuses:
        counts[ActionStatus(status)] += 1
    return counts


# --------------------------------------------------------------------------------------
# (a) Progress


@dataclass(frozen=True)
class Milestone:
    due: date | None  # None: no date set, so never overdue
    done: bool


@dataclass(frozen=True)
class ActionRecord:
    """One action of a plan as the follow-up needs it. ``progress`` is the share done as
    its owner reported it (0-100), None when not reported. A status given as a string is
    read as an :class:`ActionStatus` (an unknown one raises ``ValueError``)."""

    id: str
    status: ActionStatus
    progress: float | None = None
    goals: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", ActionStatus(self.status))
        for name in ("goals", "themes", "places", "milestones"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.progress is not None and not 0 <= self.progress <= 100:  # NaN fails too
            raise ValueError(f"progress of {self.id} is {self.progress}, not 0-100")


@dataclass(frozen=True)
class Rollup:
    """Progress of a set of actions (one goal's, theme's, village's or the whole plan's).

    ``progress`` is the plain mean over the actions in ``reported``: those that gave a
    figure, plus every done action, which counts 100 whatever figure it gave (done is
    done). Stopped actions are counted in ``actions`` and ``by_status`` but never in the
    mean, whatever they reported: work that will not be finished is neither 0 % nor its
    last figure of a plan that goes on. ``progress`` is None when no action reported:
    "no data yet", never a 0 % bar.

    Milestones of stopped actions are left out of all three milestone counts (nobody will
    do them, so they are neither outstanding nor overdue). A milestone is overdue when it
    is not done and its due date is before ``today`` (due today is not yet overdue)."""

    actions: int
    by_status: dict[ActionStatus, int]  # every status, zeros included
    progress: float | None
    reported: int
    milestones_done: int
    milestones_total: int
    milestones_overdue: int
    action_ids: tuple[str, ...] = ()


def _rollup(actions: Sequence[ActionRecord], today: date) -> Rollup:
    figures: list[float] = []
    done = total = overdue = 0
    for action in actions:
        if action.status == ActionStatus.STOPPED:
            continue
        if action.status == ActionStatus.DONE:
            figures.append(100.0)
        elif action.progress is not None:
            figures.append(float(action.progress))
        for milestone in action.milestones:
            total += 1
            if milestone.done:
                done += 1
            elif milestone.due is not None and milestone.due < today:
                overdue += 1
    return Rollup(
        actions=len(actions),
        by_status=_status_counts(a.status for a in actions),
        progress=math.fsum(figures) / len(figures) if figures else None,
        reported=len(figures),
        milestones_done=done,
        milestones_total=total,
        milestones_overdue=overdue,
        action_ids=tuple(a.id for a in actions),
    )


def _unique(actions: Iterable[ActionRecord]) -> list[ActionRecord]:
    out = list(actions)
    seen: set[str] = set()
    for action in out:
        if action.id in seen:  # counted twice, every figure would be wrong
            raise ValueError(f"action {action.id} is given twice")
        seen.add(action.id)
    return out


def plan_rollup(actions: Iterable[ActionRecord], today: date) -> Rollup:
    """Progress of the whole plan: every action once, whatever its goals, themes and
    villages (an action for three villages is one action here, not three)."""
    return _rollup(_unique(actions), today)


def rollup(
    actions: Iterable[ActionRecord],
    by: Literal["goal", "theme", "place"],
    today: date,
    *,
    keys: Iterable[str] = (),
) -> dict[str, Rollup]:
    """Progress per goal, theme or village (``by``). An action counts once under each of
    its keys (an action for two goals is in both); one without any key of that kind is
    only in :func:`plan_rollup`. ``keys`` are listed first and even with no action (a goal
    nobody has started on: ``actions`` 0, ``progress`` None); the other keys follow in the
    order the actions first name them."""
    attribute = {"goal": "goals", "theme": "themes", "place": "places"}[by]
    groups: dict[str, list[ActionRecord]] = {key: [] for key in keys}
    for action in _unique(actions):
        for key in dict.fromkeys(getattr(action, attribute)):  # a key named twice: once
            groups.setdefault(key, []).append(action)
    return {key: _rollup(members, today) for key, members in groups.items()}


# --------------------------------------------------------------------------------------
# (b) The closed loop


class Verdict(StrEnum):
    CLEAR_RISE = "clear_rise"
    CLEAR_FALL = "clear_fall"
    NO_CLEAR_CHANGE = "no_clear_change"
    TOO_LITTLE_DATA = "too_little_data"


@dataclass(frozen=True)
class LoopRow:
    """One theme of the closed loop: its score at the baseline and now, the difference
    with its 95 % interval (Welch), the verdict, and the actions that address the theme.

    ``before`` and ``after`` are None where that round has no score or fewer than
    ``MIN_RATINGS`` ratings (not shown to anyone, as elsewhere); ``n_before`` and
    ``n_after`` are the ratings all the same. ``difference``, ``low`` and ``high`` are None
    unless the verdict is a comparison. A clear rise or fall is Welch's test at the 5 %
    level, as ``scoring.theme_change``: exactly when the interval leaves out zero. The row
    says what happened beside the actions, not what they caused."""

    theme_id: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    difference: float | None
    low: float | None
    high: float | None
    verdict: Verdict
    actions: int
    by_status: dict[ActionStatus, int] = field(default_factory=lambda: _status_counts(()))


def _usable(theme: ThemeScore | None) -> bool:
    return theme is not None and theme.score is not None and theme.n >= MIN_RATINGS


def welch_interval(
    old: ThemeScore, new: ThemeScore, confidence: float = 0.95
) -> tuple[float, float] | None:
    """The ``confidence`` interval of ``new.score - old.score`` by Welch: the difference
    plus or minus the t quantile at the Welch-Satterthwaite degrees of freedom times the
    standard error. None without two scores and two spreads of at least two ratings each.
    With no spread on either side the interval is the difference itself."""
    spread = welch(old, new)
    if old.score is None or new.score is None or spread is None:
        return None
    diff = new.score - old.score
    se, df = spread
    if se == 0:
        return diff, diff
    half = float(t_quantile(np.array([df]), confidence)[0]) * se
    return diff - half, diff + half


def theme_loop(
    baseline: ThemeScore | None,
    latest: ThemeScore | None,
    actions_for_theme: Iterable[ActionStatus | str],
    *,
    theme_id: str | None = None,
) -> LoopRow:
    """The closed loop for one theme: the change from ``baseline`` (the round the plan
    started from) to ``latest`` (the round just frozen) next to the statuses of the
    actions that address the theme. ``theme_id`` is taken from the scores; give it when
    both are None. Too little data (a round missing, no score, or fewer than
    ``MIN_RATINGS`` ratings on either side) gives no difference, whatever the scores."""
    ids = {t.theme_id for t in (baseline, latest) if t is not None}
    if theme_id is not None:
        ids.add(theme_id)
    if len(ids) != 1:
        raise ValueError(f"one theme expected, got {sorted(ids) or 'none'}")
    counts = _status_counts(actions_for_theme)
    before = baseline.score if baseline is not None and _usable(baseline) else None
    after = latest.score if latest is not None and _usable(latest) else None
    interval = None
    if baseline is not None and latest is not None and before is not None and after is not None:
        interval = welch_interval(baseline, latest)
    difference = low = high = None
    verdict = Verdict.TOO_LITTLE_DATA
    if baseline is not None and latest is not None and interval is not None:
        change = theme_change(baseline, latest)  # the page's own test, so both say the same
        difference, (low, high) = change.change, interval
        verdict = Verdict.NO_CLEAR_CHANGE
        if change.significant and difference is not None and difference > 0:
            verdict = Verdict.CLEAR_RISE
        elif change.significant and difference is not None and difference < 0:
            verdict = Verdict.CLEAR_FALL
    return LoopRow(
        theme_id=ids.pop(),
        before=before,
        after=after,
        n_before=baseline.n if baseline is not None else 0,
        n_after=latest.n if latest is not None else 0,
        difference=difference,
        low=low,
        high=high,
        verdict=verdict,
        actions=sum(counts.values()),
        by_status=counts,
    )


def plan_loop(
    baseline: Sequence[ThemeScore] | None,
    latest: Sequence[ThemeScore],
    actions: Iterable[ActionRecord],
) -> tuple[LoopRow, ...]:
    """:func:`theme_loop` for every theme of ``latest`` (in its order), each with the
    actions whose ``themes`` name it. ``baseline`` None: no earlier round, every row is
    "too little data". Pass the actions of the place the rounds are of."""
    earlier = {t.theme_id: t for t in baseline or ()}
    listed = _unique(actions)
    return tuple(
        theme_loop(
            earlier.get(theme.theme_id),
            theme,
            [a.status for a in listed if theme.theme_id in a.themes],
        )
        for theme in latest
    )


# --------------------------------------------------------------------------------------
# (c) Villages as one


@dataclass(frozen=True)
class CombinedScore:
    """Several villages' scores of one theme pooled as one place. ``theme`` is what
    ``scoring.score`` would give for all their respondents together (score, n, sd, the t
    interval, don't know, priorities), from the villages' own sufficient statistics.

    A village is only known through its ``ThemeScore``: one without a score (nobody rated
    it, or it was suppressed to None for too few ratings) is left out entirely, counted in
    ``left_out`` with its ratings in ``left_out_n``, so the pooled figure never rests on
    ratings whose mean is unknown. So is one with two or more ratings but no spread
    (``sd`` None), which ``score`` never makes. A village with one rating counts (its
    spread within is zero)."""

    theme: ThemeScore
    places: int  # villages pooled
    left_out: int
    left_out_n: int


def combine_scores(
    scores: Sequence[ThemeScore], *, scale: tuple[float, float] | None = None
) -> CombinedScore:
    """Pool villages' scores of one theme, weighted by their ratings.

    Mean: ``M = Σ nᵢ mᵢ / N``. Spread: the exact sample SD of all ratings together,
    ``√(Σ[(nᵢ − 1) sᵢ² + nᵢ (mᵢ − M)²] / (N − 1))``: the spread within each village plus
    that between the villages. Interval: Student's t with ``N − 1`` degrees of freedom as
    in ``scoring``, clipped to ``scale`` (the framework's min and max) when given. Below
    ``MIN_RATINGS`` ratings in all there is no score, spread or interval (n is still the
    total)."""
    if not scores:
        raise ValueError("no scores to combine")
    ids = {s.theme_id for s in scores}
    if len(ids) != 1:
        raise ValueError(f"scores of different themes: {sorted(ids)}")
    used: list[ThemeScore] = []
    left: list[ThemeScore] = []
    for s in scores:
        known = s.score is not None and s.n > 0 and (s.n == 1 or s.sd is not None)
        (used if known else left).append(s)
    n = sum(s.n for s in used)
    dont_know = sum(s.dont_know for s in used)
    priority = sum(s.priority_count for s in used)
    base = sum(s.priority_base for s in used)
    score = low = high = sd = None
    if n >= MIN_RATINGS:
        mean = math.fsum(s.n * (s.score or 0.0) for s in used) / n
        within = math.fsum((s.n - 1) * (s.sd or 0.0) ** 2 for s in used)
        between = math.fsum(s.n * ((s.score or 0.0) - mean) ** 2 for s in used)
        sd = math.sqrt((within + between) / (n - 1))
        half = float(t_quantile(np.array([n - 1.0]))[0]) * sd / math.sqrt(n)
        score, low, high = mean, mean - half, mean + half
        if scale is not None:
            low, high = max(float(scale[0]), low), min(float(scale[1]), high)
    answered = n + dont_know
    theme = ThemeScore(
        theme_id=ids.pop(),
        score=score,
        n=n,
        low=low,
        high=high,
        sd=sd,
        dont_know=dont_know,
        dont_know_share=dont_know / answered if answered else 0.0,
        priority_count=priority,
        priority_share=priority / base if base >= MIN_PRIORITY_BASE else 0.0,
        priority_base=base,
    )
    return CombinedScore(
        theme=theme, places=len(used), left_out=len(left), left_out_n=sum(s.n for s in left)
    )


# --------------------------------------------------------------------------------------
# (d) What places saw after adopting an action


@dataclass(frozen=True)
class Adoption:
    """A place took up a catalogue action on ``adopted_on``; ``themes`` are the themes the
    action addresses."""

    place: str
    action: str
    adopted_on: date
    themes: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "themes", tuple(self.themes))


@dataclass(frozen=True)
class ThemeAfterAdoption:
    """How one addressed theme moved in the places that adopted the action, from each
    place's last round before adoption to its first round after. No figure (``median``,
    ``lowest``, ``highest`` None) when ``n_measured`` is 0. ``rises`` and ``falls`` are
    the changes clear by Welch's test (``theme_change``); the rest are unclear."""

    theme_id: str
    n_measured: int
    median: float | None
    lowest: float | None
    highest: float | None
    rises: int
    falls: int


@dataclass(frozen=True)
class AdoptionStats:
    """One catalogue action across the places that share their data. Observational: the
    places chose the action (often for the very theme that then moved), and their rounds
    came whenever they came, so a change here is what followed adoption, not its effect.

    ``adopted`` counts places (a place that adopted twice counts once, from its first
    adoption); ``measured`` those with a usable round before and after adoption in at
    least one addressed theme."""

    action_id: str
    adopted: int
    measured: int
    themes: tuple[ThemeAfterAdoption, ...]


Series = Mapping[str, Mapping[str, Sequence[tuple[date, ThemeScore]]]]


def _around(
    rounds: Sequence[tuple[date, ThemeScore]], adopted_on: date
) -> tuple[ThemeScore, ThemeScore] | None:
    """The last round frozen on or before the adoption day and the first after it, among
    rounds with a score of at least ``MIN_RATINGS`` ratings (the others say nothing of
    the theme and are passed over). A round frozen on the adoption day is "before": the
    action was chosen on what it showed."""
    usable = sorted(((d, t) for d, t in rounds if _usable(t)), key=lambda item: item[0])
    before = [t for d, t in usable if d <= adopted_on]
    after = [t for d, t in usable if d > adopted_on]
    return (before[-1], after[0]) if before and after else None


def adoption_stats(adoptions: Iterable[Adoption], series: Series) -> dict[str, AdoptionStats]:
    """Per catalogue action: how many places adopted it and how the themes it addresses
    moved afterwards. ``series`` is, per place and theme, its rounds as
    ``(frozen_on, ThemeScore)``. Places without a usable round both before and after
    adoption count as adopted, never as measured. The themes of an action are those its
    records name, in first-named order. Most adopted first, then by action id."""
    first: dict[str, dict[str, date]] = {}
    themes: dict[str, dict[str, None]] = {}
    for record in adoptions:
        places = first.setdefault(record.action, {})
        known = places.get(record.place)
        places[record.place] = record.adopted_on if known is None else min(known, record.adopted_on)
        themes.setdefault(record.action, {}).update(dict.fromkeys(record.themes))
    out: list[AdoptionStats] = []
    for action_id, places in first.items():
        measured: set[str] = set()
        rows = []
        for theme_id in themes[action_id]:
            changes: list[float] = []
            rises = falls = 0
            for place, adopted_on in places.items():
                pair = _around(series.get(place, {}).get(theme_id, ()), adopted_on)
                if pair is None:
                    continue
                change = theme_change(*pair)
                if change.change is None:
                    continue
                measured.add(place)
                changes.append(change.change)
                rises += change.significant and change.change > 0
                falls += change.significant and change.change < 0
            values = np.sort(np.array(changes, dtype=np.float64))  # order-free
            rows.append(
                ThemeAfterAdoption(
                    theme_id=theme_id,
                    n_measured=len(changes),
                    median=float(np.median(values)) if changes else None,
                    lowest=float(values[0]) if changes else None,
                    highest=float(values[-1]) if changes else None,
                    rises=rises,
                    falls=falls,
                )
            )
        out.append(AdoptionStats(action_id, len(places), len(measured), tuple(rows)))
    out.sort(key=lambda s: (-s.adopted, s.action_id))
    return {s.action_id: s for s in out}

"""An action plan's follow-up: progress roll-ups, the closed loop, villages pooled as one and
what followed adoption of a catalogue action (platsa.core.analysis.plan_followup)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from platsa.core.analysis.disclosure import MIN_RATINGS
from platsa.core.analysis.plan_followup import (
    ActionRecord,
    ActionStatus,
    Adoption,
    Milestone,
    Verdict,
    adoption_stats,
    combine_scores,
    plan_loop,
    plan_rollup,
    rollup,
    theme_loop,
    welch_interval,
)
from platsa.core.analysis.scoring import ThemeScore, score, theme_change
from tests.core.helpers import DK, responses

TODAY = date(2026, 12, 2)


def _ts(
    mean: float | None, n: int, sd: float | None = 1.0, theme_id: str = "housing"
) -> ThemeScore:
    """A ThemeScore with just the figures the follow-up reads."""
    return ThemeScore(
        theme_id=theme_id,
        score=mean,
        n=n,
        low=None,
        high=None,
        sd=sd,
        dont_know=0,
        dont_know_share=0.0,
        priority_count=0,
        priority_share=0.0,
    )


def _raw(values: list[float] | np.ndarray, theme_id: str = "housing") -> ThemeScore:
    """A ThemeScore computed from raw ratings with NumPy (not with scoring)."""
    x = np.asarray(values, dtype=np.float64)
    return _ts(float(x.mean()), int(x.size), float(x.std(ddof=1)) if x.size > 1 else None, theme_id)


# ---------------------------------------------------------------------------- (a) progress


def test_no_reported_progress_is_none_not_zero():
    actions = [
        ActionRecord("a1", ActionStatus.PLANNED, None, goals=("g1",)),
        ActionRecord("a2", ActionStatus.UNDER_WAY, None, goals=("g1",)),
    ]
    g1 = rollup(actions, "goal", TODAY)["g1"]
    assert g1.actions == 2
    assert g1.reported == 0
    assert g1.progress is None
    assert plan_rollup(actions, TODAY).progress is None
    # a reported 0 % is a figure, and is 0
    zero = rollup([ActionRecord("a3", "under_way", 0, goals=("g1",))], "goal", TODAY)["g1"]
    assert zero.progress == 0.0
    assert zero.reported == 1


def test_goal_without_actions_is_listed_with_no_data():
    out = rollup([ActionRecord("a1", "planned", 20, goals=("g1",))], "goal", TODAY, keys=["g2"])
    assert list(out) == ["g2", "g1"]
    assert out["g2"].actions == 0
    assert out["g2"].progress is None
    assert out["g2"].by_status == dict.fromkeys(ActionStatus, 0)


def test_done_counts_100_and_stopped_is_left_out_of_the_mean():
    actions = [
        ActionRecord("done_silent", "done", None, themes=("housing",)),
        ActionRecord("done_80", "done", 80, themes=("housing",)),  # done is done
        ActionRecord("half", "under_way", 50, themes=("housing",)),
        ActionRecord("stopped", "stopped", 10, themes=("housing",)),
        ActionRecord("paused", "paused", None, themes=("housing",)),
    ]
    housing = rollup(actions, "theme", TODAY)["housing"]
    assert housing.actions == 5
    assert housing.reported == 3
    assert housing.progress == pytest.approx((100 + 100 + 50) / 3)
    assert housing.by_status[ActionStatus.STOPPED] == 1
    assert housing.by_status["done"] == 2  # a StrEnum key: the string finds it too
    assert housing.by_status[ActionStatus.PAUSED] == 1
    assert housing.by_status[ActionStatus.PLANNED] == 0


def test_only_stopped_actions_give_no_progress():
    out = rollup([ActionRecord("s", "stopped", 90, places=("by",))], "place", TODAY)["by"]
    assert out.actions == 1
    assert out.progress is None


def test_overdue_milestones_are_relative_to_today():
    milestones = (
        Milestone(date(2026, 12, 1), False),  # yesterday, not done: overdue
        Milestone(TODAY, False),  # due today: not yet
        Milestone(date(2026, 11, 1), True),  # past but done
        Milestone(None, False),  # no date: never overdue
        Milestone(date(2027, 1, 1), False),
    )
    action = ActionRecord("a", "under_way", 40, goals=("g",), milestones=milestones)
    g = rollup([action], "goal", TODAY)["g"]
    assert (g.milestones_done, g.milestones_total, g.milestones_overdue) == (1, 5, 1)
    later = rollup([action], "goal", date(2027, 1, 2))["g"]
    assert later.milestones_overdue == 3
    earlier = rollup([action], "goal", date(2026, 10, 1))["g"]
    assert earlier.milestones_overdue == 0


def test_stopped_actions_milestones_are_not_counted():
    stopped = ActionRecord(
        "s", "stopped", None, goals=("g",), milestones=(Milestone(date(2020, 1, 1), False),)
    )
    g = rollup([stopped], "goal", TODAY)["g"]
    assert (g.milestones_done, g.milestones_total, g.milestones_overdue) == (0, 0, 0)


def test_an_action_counts_under_each_key_but_once_in_the_plan():
    actions = [
        ActionRecord("a", "done", None, places=("north", "south")),
        ActionRecord("b", "under_way", 20, places=("south", "south")),  # named twice: once
        ActionRecord("c", "planned", 0),  # no village: only in the plan
    ]
    by_place = rollup(actions, "place", TODAY)
    assert by_place["north"].actions == 1
    assert by_place["north"].progress == 100
    assert by_place["south"].actions == 2
    assert by_place["south"].progress == pytest.approx(60)
    assert by_place["south"].action_ids == ("a", "b")
    plan = plan_rollup(actions, TODAY)
    assert plan.actions == 3
    assert plan.progress == pytest.approx(40)


def test_bad_records_are_refused():
    with pytest.raises(ValueError, match="finished"):
        ActionRecord("a", "finished", None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not 0-100"):
        ActionRecord("a", "done", 120)
    with pytest.raises(ValueError, match="not 0-100"):
        ActionRecord("a", "done", float("nan"))
    with pytest.raises(ValueError, match="given twice"):
        plan_rollup([ActionRecord("a", "done"), ActionRecord("a", "planned")], TODAY)


# ---------------------------------------------------------------------- (b) the closed loop


def test_interval_matches_scipy_welch():
    before = [2, 3, 3, 2, 4, 1, 3]
    after = [4, 3, 5, 4, 3, 5, 2, 4, 4]
    row = theme_loop(_raw(before), _raw(after), ["done", "done", "under_way"])
    ci = stats.ttest_ind(after, before, equal_var=False).confidence_interval(0.95)
    assert row.difference == pytest.approx(np.mean(after) - np.mean(before))
    assert row.low == pytest.approx(ci.low, rel=1e-9)
    assert row.high == pytest.approx(ci.high, rel=1e-9)
    assert row.before == pytest.approx(np.mean(before))
    assert row.after == pytest.approx(np.mean(after))
    assert (row.n_before, row.n_after) == (7, 9)
    assert row.actions == 3
    assert row.by_status[ActionStatus.DONE] == 2
    assert row.by_status[ActionStatus.UNDER_WAY] == 1
    # the interval leaves out zero exactly when scipy's test rejects at 5 %
    p = stats.ttest_ind(after, before, equal_var=False).pvalue
    assert (row.verdict == Verdict.CLEAR_RISE) == (p < 0.05)
    assert row.verdict == Verdict.CLEAR_RISE


def test_interval_by_hand():
    """Welch by hand on a small example: means 2 and 3, sds 1 and 2, n 4 and 5."""
    old, new = _ts(2.0, 4, 1.0), _ts(3.0, 5, 2.0)
    va, vb = 4 / 5, 1 / 4
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / 4 + vb**2 / 3)
    half = stats.t.ppf(0.975, df) * se
    assert welch_interval(old, new) == pytest.approx((1 - half, 1 + half), rel=1e-10)


def _critical(n: int = 10, sd: float = 1.0) -> float:
    se = math.sqrt(2 * sd**2 / n)
    return float(stats.t.ppf(0.975, 2 * (n - 1))) * se


@pytest.mark.parametrize(
    ("factor", "expected"),
    [
        (1 + 1e-6, Verdict.CLEAR_RISE),
        (1 - 1e-6, Verdict.NO_CLEAR_CHANGE),
        (-(1 - 1e-6), Verdict.NO_CLEAR_CHANGE),
        (-(1 + 1e-6), Verdict.CLEAR_FALL),
        (0.0, Verdict.NO_CLEAR_CHANGE),
    ],
)
def test_verdict_at_the_significance_boundary(factor, expected):
    d = factor * _critical()
    row = theme_loop(_ts(4.0, 10), _ts(4.0 + d, 10), [])
    assert row.verdict == expected
    # the verdict agrees with the results page's own test
    assert (expected in (Verdict.CLEAR_RISE, Verdict.CLEAR_FALL)) == theme_change(
        _ts(4.0, 10), _ts(4.0 + d, 10)
    ).significant
    assert row.low is not None
    assert row.high is not None
    assert (row.low > 0 or row.high < 0) == (expected != Verdict.NO_CLEAR_CHANGE)


@pytest.mark.parametrize(
    ("n_before", "n_after", "expected"),
    [
        (MIN_RATINGS - 1, 30, Verdict.TOO_LITTLE_DATA),
        (30, MIN_RATINGS - 1, Verdict.TOO_LITTLE_DATA),
        (MIN_RATINGS, MIN_RATINGS, Verdict.CLEAR_RISE),
    ],
)
def test_verdict_at_the_ratings_boundary(n_before, n_after, expected):
    row = theme_loop(_ts(2.0, n_before, 0.1), _ts(5.0, n_after, 0.1), [])
    assert row.verdict == expected
    if expected == Verdict.TOO_LITTLE_DATA:
        assert row.difference is None
        assert row.low is None
        assert row.high is None
        # the side with too few ratings is not shown, the other is; n is kept
        assert (row.before is None) == (n_before < MIN_RATINGS)
        assert (row.after is None) == (n_after < MIN_RATINGS)
        assert (row.n_before, row.n_after) == (n_before, n_after)


def test_missing_round_or_score_is_too_little_data():
    assert theme_loop(None, _ts(3.0, 20), ["done"]).verdict == Verdict.TOO_LITTLE_DATA
    assert theme_loop(_ts(3.0, 20), None, []).verdict == Verdict.TOO_LITTLE_DATA
    no_score = theme_loop(_ts(None, 0, None), _ts(3.0, 20), [])
    assert no_score.verdict == Verdict.TOO_LITTLE_DATA
    assert no_score.before is None
    assert no_score.after == 3.0
    row = theme_loop(None, None, ["planned"], theme_id="housing")
    assert row.theme_id == "housing"
    assert row.verdict == Verdict.TOO_LITTLE_DATA
    assert row.actions == 1
    with pytest.raises(ValueError, match="one theme expected"):
        theme_loop(None, None, [])
    with pytest.raises(ValueError, match="one theme expected"):
        theme_loop(_ts(3.0, 20, theme_id="housing"), _ts(3.0, 20, theme_id="mobility"), [])


def test_no_spread_either_side():
    same = theme_loop(_ts(4.0, 10, 0.0), _ts(4.0, 10, 0.0), [])
    assert same.verdict == Verdict.NO_CLEAR_CHANGE
    moved = theme_loop(_ts(4.0, 10, 0.0), _ts(5.0, 10, 0.0), [])
    assert moved.verdict == Verdict.CLEAR_RISE
    assert (moved.low, moved.high) == (1.0, 1.0)


def test_plan_loop_gives_each_theme_its_actions():
    latest = [_ts(4.0, 20, theme_id="housing"), _ts(4.0, 20, theme_id="mobility")]
    baseline = [_ts(3.0, 20, theme_id="housing")]
    actions = [
        ActionRecord("a", "done", themes=("housing",)),
        ActionRecord("b", "planned", themes=("housing", "mobility")),
        ActionRecord("c", "stopped", themes=("mobility",)),
    ]
    housing, mobility = plan_loop(baseline, latest, actions)
    assert housing.theme_id == "housing"
    assert housing.verdict == Verdict.CLEAR_RISE
    assert housing.actions == 2
    assert housing.by_status[ActionStatus.DONE] == 1
    assert mobility.verdict == Verdict.TOO_LITTLE_DATA  # not rated at the baseline
    assert mobility.by_status[ActionStatus.STOPPED] == 1
    assert all(r.verdict == Verdict.TOO_LITTLE_DATA for r in plan_loop(None, latest, actions))


# ---------------------------------------------------------------------- (c) villages as one


def test_combined_equals_the_concatenated_raw_ratings():
    villages = [[1, 2, 2, 5, 7], [4, 4, 5], [6], [3, 6, 2, 2, 1, 7, 7]]
    combined = combine_scores([_raw(v) for v in villages])
    everything = np.concatenate([np.asarray(v, dtype=np.float64) for v in villages])
    assert combined.theme.n == everything.size
    assert combined.theme.score == pytest.approx(everything.mean(), rel=1e-12)
    assert combined.theme.sd == pytest.approx(everything.std(ddof=1), rel=1e-12)
    assert combined.places == 4
    assert combined.left_out == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=12),
        min_size=1,
        max_size=6,
    )
)
def test_combined_equals_concatenated_property(villages):
    combined = combine_scores([_raw(v) for v in villages])
    everything = np.concatenate([np.asarray(v, dtype=np.float64) for v in villages])
    assert combined.theme.n == everything.size
    if everything.size < MIN_RATINGS:
        assert combined.theme.score is None
        assert combined.theme.sd is None
        return
    assert combined.theme.score == pytest.approx(everything.mean(), rel=1e-12, abs=1e-12)
    assert combined.theme.sd == pytest.approx(everything.std(ddof=1), rel=1e-9, abs=1e-12)


def test_combined_is_what_scoring_gives_for_everyone_together(framework):
    north = [
        {"group": "residents", "housing": 2, "priorities": ["housing"]},
        {"group": "residents", "housing": 3},
        {"group": "residents", "housing": DK, "priorities": ["mobility"]},
        {"group": "residents", "housing": 6, "priorities": ["housing"]},
    ]
    south = [
        {"group": "residents", "housing": 5, "priorities": ["housing"]},
        {"group": "residents", "housing": 7, "priorities": ["mobility"]},
        {"group": "residents", "housing": 6},
        {"group": "residents", "housing": DK},
        {"group": "residents", "housing": 4, "priorities": ["housing", "mobility"]},
    ]
    parts = [score(responses(framework, rows)).theme("housing") for rows in (north, south)]
    whole = score(responses(framework, north + south)).theme("housing")
    combined = combine_scores(parts, scale=(framework.scale.min, framework.scale.max)).theme
    assert combined.n == whole.n
    for attr in ("score", "sd", "low", "high", "dont_know_share", "priority_share"):
        assert getattr(combined, attr) == pytest.approx(getattr(whole, attr), rel=1e-12), attr
    assert combined.dont_know == whole.dont_know == 2
    assert combined.priority_count == whole.priority_count == 4
    assert combined.priority_base == whole.priority_base == 6


def test_suppressed_village_is_left_out_and_counted():
    kept = [_raw([3, 4, 5]), _raw([5, 6, 7, 6])]
    suppressed = _ts(None, 2, None)  # score hidden for too few ratings: its mean is unknown
    combined = combine_scores([*kept, suppressed])
    assert combined.places == 2
    assert combined.left_out == 1
    assert combined.left_out_n == 2
    assert combined.theme.n == 7
    assert combined.theme.score == pytest.approx(np.mean([3, 4, 5, 5, 6, 7, 6]))


def test_combined_below_min_ratings_has_no_score():
    combined = combine_scores([_raw([4]), _raw([6])])
    assert combined.theme.n == 2 < MIN_RATINGS
    assert combined.theme.score is None
    assert combined.theme.low is None
    assert combined.theme.sd is None
    with pytest.raises(ValueError, match="no scores"):
        combine_scores([])
    with pytest.raises(ValueError, match="different themes"):
        combine_scores([_raw([4, 5], "housing"), _raw([4, 5], "mobility")])


def test_identical_villages_are_both_pooled():
    same = _raw([3, 4, 5])
    combined = combine_scores([same, same])
    assert combined.places == 2
    assert combined.theme.n == 6
    assert combined.theme.sd == pytest.approx(np.std([3, 4, 5, 3, 4, 5], ddof=1))


# ------------------------------------------------------------ (d) what followed adoption


def _series(*rounds: tuple[date, ThemeScore]) -> list[tuple[date, ThemeScore]]:
    return list(rounds)


def test_adoption_stats_ignore_places_without_a_round_after():
    adopted = date(2025, 6, 1)
    jan25, jan26 = date(2025, 1, 15), date(2026, 1, 15)
    records = [
        Adoption("a", "coworking", adopted, ("work_business",)),
        Adoption("b", "coworking", adopted, ("work_business",)),  # only a round before
        Adoption("c", "coworking", adopted, ("work_business",)),  # only a round after
        Adoption("d", "coworking", adopted, ("work_business",)),  # round on the day + after
        Adoption("e", "coworking", adopted, ("work_business",)),  # after: too few ratings
        Adoption("f", "coworking", adopted, ("work_business",)),  # no data at all
        Adoption("a", "coworking", date(2026, 3, 1), ("work_business",)),  # again: first counts
    ]
    wb = "work_business"
    series = {
        "a": {wb: _series((jan26, _ts(5.0, 30, theme_id=wb)), (jan25, _ts(3.0, 30, theme_id=wb)))},
        "b": {wb: _series((jan25, _ts(3.0, 30, theme_id=wb)))},
        "c": {wb: _series((jan26, _ts(3.0, 30, theme_id=wb)))},
        "d": {
            wb: _series(
                (date(2024, 1, 1), _ts(1.0, 30, theme_id=wb)),
                (adopted, _ts(4.0, 30, theme_id=wb)),
                (jan26, _ts(3.8, 30, theme_id=wb)),
                (date(2027, 1, 1), _ts(7.0, 30, theme_id=wb)),
            )
        },
        "e": {
            wb: _series(
                (jan25, _ts(3.0, 30, theme_id=wb)), (jan26, _ts(6.0, MIN_RATINGS - 1, theme_id=wb))
            )
        },
    }
    stats_ = adoption_stats(records, series)["coworking"]
    assert stats_.adopted == 6
    assert stats_.measured == 2  # a and d
    (theme,) = stats_.themes
    assert theme.theme_id == wb
    assert theme.n_measured == 2
    # a: 3.0 -> 5.0 (+2.0, clear); d: 4.0 on the day -> 3.8 the first round after (-0.2)
    assert theme.median == pytest.approx(0.9)
    assert theme.lowest == pytest.approx(-0.2)
    assert theme.highest == pytest.approx(2.0)
    assert (theme.rises, theme.falls) == (1, 0)


def test_adoption_without_any_measured_place_has_no_figure():
    records = [Adoption("a", "bus", date(2025, 6, 1), ("mobility", "services"))]
    series = {"a": {"mobility": [(date(2025, 1, 1), _ts(3.0, 30, theme_id="mobility"))]}}
    stats_ = adoption_stats(records, series)["bus"]
    assert stats_.adopted == 1
    assert stats_.measured == 0
    assert [t.theme_id for t in stats_.themes] == ["mobility", "services"]
    for theme in stats_.themes:
        assert theme.n_measured == 0
        assert theme.median is None
        assert theme.lowest is None
        assert theme.highest is None


def test_adoption_falls_and_order():
    wb = "housing"
    records = [
        Adoption("a", "z_action", date(2025, 6, 1), (wb,)),
        Adoption("b", "z_action", date(2025, 6, 1), (wb,)),
        Adoption("a", "a_action", date(2025, 6, 1), (wb,)),
    ]
    fall = [(date(2025, 1, 1), _ts(5.0, 30, theme_id=wb)), (date(2026, 1, 1), _ts(3.0, 30))]
    out = adoption_stats(records, {"a": {wb: fall}, "b": {wb: fall}})
    assert list(out) == ["z_action", "a_action"]  # most adopted first
    z = out["z_action"].themes[0]
    assert (z.rises, z.falls, z.n_measured) == (0, 2, 2)
    assert z.median == pytest.approx(-2.0)

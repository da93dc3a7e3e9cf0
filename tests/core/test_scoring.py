"""Theme scores, intervals, group gaps and round-to-round change."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.analysis.scoring import compare, score
from platsa.core.schema.dataset import GroupInfo
from tests.core.helpers import DK, responses, uniform


def test_mean_interval_and_dont_know_share(framework):
    rows = [
        {"group": "residents", "housing": 2},
        {"group": "residents", "housing": 4},
        {"group": "residents", "housing": 6},
        {"group": "residents", "housing": DK},
    ]
    housing = score(responses(framework, rows)).theme("housing")
    assert housing.score == pytest.approx(4.0)
    assert housing.n == 3
    assert housing.dont_know == 1
    assert housing.dont_know_share == pytest.approx(0.25)
    # t interval, df = 2: 4 +/- 4.3027 * 2 / sqrt(3), clipped to the 1-7 scale
    half = 4.302652729911275 * 2 / math.sqrt(3)
    assert housing.low == pytest.approx(max(1.0, 4 - half))
    assert housing.high == pytest.approx(min(7.0, 4 + half))


@pytest.mark.parametrize(
    ("ratings", "expected_low", "expected_high"),
    [
        ([5], 1.0, 7.0),  # one rating: anything on the scale is possible
        ([5, 5, 5, 5], 5.0, 5.0),  # no spread: the interval collapses
        ([], None, None),  # nobody rated it
    ],
)
def test_interval_edge_cases(framework, ratings, expected_low, expected_high):
    rows = [{"group": "residents", "housing": r} for r in ratings] or [{"group": "residents"}]
    housing = score(responses(framework, rows)).theme("housing")
    assert housing.low == expected_low
    assert housing.high == expected_high


def test_unanswered_is_not_dont_know(framework):
    rows = [{"group": "residents", "housing": 3}, {"group": "residents"}]
    housing = score(responses(framework, rows)).theme("housing")
    assert housing.n == 1
    assert housing.dont_know == 0
    assert housing.dont_know_share == 0.0


def test_priority_share_counts_only_people_who_named_any(framework):
    rows = [
        {"group": "residents", "housing": 3, "priorities": ["housing", "mobility"]},
        *[{"group": "residents", "housing": 3, "priorities": ["mobility"]}] * 5,
        {"group": "residents", "housing": 3},
    ]
    result = score(responses(framework, rows))
    assert result.theme("housing").priority_share == pytest.approx(1 / 6)
    assert result.theme("mobility").priority_share == pytest.approx(1.0)
    assert result.theme("housing").priority_base == 6


def test_priorities_named_by_fewer_than_five_say_nothing(framework):
    """One person ticking housing was shown as "100 % named it one of their most important
    themes" on the public page, and pushed housing up the recommendations."""
    rows = [{"group": "residents", "housing": 3, "priorities": ["housing"]}] + [
        {"group": "residents", "housing": 3}
    ] * 20
    housing = score(responses(framework, rows)).theme("housing")
    assert housing.priority_count == 1
    assert housing.priority_base == 1
    assert housing.priority_share == 0.0


def test_groups_and_largest_gap(framework):
    rows = uniform(framework, 10, 5, "residents", skills_supply=5) + uniform(
        framework, 10, 5, "industry_management", skills_supply=2
    )
    rows[0]["skills_supply"] = 4  # residents 4.9, management 2
    result = score(responses(framework, rows))
    gap = result.gap("skills_supply")
    assert gap is not None
    assert gap.high_group == "residents"
    assert gap.low_group == "industry_management"
    assert gap.difference == pytest.approx(4.9 - 2)
    assert gap.cross_side  # the place against its industry
    assert result.side_gap("skills_supply") == gap
    assert result.gaps[0].theme_id == "skills_supply"  # the largest gap comes first
    assert result.group("residents").respondents == 10


def test_groups_under_ten_make_no_gap_and_are_named(framework):
    """A gap resting on nine people is two or three voices: left out, and the group named."""
    rows = uniform(framework, 12, 6, "residents") + uniform(framework, 9, 1, "industry_management")
    result = score(responses(framework, rows))
    assert result.gap("housing") is None
    assert [g.group.key for g in result.small_groups()] == ["industry_management"]
    rows += uniform(framework, 1, 1, "industry_management")  # the tenth
    assert score(responses(framework, rows)).gap("housing") is not None


def test_a_difference_inside_the_intervals_is_no_gap(framework):
    """Two wide, overlapping groups differ by chance: no gap is reported."""
    wide_a = [
        dict(r, housing=v)
        for r, v in zip(uniform(framework, 10, 4, "residents"), [1, 7] * 5, strict=False)
    ]
    wide_b = [
        dict(r, housing=v)
        for r, v in zip(uniform(framework, 10, 4, "industry_management"), [2, 7] * 5, strict=False)
    ]
    result = score(responses(framework, wide_a + wide_b))  # 4.0 against 4.5, sd about 3
    assert result.gap("housing") is None


def test_gaps_within_one_side_are_not_cross_side(framework):
    """Residents and young people both speak for the place: their gap is shown, but it is
    not a place-versus-industry gap, and groups without a side never make one."""
    rows = uniform(framework, 10, 6, "residents", housing=6) + uniform(
        framework, 10, 6, "young_people", housing=2
    )
    result = score(responses(framework, rows))
    assert result.gap("housing") is not None
    assert not result.gap("housing").cross_side
    assert result.side_gap("housing") is None
    free = [GroupInfo("Fiskare", "Fiskare", None), GroupInfo("residents", "Invånare", "place")]
    rows = uniform(framework, 10, 6, "residents", housing=6) + uniform(
        framework, 10, 6, "Fiskare", housing=2
    )
    result = score(responses(framework, rows, groups=free))
    assert result.side_gap("housing") is None


def test_respondents_without_group_count_in_total_only(framework):
    rows = [*uniform(framework, 3, 6, "residents"), dict.fromkeys(framework.question_ids, 1)]
    result = score(responses(framework, rows))
    assert result.respondents == 4
    assert result.theme("housing").n == 4
    assert result.group("residents").theme("housing").n == 3


def test_multi_question_themes_average_per_respondent(mini_framework):
    rows = [
        {"group": "staff", "competence_training": 5, "competence_time": 1, "digital_tools": 4},
        {"group": "staff", "competence_training": 3, "competence_time": DK, "digital_tools": DK},
    ]
    result = score(responses(mini_framework, rows))
    assert result.theme("competence").score == pytest.approx((3 + 3) / 2)
    assert result.theme("competence").n == 2
    assert result.theme("digital").dont_know == 1
    assert (result.scale_min, result.scale_max) == (1, 5)


def test_compare_flags_clear_changes_only(framework):
    before = score(
        responses(framework, [{"group": "residents", "housing": v} for v in [2, 3, 2, 3, 2, 3] * 5])
    )
    after = score(
        responses(framework, [{"group": "residents", "housing": v} for v in [5, 6, 5, 6, 5, 6] * 5])
    )
    same = score(
        responses(framework, [{"group": "residents", "housing": v} for v in [2, 3, 3, 2, 3, 2] * 5])
    )
    change = {c.theme_id: c for c in compare(before, after)}["housing"]
    assert change.change == pytest.approx(3.0)
    assert change.significant
    assert not {c.theme_id: c for c in compare(before, same)}["housing"].significant
    assert {c.theme_id: c for c in compare(before, after)}["mobility"].change is None  # no data


# --- properties ------------------------------------------------------------------------------

ratings = st.lists(st.one_of(st.integers(1, 7), st.just(DK), st.none()), min_size=1, max_size=40)
group_names = st.sampled_from(["residents", "young_people", "industry_management"])


@st.composite
def answer_tables(draw):
    n = draw(st.integers(1, 30))
    rows = []
    for _ in range(n):
        rows.append(
            {
                "group": draw(group_names),
                "housing": draw(st.one_of(st.integers(1, 7), st.just(DK), st.none())),
                "mobility": draw(st.one_of(st.integers(1, 7), st.just(DK))),
                "priorities": draw(
                    st.lists(
                        st.sampled_from(["housing", "mobility", "safety"]), max_size=3, unique=True
                    )
                ),
            }
        )
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=answer_tables(), seed=st.integers(0, 2**32 - 1))
def test_shuffling_respondents_changes_nothing(framework, rows, seed):
    rs = responses(framework, rows)
    order = np.random.default_rng(seed).permutation(rs.n)
    assert score(rs) == score(rs.take(order))  # exactly equal: sums are exact integers


@settings(max_examples=60, deadline=None)
@given(rows=answer_tables())
def test_scores_and_intervals_stay_on_the_scale(framework, rows):
    result = score(responses(framework, rows))
    for theme in [*result.themes, *(t for g in result.groups for t in g.themes)]:
        if theme.score is None:
            assert theme.n == 0
            assert theme.low is None
            continue
        assert 1 <= theme.low <= theme.score <= theme.high <= 7
        assert 0 <= theme.dont_know_share <= 1
        assert 0 <= theme.priority_share <= 1


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.integers(1, 7), min_size=1, max_size=30), low=st.integers(1, 7))
def test_adding_a_lower_rating_never_raises_the_score(framework, values, low):
    rows = [{"group": "residents", "housing": v} for v in values]
    before = score(responses(framework, rows)).theme("housing").score
    lower = min(low, math.floor(before))  # any rating at or below the current score
    after = (
        score(responses(framework, [*rows, {"group": "residents", "housing": lower}]))
        .theme("housing")
        .score
    )
    assert after <= before + 1e-12

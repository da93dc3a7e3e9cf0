"""Places side by side: the same scores as each place alone, ranks that do not depend on
the order of places or respondents."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from platsa.core.analysis.comparison import (
    compare_units,
    lighthouse_pairs,
    percentile_ranks,
    shared_development_areas,
)
from platsa.core.analysis.scoring import score
from platsa.core.schema.dataset import GroupInfo, ResponseSet
from platsa.core.schema.frameworks import get_framework

FW = get_framework("place-attractiveness")


def _responses(seed: int, units: int, n: int) -> ResponseSet:
    rng = np.random.default_rng(seed)
    q = len(FW.questions)
    values = rng.integers(FW.scale.min, FW.scale.max + 1, size=(n, q)).astype(np.float64)
    values[rng.random((n, q)) < 0.1] = np.nan
    return ResponseSet(
        framework=FW,
        values=values,
        dont_know=np.zeros((n, q), dtype=bool),
        group=rng.integers(0, units, size=n),
        groups=[GroupInfo(key=f"u{i}", label=f"Unit {i}") for i in range(units)],
        priorities=np.zeros((n, len(FW.themes)), dtype=bool),
        age_band=np.full(n, -1),
    )


def _subset(rs: ResponseSet, rows: np.ndarray) -> ResponseSet:
    return ResponseSet(
        framework=FW,
        values=rs.values[rows],
        dont_know=rs.dont_know[rows],
        group=np.zeros(len(rows), dtype=np.int64),
        groups=[GroupInfo(key="only", label="Only")],
        priorities=rs.priorities[rows],
        age_band=rs.age_band[rows],
    )


def test_each_place_scores_as_it_does_alone():
    rs = _responses(1, 5, 400)
    compared = compare_units(rs)
    for i, unit in enumerate(compared.units):
        alone = score(_subset(rs, np.flatnonzero(rs.group == i)))
        for mine, theirs in zip(unit.themes, alone.themes, strict=True):
            assert mine.score == theirs.score
            assert mine.low == theirs.low


def test_too_few_ratings_give_no_score():
    rs = _responses(2, 3, 200)
    rs.group[:] = 0
    rs.group[:2] = 2  # two respondents in unit 2
    compared = compare_units(rs)
    assert all(t.score is None for t in compared.units[2].themes)
    assert all(t.score is None for t in compared.units[1].themes)  # nobody at all


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 12))
def test_permuting_places_or_respondents_changes_nothing(seed, units):
    rs = _responses(seed, units, 300)
    before = compare_units(rs)
    rng = np.random.default_rng(seed + 1)
    rows = rng.permutation(rs.n)
    order = rng.permutation(units)  # unit i is now at position where[i]
    where = np.empty(units, dtype=np.int64)
    where[order] = np.arange(units)
    shuffled = ResponseSet(
        framework=FW,
        values=rs.values[rows],
        dont_know=rs.dont_know[rows],
        group=where[rs.group[rows]],
        groups=[rs.groups[i] for i in order],
        priorities=rs.priorities[rows],
        age_band=rs.age_band[rows],
    )
    after = compare_units(shuffled)
    by_key = {u.key: u for u in after.units}
    for unit in before.units:
        other = by_key[unit.key]
        for a, b in zip(unit.themes, other.themes, strict=True):
            assert a.n == b.n
            assert (a.score is None and b.score is None) or abs(a.score - b.score) < 1e-12
    m_before, m_after = before.matrix(), after.matrix()
    ranks_before = percentile_ranks(m_before[:, 0])
    ranks_after = percentile_ranks(m_after[:, 0])
    assert np.allclose(ranks_before[order], ranks_after, equal_nan=True)
    assert shared_development_areas(before) == shared_development_areas(after)
    assert sorted(lighthouse_pairs(before), key=str) == sorted(lighthouse_pairs(after), key=str)


def test_percentile_ranks():
    ranks = percentile_ranks(np.array([1.0, 2.0, 3.0, np.nan, 2.0]))
    assert ranks[0] == 0.0  # nobody lower
    assert ranks[2] == 100.0  # all three others lower
    assert ranks[1] == ranks[4] == (1 + 0.5) / 3 * 100  # one lower, one tie
    assert np.isnan(ranks[3])
    among = np.array([True, False, True, False, False])
    limited = percentile_ranks(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), among)
    assert limited[0] == 0.0
    assert limited[2] == 100.0
    assert limited[4] == 100.0  # not a peer itself, compared with both peers


def test_shared_actions_count_the_places_whose_list_they_are_on():
    from platsa.core.analysis.comparison import shared_actions, unit_results
    from platsa.core.analysis.recommend import recommend
    from platsa.core.schema.catalogue import load_catalogue

    rs = _responses(3, 6, 600)
    compared = compare_units(rs)
    catalogue = load_catalogue(FW)
    shared = shared_actions(compared, catalogue, limit=50)
    lists = {
        u.key: {
            r.action.id for r in recommend(unit_results(compared, u), catalogue, None).portfolio
        }
        for u in compared.units
    }
    assert shared
    for item in shared:
        assert set(item.units) == {k for k, ids in lists.items() if item.action_id in ids}
    counts = [len(item.units) for item in shared]
    assert counts == sorted(counts, reverse=True)


def test_the_total_leaves_out_places_shown_as_too_few():
    """A place of one respondent is "–" in its row; the total must not give it back."""
    rs = _responses(4, 2, 40)
    rs.group[:] = 0
    rs.group[0] = 1  # one person in place 1
    compared = compare_units(rs)
    assert all(t.score is None for t in compared.units[1].themes)
    for j, theme in enumerate(compared.units[0].themes):
        assert compared.overall[j] == theme.score  # place 0 alone, not place 0 + the one

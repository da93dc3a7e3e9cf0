"""Pol.is's tests (math/stats.clj) and the representative-statement selection."""

from __future__ import annotations

import math

import numpy as np

from platsa.core.opinion.repness import GroupCounts, prop_test, representative, two_prop_test


def test_prop_test_matches_polis_formula() -> None:
    # (prop-test 7 10): succ and n each + 1, then 2 sqrt(n) (succ/n - 1/2)
    assert prop_test(np.array([7.0]), np.array([10.0]))[0] == 2 * math.sqrt(11) * (8 / 11 - 0.5)


def test_two_prop_test_matches_polis_formula() -> None:
    s1, s2, n1, n2 = 8 + 1, 3 + 1, 10 + 1, 20 + 1
    p1, p2, pooled = s1 / n1, s2 / n2, (s1 + s2) / (n1 + n2)
    want = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    got = two_prop_test(np.array([8.0]), np.array([3.0]), np.array([10.0]), np.array([20.0]))[0]
    assert math.isclose(got, want)
    # everyone agreeing everywhere: Pol.is returns 0 rather than dividing by zero
    one = two_prop_test(np.array([5.0]), np.array([5.0]), np.array([4.0]), np.array([4.0]))
    assert one[0] == 0.0


def test_representative_statement_is_what_sets_a_group_apart() -> None:
    # statement 0: group 0 agrees, group 1 disagrees; statement 1: both agree; 2: mixed
    na = np.array([[40.0, 38.0, 20.0], [2.0, 37.0, 18.0]])
    nd = np.array([[2.0, 1.0, 19.0], [39.0, 2.0, 20.0]])
    ns = np.array([[42.0, 40.0, 40.0], [42.0, 40.0, 40.0]])
    reps = representative(GroupCounts(na, nd, ns), ["0", "1", "2"], [0, 1, 2])
    assert reps[0][0].statement_id == "0"
    assert reps[0][0].direction == "agree"
    assert any(r.statement_id == "0" and r.direction == "disagree" for r in reps[1])
    assert all(r.statement_id != "2" for g in reps for r in g)
    assert all(len(g) <= 5 for g in reps)

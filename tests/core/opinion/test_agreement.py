"""The adjusted Rand index: labels do not matter, chance is near 0, and bad input is refused."""

from __future__ import annotations

import numpy as np
import pytest

from platsa.core.opinion.agreement import adjusted_rand


def test_the_same_partition_under_other_labels_is_one():
    assert adjusted_rand([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]) == pytest.approx(1.0)


def test_independent_labelings_are_near_zero():
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, 3, 3000).tolist(), rng.integers(0, 3, 3000).tolist()
    assert abs(adjusted_rand(a, b)) < 0.02


def test_a_known_value():
    # sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 0.5714285714285715
    assert adjusted_rand([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)


def test_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same items"):
        adjusted_rand([0, 1], [0])

"""How far two groupings of the same participants agree: the adjusted Rand index (Hubert
and Arabie, 1985), 1 for the same partition whatever the labels, about 0 for chance. Used
to compare our groups with red-dwarf's and with Pol.is's own (tests and bench)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def _pairs(v: NDArray[np.float64]) -> float:
    return float(np.sum(v * (v - 1) / 2))


def adjusted_rand(a: Sequence[int], b: Sequence[int]) -> float:
    """The adjusted Rand index of two labelings of the same items, in the same order."""
    if len(a) != len(b):
        raise ValueError("both labelings must cover the same items")
    _, xi = np.unique(np.asarray(a), return_inverse=True)
    _, yi = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((int(xi.max()) + 1, int(yi.max()) + 1))
    np.add.at(table, (xi, yi), 1)
    index = _pairs(table)
    ra, rb = _pairs(table.sum(axis=1)), _pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    expected = ra * rb / total if total else 0.0
    most = (ra + rb) / 2
    return 1.0 if most == expected else (index - expected) / (most - expected)

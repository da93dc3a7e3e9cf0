"""Consensus statements (Pol.is's consensus-stats / select-consensus-comments) and
group-informed consensus (conversation.clj's ``:group-aware-consensus``).

Consensus looks at every participant: a statement is consensus for agree when its
pseudo-counted agreement ``(1 + na) / (2 + ns)`` is over 1/2 and its one-proportion test is
significant at 90 %; the five with the largest ``p x z`` are kept, and the same for
disagree. Group-informed consensus multiplies, over the groups, each group's pseudo-counted
agreement ``(A + 1) / (S + 2)``: high only when every group leans the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from platsa.core.opinion.repness import PICK_MAX, Z_90, Direction, GroupCounts, prop_test


@dataclass(frozen=True)
class Consensus:
    statement_id: str
    direction: Direction
    p_success: float
    p_test: float
    n_success: int
    n_trials: int


@dataclass(frozen=True)
class GroupInformedConsensus:
    statement_id: str
    agree: float
    disagree: float


def consensus(
    na: NDArray[np.float64],
    nd: NDArray[np.float64],
    ns: NDArray[np.float64],
    statement_ids: Sequence[str],
    order: Sequence[int],
) -> tuple[Consensus, ...]:
    """Agree consensus (up to five, best first), then disagree consensus."""
    out: list[Consensus] = []
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (1.0 + n) / (2.0 + ns)
        z = prop_test(n, ns)
        metric = p * z
        idx = [j for j in order if p[j] > 0.5 and z[j] > Z_90]
        idx.sort(key=lambda j: -metric[j])  # stable: ties keep the canonical order
        for j in idx[:PICK_MAX]:
            out.append(
                Consensus(
                    statement_ids[j],
                    "agree" if direction == "agree" else "disagree",
                    float(p[j]),
                    float(z[j]),
                    int(n[j]),
                    int(ns[j]),
                )
            )
    return tuple(out)


def group_informed(
    counts: GroupCounts, statement_ids: Sequence[str], order: Sequence[int]
) -> tuple[GroupInformedConsensus, ...]:
    """Every statement's group-informed consensus, highest agree first."""
    agree = np.prod((counts.na + 1.0) / (counts.ns + 2.0), axis=0)
    disagree = np.prod((counts.nd + 1.0) / (counts.ns + 2.0), axis=0)
    idx = sorted(order, key=lambda j: -agree[j])
    return tuple(
        GroupInformedConsensus(statement_ids[j], float(agree[j]), float(disagree[j])) for j in idx
    )

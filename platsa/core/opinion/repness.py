"""Representative statements per group, following Pol.is's math/repness.clj and
math/stats.clj: pseudo-counted probabilities, the one-proportion test of a group's
agreement and the two-proportion test of the group against everyone in the other groups,
and the selection of at most five statements per group (``select-rep-comments``).

Pol.is stores agree as -1 internally; here agree is +1, so ``na`` counts +1 votes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Z_90 = 1.2816  # one-sided 90 % (stats/z-sig-90?)
PICK_MAX = 5

Direction = Literal["agree", "disagree"]


def prop_test(succ: NDArray[np.float64], n: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pol.is's prop-test: ``2 sqrt(n+1) ((succ+1)/(n+1) - 1/2)``."""
    s, m = succ + 1.0, n + 1.0
    return 2.0 * np.sqrt(m) * (s / m - 0.5)


def two_prop_test(
    succ_in: NDArray[np.float64],
    succ_out: NDArray[np.float64],
    pop_in: NDArray[np.float64],
    pop_out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Pol.is's two-prop-test with +1 on every count; 0 where the pooled share is 1."""
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(var)
    return np.where((pooled >= 1.0) | (var <= 0), 0.0, z)


@dataclass(frozen=True)
class Repness:
    """One representative statement of a group (Pol.is's finalized comment stats)."""

    statement_id: str
    direction: Direction
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    n_success: int
    n_trials: int
    best_agree: bool = False

    @property
    def metric(self) -> float:
        """Pol.is's repness-metric, by which representative statements are ranked."""
        return self.repness * self.repness_test * self.p_success * self.p_test


@dataclass(frozen=True)
class GroupCounts:
    """Votes per group (rows) and statement (columns): agree, disagree, seen (passes
    included)."""

    na: NDArray[np.float64]
    nd: NDArray[np.float64]
    ns: NDArray[np.float64]


@dataclass(frozen=True)
class _Stats:
    na: float
    nd: float
    ns: float
    pa: float
    pd: float
    pat: float
    pdt: float
    ra: float
    rd: float
    rat: float
    rdt: float


def _finalize(sid: str, st: _Stats, *, best_agree: bool = False) -> Repness:
    if st.rat > st.rdt:
        return Repness(
            sid, "agree", st.pa, st.pat, st.ra, st.rat, int(st.na), int(st.ns), best_agree
        )
    return Repness(
        sid, "disagree", st.pd, st.pdt, st.rd, st.rdt, int(st.nd), int(st.ns), best_agree
    )


def _passes(st: _Stats) -> bool:
    return (st.rat > Z_90 and st.pat > Z_90) or (st.rdt > Z_90 and st.pdt > Z_90)


def _beats_best_agree(st: _Stats, best: _Stats | None) -> bool:
    if st.na == 0 and st.nd == 0:
        return False
    if best is not None and best.ra > 1.0:
        return st.ra * st.rat * st.pa * st.pat > best.ra * best.rat * best.pa * best.pat
    if best is not None:
        return st.pa * st.pat > best.pa * best.pat
    return st.pat > Z_90 or (st.ra > 1.0 and st.pa > 0.5)


def representative(
    counts: GroupCounts, statement_ids: Sequence[str], order: Sequence[int]
) -> list[tuple[Repness, ...]]:
    """Representative statements for each group (row of ``counts``), visiting statements in
    ``order`` (a canonical order, so that ties do not depend on column order)."""
    na, nd, ns = counts.na, counts.nd, counts.ns
    rest_na = na.sum(axis=0)[None, :] - na
    rest_nd = nd.sum(axis=0)[None, :] - nd
    rest_ns = ns.sum(axis=0)[None, :] - ns
    pa = (1.0 + na) / (2.0 + ns)
    pd = (1.0 + nd) / (2.0 + ns)
    pat = prop_test(na, ns)
    pdt = prop_test(nd, ns)
    ra = pa / ((1.0 + rest_na) / (2.0 + rest_ns))
    rd = pd / ((1.0 + rest_nd) / (2.0 + rest_ns))
    rat = two_prop_test(na, rest_na, ns, rest_ns)
    rdt = two_prop_test(nd, rest_nd, ns, rest_ns)
    arrays = [a.tolist() for a in (na, nd, ns, pa, pd, pat, pdt, ra, rd, rat, rdt)]
    out: list[tuple[Repness, ...]] = []
    for g in range(na.shape[0]):
        rows = [a[g] for a in arrays]
        sufficient: list[Repness] = []
        best: Repness | None = None
        best_agree: tuple[str, _Stats] | None = None
        for j in order:
            st = _Stats(*(r[j] for r in rows))
            sid = statement_ids[j]
            if _passes(st):
                sufficient.append(_finalize(sid, st))
            if not sufficient and (best is None or max(st.rat, st.rdt) > best.repness_test):
                best = _finalize(sid, st)
            if _beats_best_agree(st, best_agree[1] if best_agree else None):
                best_agree = (sid, st)
        head: list[Repness] = []
        if best_agree is not None:
            head = [_finalize(best_agree[0], best_agree[1], best_agree=True)]
        elif best is not None:
            head = [best]
        if not sufficient:
            out.append(tuple(head))
            continue
        ba_id = best_agree[0] if best_agree else None
        rest = sorted((r for r in sufficient if r.statement_id != ba_id), key=lambda r: -r.metric)
        picked = (([head[0]] if best_agree else []) + rest)[:PICK_MAX]
        agrees = [r for r in picked if r.direction == "agree"]
        disagrees = [r for r in picked if r.direction == "disagree"]
        out.append(tuple(agrees + disagrees))
    return out

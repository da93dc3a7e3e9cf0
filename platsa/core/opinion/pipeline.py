"""The whole opinion-mapping update, in Pol.is's order (math/conversation.clj): PCA of the
vote matrix, the participants who have voted enough, base clusters, groups with the k
smoother, representative statements, consensus and per-statement statistics.

``analyse`` is a pure function of the matrix, the previous update's :class:`ClusterState`
and a seed; the web side stores ``result.state`` and passes it back next time, which is how
the k smoother and the warm starts see the conversation's history."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from platsa.core.opinion import clusters as cl
from platsa.core.opinion.consensus import (
    Consensus,
    GroupInformedConsensus,
    consensus,
    group_informed,
)
from platsa.core.opinion.matrix import VoteMatrix
from platsa.core.opinion.pca import pca
from platsa.core.opinion.repness import GroupCounts, Repness, representative

# Pol.is lets a participant into the clustering after 7 votes, or after voting on every
# statement when there are fewer than 7 (conversation.clj :in-conv).
MIN_VOTES = 7
# Below this many participants in the clustering no groups are formed. Pol.is forms groups
# from 15 participants on, but with fewer than about 50 its groups hang on a handful of
# people, and Pol.is's own k-means start (and therefore its groups) changes with who came
# first. Statement statistics are still computed.
MIN_PARTICIPANTS_FOR_GROUPS = 50
MIN_STATEMENTS_FOR_GROUPS = 2


@dataclass(frozen=True)
class Group:
    id: int
    members: tuple[str, ...]
    representative: tuple[Repness, ...]
    centre: tuple[float, float]


@dataclass(frozen=True)
class VoteCounts:
    agree: int
    disagree: int
    passes: int

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passes

    def share(self, n: int) -> float:
        return n / self.seen if self.seen else 0.0

    @property
    def agree_share(self) -> float:
        return self.share(self.agree)

    @property
    def disagree_share(self) -> float:
        return self.share(self.disagree)

    @property
    def pass_share(self) -> float:
        return self.share(self.passes)


@dataclass(frozen=True)
class StatementStats:
    """Votes on one statement from every participant (``overall``) and per group id."""

    statement_id: str
    overall: VoteCounts
    by_group: Mapping[int, VoteCounts]


@dataclass(frozen=True)
class Projection:
    """Positions for the group map: every participant's (x, y) (Pol.is's sparsity-aware
    projection), each group's centre, each statement's position, and the base clusters
    (centre, size, group id) that Pol.is draws."""

    participants: Mapping[str, tuple[float, float]]
    group_centres: Mapping[int, tuple[float, float]]
    statements: Mapping[str, tuple[float, float]]
    base_clusters: tuple[tuple[tuple[float, float], int, int], ...] = ()


@dataclass(frozen=True)
class ClusterState:
    """What one update leaves for the next: the k smoother, who is in the clustering (once
    in, always in, as in Pol.is), the base clusters' members and each k's group centres
    (warm starts), and the components (to keep the map's orientation)."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None
    in_conv: frozenset[str] = frozenset()
    base_members: tuple[tuple[str, ...], ...] = ()
    group_centres: Mapping[int, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    component_statements: tuple[str, ...] = ()
    components: tuple[tuple[float, ...], ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "last_k": self.last_k,
                "last_k_count": self.last_k_count,
                "smoothed_k": self.smoothed_k,
                "in_conv": sorted(self.in_conv),
                "base_members": [list(m) for m in self.base_members],
                "group_centres": {
                    str(k): [list(c) for c in v] for k, v in self.group_centres.items()
                },
                "component_statements": list(self.component_statements),
                "components": [list(c) for c in self.components],
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ClusterState:
        d = json.loads(text)
        return cls(
            last_k=d.get("last_k"),
            last_k_count=int(d.get("last_k_count", 0)),
            smoothed_k=d.get("smoothed_k"),
            in_conv=frozenset(str(p) for p in d.get("in_conv", ())),
            base_members=tuple(tuple(str(p) for p in m) for m in d.get("base_members", ())),
            group_centres={
                int(k): tuple((float(c[0]), float(c[1])) for c in v)
                for k, v in d.get("group_centres", {}).items()
            },
            component_statements=tuple(str(s) for s in d.get("component_statements", ())),
            components=tuple(tuple(float(x) for x in c) for c in d.get("components", ())),
        )


@dataclass(frozen=True)
class OpinionResult:
    participants: int
    statements: int
    in_clustering: int
    groups: tuple[Group, ...]
    consensus: tuple[str, ...]
    consensus_detail: tuple[Consensus, ...]
    group_informed_consensus: tuple[GroupInformedConsensus, ...]
    statement_stats: tuple[StatementStats, ...]
    projection: Projection
    state: ClusterState
    reason: str | None
    silhouettes: Mapping[int, float] = field(default_factory=dict)
    best_k: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON shape; ids are written back as the file wrote them (Pol.is's
        integer ids as numbers)."""
        return {
            "participants": self.participants,
            "statements": self.statements,
            "in_clustering": self.in_clustering,
            "groups": [
                {
                    "id": g.id,
                    "size": len(g.members),
                    "members": [json_id(m) for m in g.members],
                    "representative": [json_id(r.statement_id) for r in g.representative],
                    "representative_detail": [
                        {
                            "statement": json_id(r.statement_id),
                            "direction": r.direction,
                            "p_success": round(r.p_success, 6),
                            "p_test": round(r.p_test, 6),
                            "repness": round(r.repness, 6),
                            "repness_test": round(r.repness_test, 6),
                            "n_success": r.n_success,
                            "n_trials": r.n_trials,
                        }
                        for r in g.representative
                    ],
                }
                for g in self.groups
            ],
            "consensus": [json_id(s) for s in self.consensus],
            "consensus_detail": [
                {
                    "statement": json_id(c.statement_id),
                    "direction": c.direction,
                    "p_success": round(c.p_success, 6),
                    "p_test": round(c.p_test, 6),
                    "n_success": c.n_success,
                    "n_trials": c.n_trials,
                }
                for c in self.consensus_detail
            ],
            "reason": self.reason,
        }


_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")


def json_id(value: str) -> int | str:
    """An id as the file wrote it: Pol.is's integer ids as integers, anything else as text."""
    return int(value) if _INT.match(value) else value


def natural_order(ids: Sequence[str]) -> list[int]:
    """Indices of ``ids`` in a canonical order (integers numerically, then text), so results
    do not depend on the order of columns."""
    return sorted(
        range(len(ids)),
        key=lambda i: (0, int(ids[i]), "") if _INT.match(ids[i]) else (1, 0, ids[i]),
    )


def _counts(
    matrix: VoteMatrix, labels: NDArray[np.int64], k: int
) -> tuple[GroupCounts, tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]]:
    """Agree / disagree / seen per group and statement (rows of ``labels`` < 0 belong to no
    group), and the same over all participants: one ``bincount`` of (group, statement,
    vote) codes each."""
    v = matrix.values
    n_s = v.shape[1]
    vote = np.asarray(v.data).astype(np.int64) + 1  # 0 disagree, 1 pass, 2 agree
    cell = v.indices.astype(np.int64) * 3 + vote
    overall = np.bincount(cell, minlength=3 * n_s).reshape(n_s, 3).astype(np.float64)
    o = (overall[:, 2], overall[:, 0], overall.sum(axis=1))
    if k == 0:
        z = np.zeros((0, n_s))
        return GroupCounts(z, z, z), o
    g = np.repeat(labels, np.diff(v.indptr))
    inside = g >= 0
    flat = np.bincount(g[inside] * (3 * n_s) + cell[inside], minlength=3 * n_s * k)
    per: NDArray[np.float64] = flat.reshape(k, n_s, 3).astype(np.float64)
    return GroupCounts(per[:, :, 2], per[:, :, 0], per.sum(axis=2)), o


def _align(
    comps: NDArray[np.float64], sids: Sequence[str], previous: ClusterState | None
) -> NDArray[np.float64]:
    """Signs (+1/-1) that keep each component pointing the way it pointed last update."""
    signs = np.ones(comps.shape[0])
    if previous is None or not previous.components:
        return signs
    where = {s: i for i, s in enumerate(sids)}
    common = [(where[s], j) for j, s in enumerate(previous.component_statements) if s in where]
    if not common:
        return signs
    now_idx = np.array([a for a, _ in common])
    prev_idx = np.array([b for _, b in common])
    for c in range(min(comps.shape[0], len(previous.components))):
        prev = np.asarray(previous.components[c])[prev_idx]
        if float(comps[c, now_idx] @ prev) < 0:
            signs[c] = -1.0
    return signs


def analyse(
    matrix: VoteMatrix, *, previous: ClusterState | None = None, seed: int = 0
) -> OpinionResult:
    """One Pol.is-style update of a conversation; see the module docstring."""
    n_p, n_s = matrix.shape
    pids, sids = matrix.participant_ids, matrix.statement_ids
    order = natural_order(sids)
    fit = pca(matrix)
    signs = _align(fit.components, sids, previous)
    comps = fit.components * signs[:, None]
    proj = fit.projection * signs[None, :]
    sproj = fit.statement_projection * signs[None, :]

    n_votes = matrix.votes_per_participant()
    # Pol.is counts votes on moderated-out statements here too (user-vote-counts is taken
    # from the raw rating matrix): moderating a statement out never drops anyone.
    in_conv = matrix.votes_cast() >= min(MIN_VOTES, n_s)
    if previous is not None and previous.in_conv:
        in_conv |= np.fromiter((p in previous.in_conv for p in pids), dtype=bool, count=n_p)
    in_conv &= n_votes > 0  # a participant whose only votes were moderated out has none left
    in_idx = np.flatnonzero(in_conv)

    reason: str | None = None
    if n_s < MIN_STATEMENTS_FOR_GROUPS:
        reason = "too_few_statements"
    elif in_idx.size < MIN_PARTICIPANTS_FOR_GROUPS:
        reason = "too_few_participants"

    labels = np.full(n_p, -1, dtype=np.int64)
    groups_k = 0
    silhouettes: dict[int, float] = {}
    smoother = (
        cl.KSmoother(previous.last_k, previous.last_k_count, previous.smoothed_k)
        if previous is not None
        else cl.KSmoother()
    )
    base_members_out: tuple[tuple[str, ...], ...] = ()
    group_centres_out: dict[int, tuple[tuple[float, float], ...]] = {}
    base_info: tuple[tuple[tuple[float, float], int, int], ...] = ()
    group_centre_xy: NDArray[np.float64] = np.zeros((0, 2))
    best_k: int | None = None

    if reason is None:
        pts = proj[in_idx]
        warm = _recentred(previous, pids, proj, in_conv) if previous is not None else None
        base = cl.base_clusters(pts, seed=seed, warm_centres=warm)
        n_base = base.centres.shape[0]
        sizes = np.bincount(base.labels, minlength=n_base).astype(np.float64)
        max_k = min(cl.max_group_k(n_base), n_base)
        clusterings: dict[int, cl.KMeansResult] = {}
        for k in range(2, max_k + 1):
            prev_c = None
            if previous is not None and k in previous.group_centres:
                prev_c = np.asarray(previous.group_centres[k], dtype=np.float64)
            res = cl.group_clustering(base.centres, sizes, k, seed=seed, warm_centres=prev_c)
            if res.centres.shape[0] == k:
                clusterings[k] = res
                silhouettes[k] = cl.silhouette(base.centres, res.labels)
        if not clusterings:
            reason = "no_variation"
        else:
            best_k = max(clusterings, key=lambda k: (silhouettes[k], -k))
            smoother = smoother.update(best_k)
            use_k = smoother.smoothed_k if smoother.smoothed_k in clusterings else best_k
            chosen = clusterings[int(use_k)]
            # Canonical group ids: largest group first, then by centre.
            gsizes = np.bincount(chosen.labels, weights=sizes, minlength=use_k)
            rank = sorted(
                range(int(use_k)),
                key=lambda g: (-gsizes[g], chosen.centres[g, 0], chosen.centres[g, 1]),
            )
            relabel = np.empty(len(rank), dtype=np.int64)
            relabel[rank] = np.arange(len(rank))
            base_group = relabel[chosen.labels]
            labels[in_idx] = base_group[base.labels]
            groups_k = len(rank)
            group_centre_xy = chosen.centres[rank]
            members_by_base: list[list[str]] = [[] for _ in range(n_base)]
            for i, b in zip(in_idx.tolist(), base.labels.tolist(), strict=True):
                members_by_base[b].append(pids[i])
            base_members_out = tuple(tuple(m) for m in members_by_base)
            group_centres_out = {
                k: tuple((float(x), float(y)) for x, y in r.centres) for k, r in clusterings.items()
            }
            base_info = tuple(
                ((float(c[0]), float(c[1])), int(sizes[b]), int(base_group[b]))
                for b, c in enumerate(base.centres)
            )

    counts, (o_na, o_nd, o_ns) = _counts(matrix, labels, groups_k)
    reps = representative(counts, sids, order) if groups_k else []
    groups: list[Group] = []
    member_lists: list[list[str]] = [[] for _ in range(groups_k)]
    for i in np.flatnonzero(labels >= 0).tolist():
        member_lists[int(labels[i])].append(pids[i])
    for g in range(groups_k):
        groups.append(
            Group(
                g,
                tuple(member_lists[g]),
                reps[g],
                (float(group_centre_xy[g, 0]), float(group_centre_xy[g, 1])),
            )
        )
    cons = consensus(o_na, o_nd, o_ns, sids, order)
    gic = group_informed(counts, sids, order) if groups_k else ()
    stats = tuple(
        StatementStats(
            sids[j],
            VoteCounts(int(o_na[j]), int(o_nd[j]), int(o_ns[j] - o_na[j] - o_nd[j])),
            {
                g: VoteCounts(
                    int(counts.na[g, j]),
                    int(counts.nd[g, j]),
                    int(counts.ns[g, j] - counts.na[g, j] - counts.nd[g, j]),
                )
                for g in range(groups_k)
            },
        )
        for j in order
    )
    projection = Projection(
        participants={
            p: (float(x), float(y)) for p, (x, y) in zip(pids, proj.tolist(), strict=True)
        },
        group_centres={g.id: g.centre for g in groups},
        statements={
            s: (float(x), float(y)) for s, (x, y) in zip(sids, sproj.tolist(), strict=True)
        },
        base_clusters=base_info,
    )
    state = ClusterState(
        last_k=smoother.last_k,
        last_k_count=smoother.last_k_count,
        smoothed_k=smoother.smoothed_k,
        in_conv=frozenset(pids[i] for i in in_idx.tolist()),
        base_members=base_members_out,
        group_centres=group_centres_out,
        component_statements=tuple(sids),
        components=tuple(tuple(float(x) for x in c) for c in comps),
    )
    return OpinionResult(
        participants=n_p,
        statements=n_s,
        in_clustering=int(in_idx.size),
        groups=tuple(groups),
        consensus=tuple(c.statement_id for c in cons),
        consensus_detail=cons,
        group_informed_consensus=gic,
        statement_stats=stats,
        projection=projection,
        state=state,
        reason=reason,
        silhouettes=silhouettes,
        best_k=best_k,
    )


def _recentred(
    previous: ClusterState,
    pids: Sequence[str],
    proj: NDArray[np.float64],
    in_conv: NDArray[np.bool_],
) -> NDArray[np.float64] | None:
    """The previous base clusters' centres recomputed from their members' new positions
    (Pol.is's safe-recenter-clusters); clusters with no member left are dropped."""
    if not previous.base_members:
        return None
    where = {p: i for i, p in enumerate(pids)}
    centres = []
    for members in previous.base_members:
        idx = [where[m] for m in members if m in where and in_conv[where[m]]]
        if idx:
            centres.append(proj[idx].mean(axis=0))
    return np.asarray(centres, dtype=np.float64) if centres else None


__all__ = [
    "ClusterState",
    "Group",
    "OpinionResult",
    "Projection",
    "StatementStats",
    "VoteCounts",
    "analyse",
]

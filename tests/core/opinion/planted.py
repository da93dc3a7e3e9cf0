"""Synthetic conversations with planted opinion groups, for the opinion-mapping tests."""

from __future__ import annotations

import numpy as np

from platsa.core.opinion.matrix import VoteMatrix


def planted_votes(
    sizes: tuple[int, ...],
    n_statements: int,
    *,
    seed: int,
    agree_with_group: float = 0.85,
    vote_share: float = 0.8,
    stances: np.ndarray | None = None,
) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Each group has its own stance (+1/-1) per statement; members vote their group's
    stance with probability ``agree_with_group`` (otherwise a random vote) on a random
    ``vote_share`` of the statements. Returns the votes and the planted group of each
    participant."""
    rng = np.random.default_rng(seed)
    if stances is None:
        stances = rng.choice(np.array([-1, 1]), size=(len(sizes), n_statements))
    votes: list[tuple[str, str, int]] = []
    truth: dict[str, int] = {}
    pid = 0
    for g, size in enumerate(sizes):
        for _ in range(size):
            name = f"p{pid}"
            truth[name] = g
            for s in range(n_statements):
                if rng.random() > vote_share:
                    continue
                if rng.random() < agree_with_group:
                    v = int(stances[g, s])
                else:
                    v = int(rng.choice(np.array([-1, 0, 1])))
                votes.append((name, f"s{s}", v))
            pid += 1
    return votes, truth


def four_corners(n_statements: int) -> np.ndarray:
    """Stances of four groups on two independent questions (half the statements each):
    (+,+), (+,-), (-,+), (-,-). Random stances of four groups need not be separable in the
    two dimensions the map has; these are."""
    corners = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])
    axis = np.arange(n_statements) % 2
    return corners[:, axis]


def planted_matrix(
    sizes: tuple[int, ...], n_statements: int, *, seed: int, stances: np.ndarray | None = None
) -> tuple[VoteMatrix, dict[str, int]]:
    votes, truth = planted_votes(sizes, n_statements, seed=seed, stances=stances)
    return VoteMatrix.from_votes(votes), truth


def partition(groups: object) -> frozenset[frozenset[str]]:
    """Groups as a set of member sets: equal when two results differ only in labels."""
    return frozenset(frozenset(g.members) for g in groups)  # type: ignore[attr-defined]

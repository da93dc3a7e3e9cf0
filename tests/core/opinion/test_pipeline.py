"""The whole pipeline on synthetic conversations: planted groups are found, small
conversations get statistics but no groups, the k smoother waits, seeds reproduce, and
permuting participants or statements changes nothing but labels."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platsa.core.opinion.agreement import adjusted_rand
from platsa.core.opinion.clusters import GROUP_K_BUFFER, KSmoother
from platsa.core.opinion.matrix import VoteMatrix
from platsa.core.opinion.pipeline import ClusterState, analyse

from .planted import four_corners, partition, planted_matrix, planted_votes


def _labels(result: object, truth: dict[str, int]) -> tuple[list[int], list[int]]:
    found = {p: g.id for g in result.groups for p in g.members}  # type: ignore[attr-defined]
    common = sorted(found)
    return [found[p] for p in common], [truth[p] for p in common]


def test_planted_groups_are_recovered() -> None:
    cases = (((70, 50), 1, None), ((60, 45, 35), 2, None), ((50, 40, 40, 30), 3, four_corners(40)))
    for sizes, seed, stances in cases:
        m, truth = planted_matrix(sizes, 40, seed=seed, stances=stances)
        result = analyse(m, seed=0)
        assert len(result.groups) == len(sizes), (sizes, result.silhouettes)
        ours, planted = _labels(result, truth)
        assert len(ours) == sum(sizes)
        assert adjusted_rand(ours, planted) > 0.95


def test_representative_statements_are_where_groups_differ() -> None:
    votes, truth = planted_votes((60, 60), 30, seed=5)
    # statement s-apart: group 0 agrees, group 1 disagrees, everyone votes
    votes += [(p, "apart", 1 if g == 0 else -1) for p, g in truth.items()]
    # statement s-all: everybody agrees
    votes += [(p, "all", 1) for p in truth]
    result = analyse(VoteMatrix.from_votes(votes))
    assert len(result.groups) == 2
    for g in result.groups:
        ids = [r.statement_id for r in g.representative]
        assert "apart" in ids
        stance = {truth[p] for p in g.members}
        (planted_group,) = stance
        rep = next(r for r in g.representative if r.statement_id == "apart")
        assert rep.direction == ("agree" if planted_group == 0 else "disagree")
    assert result.consensus[0] == "all"
    assert result.consensus_detail[0].direction == "agree"
    gic = {c.statement_id: c.agree for c in result.group_informed_consensus}
    assert gic["all"] > gic["apart"]


def test_too_few_participants_gives_statistics_and_a_reason() -> None:
    m, _ = planted_matrix((20, 15), 20, seed=4)
    result = analyse(m)
    assert result.groups == ()
    assert result.reason == "too_few_participants"
    assert result.in_clustering == 35
    stats = {s.statement_id: s for s in result.statement_stats}
    assert sum(s.overall.seen for s in stats.values()) == m.n_votes
    assert result.to_json()["groups"] == []
    assert result.to_json()["reason"] == "too_few_participants"


def test_participants_with_few_votes_are_left_out_of_groups_but_counted() -> None:
    votes, _truth = planted_votes((60, 60), 30, seed=6)
    votes += [("late", "s0", 1), ("late", "s1", -1)]  # two votes only
    result = analyse(VoteMatrix.from_votes(votes))
    assert result.participants == 121
    assert result.in_clustering == 120
    assert all("late" not in g.members for g in result.groups)
    s0 = next(s for s in result.statement_stats if s.statement_id == "s0")
    assert s0.overall.seen == sum(1 for p, s, _ in votes if s == "s0")


def test_votes_on_moderated_out_statements_admit_a_participant() -> None:
    """As in Pol.is, votes on statements moderated out later still count towards the 7."""
    votes, _truth = planted_votes((60, 60), 30, seed=6)
    votes += [("late", f"s{j}", 1) for j in range(5)]
    votes += [("late", "gone1", 1), ("late", "gone2", -1), ("p0", "gone1", 1)]
    m = VoteMatrix.from_votes(votes, moderated_out={"gone1", "gone2"})
    result = analyse(m)
    assert result.in_clustering == 121
    assert any("late" in g.members for g in result.groups)
    dropped = analyse(VoteMatrix.from_votes([v for v in votes if not v[1].startswith("gone")]))
    assert dropped.in_clustering == 120


def test_moderated_out_columns_temper_the_scaling_as_polis_zeroed_columns_do() -> None:
    """Pol.is zeroes a moderated-out column for everyone; its sparsity scaling then counts
    that column as a statement and as a vote of each participant."""
    from platsa.core.opinion.pca import pca

    votes, _truth = planted_votes((40, 40), 20, seed=8)
    kept = VoteMatrix.from_votes(votes)
    with_mod = VoteMatrix.from_votes(
        [*votes, ("p1", "gone1", 1), ("p2", "gone2", 0)], moderated_out={"gone1", "gone2"}
    )
    a, b = pca(kept), pca(with_mod)
    np.testing.assert_allclose(a.components, b.components)
    n_s = kept.shape[1]
    n_v = kept.votes_per_participant().astype(float)
    ratio = np.sqrt((n_s + 2) / (n_v + 2)) / np.sqrt(n_s / n_v)
    np.testing.assert_allclose(b.projection, a.projection * ratio[:, None])


def test_seed_reproduces_and_json_shape() -> None:
    m, _ = planted_matrix((60, 50), 30, seed=7)
    a, b = analyse(m, seed=3), analyse(m, seed=3)
    assert a.to_json() == b.to_json()
    data = a.to_json()
    assert {"participants", "statements", "groups", "consensus", "reason"} <= set(data)
    assert set(data["groups"][0]) >= {"id", "members", "representative"}


def test_k_smoother_waits_for_consecutive_wins() -> None:
    s = KSmoother().update(2)
    assert s.smoothed_k == 2
    for _ in range(GROUP_K_BUFFER - 1):
        s = s.update(3)
        assert s.smoothed_k == 2
    s = s.update(3)
    assert s.smoothed_k == 3
    s = s.update(2).update(3)  # an interruption restarts the count
    assert s.smoothed_k == 3
    assert s.last_k_count == 1


def test_state_carries_over_and_survives_json() -> None:
    m, _ = planted_matrix((60, 50), 30, seed=8)
    first = analyse(m)
    state = ClusterState.from_json(first.state.to_json())
    assert state == first.state or state.to_json() == first.state.to_json()
    second = analyse(m, previous=state)
    assert partition(second.groups) == partition(first.groups)
    assert second.state.last_k_count == 2


def _permuted(m: VoteMatrix, rows: list[int], cols: list[int]) -> VoteMatrix:
    votes = m.to_votes()
    rank_p = {m.participant_ids[r]: i for i, r in enumerate(rows)}
    rank_s = {m.statement_ids[c]: i for i, c in enumerate(cols)}
    votes.sort(key=lambda t: (rank_p[t[0]], rank_s[t[1]]))
    return VoteMatrix.from_votes(votes, statement_ids=[m.statement_ids[c] for c in cols])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    sizes=st.sampled_from([(40, 30), (35, 30, 25), (80,), (30, 25, 20, 15)]),
    n_statements=st.integers(8, 30),
    data=st.data(),
)
def test_permuting_participants_or_statements_changes_only_labels(
    seed: int, sizes: tuple[int, ...], n_statements: int, data: st.DataObject
) -> None:
    votes, _ = planted_votes(sizes, n_statements, seed=seed, agree_with_group=0.75)
    m = VoteMatrix.from_votes(votes)
    n_p, n_s = m.shape
    rows = data.draw(st.permutations(list(range(n_p))))
    cols = data.draw(st.permutations(list(range(n_s))))
    base = analyse(m, seed=1)
    other = analyse(_permuted(m, rows, cols), seed=1)
    assert other.reason == base.reason
    assert partition(other.groups) == partition(base.groups)
    assert other.consensus == base.consensus
    assert {
        g.members.__len__(): [r.statement_id for r in g.representative] for g in other.groups
    } == {g.members.__len__(): [r.statement_id for r in g.representative] for g in base.groups}
    for p, (x, y) in base.projection.participants.items():
        ox, oy = other.projection.participants[p]
        assert np.isclose(ox, x, atol=1e-6)
        assert np.isclose(oy, y, atol=1e-6)


def test_degenerate_conversations_give_a_reason_not_an_error() -> None:
    empty = analyse(VoteMatrix.from_votes([]))
    assert (empty.participants, empty.groups, empty.reason) == (0, (), "too_few_statements")
    alike = VoteMatrix.from_votes([(f"p{i}", str(s), 1) for i in range(60) for s in range(10)])
    result = analyse(alike)
    assert result.groups == ()
    assert result.reason == "no_variation"
    assert len(result.consensus) == 5  # everyone agrees with everything
    halves = VoteMatrix.from_votes(
        [(f"p{i}", str(s), 1 if i % 2 else -1) for i in range(60) for s in range(10)]
    )
    split = analyse(halves, previous=result.state)
    assert sorted(len(g.members) for g in split.groups) == [30, 30]

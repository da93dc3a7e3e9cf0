"""The vote matrix: later votes replace earlier ones, passes are kept apart from missing
votes, and moderated-out statements are gone."""

from __future__ import annotations

import numpy as np
import pytest

from platsa.core.opinion.matrix import VoteError, VoteMatrix


def test_later_vote_replaces_earlier_and_pass_is_not_missing() -> None:
    m = VoteMatrix.from_votes(
        [("a", "1", 1), ("b", "1", -1), ("a", "1", -1), ("a", "2", 0), ("b", "3", 1)]
    )
    assert m.participant_ids == ("a", "b")
    assert m.statement_ids == ("1", "2", "3")
    assert sorted(m.to_votes()) == [("a", "1", -1), ("a", "2", 0), ("b", "1", -1), ("b", "3", 1)]
    assert m.n_votes == 4  # the pass is an observed vote
    assert m.votes_per_participant().tolist() == [2, 2]
    assert m.observed().toarray().tolist() == [[1, 1, 0], [1, 0, 1]]


def test_moderated_out_statements_are_removed() -> None:
    m = VoteMatrix.from_votes(
        [("a", "1", 1), ("a", "2", 1), ("b", "2", -1), ("b", "3", 0)], moderated_out={"2"}
    )
    assert m.statement_ids == ("1", "3")
    assert sorted(m.to_votes()) == [("a", "1", 1), ("b", "3", 0)]


def test_arrays_and_triples_agree() -> None:
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 40, 3000)
    cols = rng.integers(0, 25, 3000)
    vals = rng.choice(np.array([-1, 0, 1]), 3000)
    pids = [f"p{i}" for i in range(40)]
    sids = [f"s{j}" for j in range(25)]
    fast = VoteMatrix.from_arrays(rows, cols, vals, participant_ids=pids, statement_ids=sids)
    final: dict[tuple[str, str], int] = {}
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
        final[(pids[r], sids[c])] = v
    assert sorted(fast.to_votes()) == sorted((p, s, v) for (p, s), v in final.items())


def test_bad_vote_is_refused() -> None:
    with pytest.raises(VoteError):
        VoteMatrix.from_votes([("a", "1", 2)])


def test_votes_on_moderated_out_statements_are_counted_once_per_pair() -> None:
    """Pol.is's user-vote-counts come from the raw matrix: votes on moderated-out statements
    count towards the 7 that admit a participant to the clustering."""
    m = VoteMatrix.from_votes(
        [("a", "1", 1), ("a", "2", 1), ("a", "2", -1), ("b", "2", 0), ("b", "4", 1), ("c", "3", 1)],
        moderated_out={"2", "4", "9"},
    )
    assert m.statement_ids == ("1", "3")
    assert m.votes_per_participant().tolist() == [1, 0, 1]
    assert m.votes_cast().tolist() == [2, 2, 1]  # a's changed vote on "2" counts once
    assert m.moderated_statements == 2  # "9" had no votes: Pol.is has no column to zero
    plain = VoteMatrix.from_votes([("a", "1", 1)])
    assert plain.moderated_statements == 0
    assert plain.votes_cast().tolist() == [1]

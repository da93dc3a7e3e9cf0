"""The vote matrix: participants x statements, +1 agree / -1 disagree / 0 pass, missing where a
participant has not voted.

Stored as a SciPy CSR matrix whose *structure* is the observed mask (an explicit 0 is a
pass, an absent entry is no vote), so a conversation of 100,000 participants and 2,000
statements with 5,000,000 votes takes 5,000,000 entries and is never densified.
Moderated-out statements are dropped when the matrix is built (Pol.is zeroes their columns,
which is the same for the PCA, and dropping them keeps them out of the vote statistics).
Two counts are kept for the parts of Pol.is's math that still see them: the votes each
participant cast on them (Pol.is's ``user-vote-counts``, which decides who is clustered, is
taken from the raw rating matrix, before moderation) and how many of them had votes (a
zeroed column counts in the sparsity scaling of the projection)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

VOTE_VALUES = (-1, 0, 1)


class VoteError(ValueError):
    """A vote that is not -1, 0 or 1 (the Pol.is values)."""


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants (rows) x statements (columns).

    ``values`` is CSR with sorted, unique column indices per row; its stored entries are the
    observed votes, explicit zeros included. Never call ``eliminate_zeros`` on it."""

    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    values: sparse.csr_matrix
    # Per row, the votes on moderated-out statements that were dropped (None: none dropped).
    moderated_votes: NDArray[np.int64] | None = field(default=None, repr=False)
    # How many moderated-out statements had votes: the columns Pol.is zeroes rather than drops.
    moderated_statements: int = 0

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participant_ids), len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        return int(self.values.nnz)

    def votes_per_participant(self) -> NDArray[np.int64]:
        """Observed votes (passes included) per row on the statements kept."""
        return np.diff(self.values.indptr).astype(np.int64)

    def votes_cast(self) -> NDArray[np.int64]:
        """Votes per row including those on moderated-out statements: Pol.is's
        ``user-vote-counts`` (counted on the raw rating matrix), which decides who is
        clustered."""
        kept = self.votes_per_participant()
        return kept if self.moderated_votes is None else kept + self.moderated_votes

    def data(self) -> NDArray[np.float64]:
        return np.asarray(self.values.data, dtype=np.float64)

    def observed(self) -> sparse.csr_matrix:
        """The observed mask as a 0/1 CSR matrix with the same structure."""
        v = self.values
        return sparse.csr_matrix(
            (np.ones(v.nnz, dtype=np.float64), v.indices, v.indptr), shape=v.shape
        )

    def indicator(self, vote: int) -> sparse.csr_matrix:
        """1 where the vote equals ``vote`` (agree 1, disagree -1, pass 0), else absent."""
        v = self.values
        keep = np.asarray(v.data) == vote
        rows = np.repeat(np.arange(v.shape[0]), np.diff(v.indptr))[keep]
        return sparse.csr_matrix(
            (np.ones(int(keep.sum()), dtype=np.float64), (rows, v.indices[keep])),
            shape=v.shape,
        )

    def to_votes(self) -> list[tuple[str, str, int]]:
        """Back to (participant, statement, vote) triples, row by row."""
        v = self.values
        rows = np.repeat(np.arange(v.shape[0]), np.diff(v.indptr))
        return [
            (self.participant_ids[r], self.statement_ids[c], int(x))
            for r, c, x in zip(rows.tolist(), v.indices.tolist(), v.data.tolist(), strict=True)
        ]

    @classmethod
    def from_votes(
        cls,
        votes: Iterable[tuple[str, str, int]],
        *,
        moderated_out: Collection[str] = (),
        statement_ids: Sequence[str] | None = None,
    ) -> VoteMatrix:
        """Build from (participant id, statement id, vote) in the order they were cast: a later
        vote of the same pair replaces an earlier one (a participant who changed their mind).

        Participants and statements keep the order in which they first appear;
        ``statement_ids`` adds statements nobody has voted on yet (in that order, first)."""
        p_index: dict[str, int] = {}
        s_index: dict[str, int] = {}
        if statement_ids is not None:
            for s in statement_ids:
                s_index.setdefault(str(s), len(s_index))
        rows: list[int] = []
        cols: list[int] = []
        vals: list[int] = []
        for p, s, v in votes:
            if v not in VOTE_VALUES:
                raise VoteError(f"vote {v!r} of {p!r} on {s!r} is not -1, 0 or 1")
            rows.append(p_index.setdefault(str(p), len(p_index)))
            cols.append(s_index.setdefault(str(s), len(s_index)))
            vals.append(int(v))
        return cls.from_arrays(
            np.asarray(rows, dtype=np.int64),
            np.asarray(cols, dtype=np.int64),
            np.asarray(vals, dtype=np.int8),
            participant_ids=list(p_index),
            statement_ids=list(s_index),
            moderated_out=moderated_out,
        )

    @classmethod
    def from_arrays(
        cls,
        rows: NDArray[np.integer],
        cols: NDArray[np.integer],
        vals: NDArray[np.integer],
        *,
        participant_ids: Sequence[str],
        statement_ids: Sequence[str],
        moderated_out: Collection[str] = (),
    ) -> VoteMatrix:
        """The fast path: votes as index arrays in casting order (later replaces earlier)."""
        n_p, n_s = len(participant_ids), len(statement_ids)
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=np.int8)
        if not rows.shape == cols.shape == vals.shape:
            raise ValueError("rows, cols and vals differ in length")
        if vals.size and (vals.min() < -1 or vals.max() > 1):
            raise VoteError("votes must be -1, 0 or 1")
        if rows.size and (
            rows.min() < 0 or rows.max() >= n_p or cols.min() < 0 or cols.max() >= n_s
        ):
            raise ValueError("a vote's index is outside the participant or statement ids")
        out = {str(s) for s in moderated_out}
        sids = [str(s) for s in statement_ids]
        moderated_votes: NDArray[np.int64] | None = None
        n_moderated = 0
        if out & set(sids):
            keep_col = np.array([s not in out for s in sids], dtype=bool)
            new_index = np.cumsum(keep_col) - 1
            mask = keep_col[cols]
            # One vote per (participant, moderated statement) pair, however often it changed.
            dropped = np.unique(rows[~mask] * max(n_s, 1) + cols[~mask])
            moderated_votes = np.bincount(dropped // max(n_s, 1), minlength=n_p).astype(np.int64)
            n_moderated = int(np.unique(cols[~mask]).size)
            rows, cols, vals = rows[mask], new_index[cols[mask]], vals[mask]
            sids = [s for s, k in zip(sids, keep_col.tolist(), strict=True) if k]
            n_s = len(sids)
        key = rows * max(n_s, 1) + cols
        if key.size > 1 and not bool(np.all(key[1:] > key[:-1])):
            n = key.size
            if n_p * max(n_s, 1) < (1 << 62) // max(n, 1):
                # Sorting (pair, position) as one integer is many times faster than a
                # stable argsort and puts each pair's votes in casting order.
                packed = np.sort(key * n + np.arange(n, dtype=np.int64))
                key, vals = packed // n, vals[packed % n]
            else:
                order = np.argsort(key, kind="stable")
                key, vals = key[order], vals[order]
            last = np.ones(key.size, dtype=bool)
            last[:-1] = key[1:] != key[:-1]  # the last of each run of one pair is its final vote
            key, vals = key[last], vals[last]
        r = key // max(n_s, 1)
        c = key - r * max(n_s, 1)
        indptr = np.zeros(n_p + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=n_p), out=indptr[1:])
        matrix = sparse.csr_matrix(
            (vals.astype(np.float64), c.astype(np.int32), indptr), shape=(n_p, n_s)
        )
        return cls(
            tuple(str(p) for p in participant_ids),
            tuple(sids),
            matrix,
            moderated_votes,
            n_moderated,
        )

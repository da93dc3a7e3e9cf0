"""PCA of the vote matrix to two components, as Pol.is does it (math/pca.clj), without
densifying the matrix.

Pol.is replaces a missing vote by its statement's mean, centres every column and finds the
first components by power iteration. After centring, an imputed entry is exactly 0, so the
centred matrix has the same sparsity as the votes: we keep it sparse and find its top right
singular vectors with a dense eigen-decomposition of the statement x statement Gram matrix
when that is small, or with ARPACK's Lanczos iteration (scipy ``svds``) when it is large.
Both are deterministic (a fixed start vector), and the sign of each component is fixed by
its loadings, so the result does not depend on the order of rows or columns.

Participants are then projected with Pol.is's sparsity-aware scaling
(``sparsity-aware-project-ptpt``): the projection of the observed, centred votes,
multiplied by ``sqrt(n_statements / max(n_votes, 1))``, so that someone who voted on few
statements is not pulled into the centre. As in Pol.is, whose moderated-out columns are
zeroed rather than removed, both counts include the moderated-out statements that had
votes (``VoteMatrix.moderated_statements``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse import linalg as splinalg

from platsa.core.opinion.matrix import VoteMatrix

# Small matrices (few cells, or few rows or columns) are decomposed exactly through the Gram
# matrix of their smaller side; larger ones by Lanczos on the sparse centred matrix, which
# needs a few dozen sparse products and no dense copy.
DENSE_MAX_CELLS = 250_000
DENSE_MAX_SIDE = 300


@dataclass(frozen=True, eq=False)
class PCAResult:
    """``center``: per-statement mean vote; ``components``: (2, n_statements), unit rows;
    ``projection``: (n_participants, 2), sparsity-aware scaled."""

    center: NDArray[np.float64]
    components: NDArray[np.float64]
    projection: NDArray[np.float64]
    statement_projection: NDArray[np.float64]


def centred(matrix: VoteMatrix) -> tuple[sparse.csr_matrix, NDArray[np.float64]]:
    """The centred matrix (observed entries minus their column mean, missing = 0) and the
    column means over observed votes (Pol.is's column-averages; 0 for a column nobody
    voted on)."""
    v = matrix.values
    data = matrix.data()
    n_s = v.shape[1]
    counts = np.bincount(v.indices, minlength=n_s).astype(np.float64)
    sums = np.bincount(v.indices, weights=data, minlength=n_s)
    mean = np.divide(sums, counts, out=np.zeros(n_s), where=counts > 0)
    xc = sparse.csr_matrix((data - mean[v.indices], v.indices, v.indptr), shape=v.shape)
    return xc, mean


def _fix_sign(vec: NDArray[np.float64]) -> NDArray[np.float64]:
    """A component's sign is arbitrary; make it independent of row and column order by
    making the sum of cubed loadings positive (the sum of loadings if that ties)."""
    s = float(np.sum(vec**3))
    if abs(s) < 1e-12:
        s = float(np.sum(vec))
    return -vec if s < 0 else vec


def top_components(xc: sparse.csr_matrix, n_comps: int = 2) -> NDArray[np.float64]:
    """The first ``n_comps`` right singular vectors of ``xc`` as rows (zero rows when the
    matrix has fewer non-trivial directions)."""
    n, p = xc.shape
    out = np.zeros((n_comps, p))
    if n == 0 or p == 0:
        return out
    k = min(n_comps, n, p)
    if n * p <= DENSE_MAX_CELLS or min(n, p) <= DENSE_MAX_SIDE:
        # Exact: eigen-decompose the Gram matrix of the smaller side.
        if p <= n:
            w, vecs = np.linalg.eigh((xc.T @ xc).toarray())
            order = np.argsort(-w, kind="stable")[:k]
            comps = vecs[:, order].T
        else:
            w, u = np.linalg.eigh((xc @ xc.T).toarray())
            order = np.argsort(-w, kind="stable")[:k]
            comps = np.asarray(xc.T @ u[:, order]).T
        w = w[order]
    else:
        v0 = np.full(min(n, p), 1.0 / np.sqrt(min(n, p)))
        _, s, vt = splinalg.svds(xc, k=k, v0=v0, tol=1e-9, maxiter=10000, solver="arpack")
        order = np.argsort(-s, kind="stable")
        comps = vt[order]
        w = s[order] ** 2
    top = max(float(w[0]), 0.0) if w.size else 0.0
    for i in range(k):
        norm = float(np.linalg.norm(comps[i]))
        if w[i] > 1e-10 * max(top, 1.0) and norm > 0:  # no variance: the component stays 0
            out[i] = _fix_sign(comps[i] / norm)
    return out


def pca(matrix: VoteMatrix, n_comps: int = 2) -> PCAResult:
    """Pol.is PCA with mean imputation and the sparsity-aware participant projection."""
    xc, mean = centred(matrix)
    comps = top_components(xc, n_comps)
    raw = np.asarray(xc @ comps.T)
    n_s = matrix.shape[1]
    # Pol.is zeroes a moderated-out statement's column for every participant, and its
    # sparsity scaling counts those zeros as votes and as statements; they add nothing to the
    # projection (the column's mean and loadings are 0) but they temper the scale.
    n_mod = float(matrix.moderated_statements)
    n_votes = matrix.votes_per_participant().astype(np.float64) + n_mod
    scale = np.sqrt((n_s + n_mod) / np.maximum(n_votes, 1.0))
    projection = raw * scale[:, None]
    # Pol.is's comment projection: a virtual participant who agreed with this one statement
    # only (Pol.is stores agree as -1 internally; here agree is +1), scaled the same way.
    statement_projection = ((1.0 - mean)[:, None] * comps.T) * np.sqrt(n_s + n_mod)
    return PCAResult(mean, comps, projection, statement_projection)

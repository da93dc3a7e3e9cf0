"""Base clusters and opinion groups, as Pol.is builds them (math/clusters.clj and the
``:base-clusters`` / ``:group-clusterings`` / ``:group-k-smoother`` steps of
math/conversation.clj).

Participants' 2-D projections are first grouped into about 100 *base clusters* by k-means;
the groups are then found by k-means on the base-cluster centres weighted by their sizes,
for each k from 2 to ``min(5, 2 + n_base // 12)``, and the k with the best silhouette
(computed on the base clusters, as Pol.is does) wins. The smoother then adopts a new k only
after it has won ``GROUP_K_BUFFER`` consecutive updates.

Where Pol.is starts k-means from the first k distinct rows (so its result depends on the
order participants arrived in), we start from seeded k-means++ on the distinct points taken
in sorted order: reproducible with a fixed seed, and independent of row order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.vq import vq

BASE_K = 100
MAX_GROUP_K = 5
GROUP_K_BUFFER = 4  # Pol.is's :group-k-buffer
BASE_ITERS = 100
GROUP_ITERS = 100
GROUP_INITS = 10
BASE_INITS = 5  # starts of base k-means when there are at most PRESAMPLE distinct points
# Pol.is's same-clustering? threshold: centres that move less than this have converged.
CENTRE_TOLERANCE = 0.01
# Coordinates are rounded to this many decimals before distinct points are taken, so that
# floating-point noise (a different summation order) cannot change the clustering.
ROUND_DECIMALS = 8
# Above this many distinct points, base k-means first converges on a sample of this size.
PRESAMPLE = 20_000


@dataclass(frozen=True)
class KMeansResult:
    centres: NDArray[np.float64]  # (k, 2)
    labels: NDArray[np.int64]  # per point, index into centres
    inertia: float


def distinct_points(
    points: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Distinct rounded points in lexicographic order, the index of each input point's
    distinct point, and how many input points each stands for."""
    rounded = np.round(points, ROUND_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    uniq, inverse, counts = np.unique(rounded, axis=0, return_inverse=True, return_counts=True)
    return uniq, inverse.reshape(-1).astype(np.int64), counts.astype(np.float64)


def _assign(points: NDArray[np.float64], centres: NDArray[np.float64]) -> NDArray[np.int64]:
    labels, _ = vq(points, centres, check_finite=False)
    return np.asarray(labels, dtype=np.int64)


def kmeans_pp_init(
    points: NDArray[np.float64], weights: NDArray[np.float64], k: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Weighted k-means++ seeding (each next centre drawn with probability proportional to
    weight x squared distance to the nearest centre chosen so far)."""
    n = points.shape[0]
    total = weights / weights.sum()
    first = int(np.searchsorted(np.cumsum(total), rng.random() * 1.0, side="right"))
    chosen = [min(first, n - 1)]
    d2 = np.sum((points - points[chosen[0]]) ** 2, axis=1)
    for _ in range(1, k):
        score = weights * d2
        s = float(score.sum())
        if s <= 0:
            break  # every point coincides with a centre: fewer distinct centres than k
        idx = int(np.searchsorted(np.cumsum(score), rng.random() * s, side="right"))
        idx = min(idx, n - 1)
        chosen.append(idx)
        d2 = np.minimum(d2, np.sum((points - points[idx]) ** 2, axis=1))
    return points[chosen].copy()


def lloyd(
    points: NDArray[np.float64],
    weights: NDArray[np.float64],
    centres: NDArray[np.float64],
    *,
    max_iters: int,
    tol: float = CENTRE_TOLERANCE,
) -> KMeansResult:
    """Weighted Lloyd iterations; clusters that lose all members are dropped, as Pol.is's
    cluster-step does."""
    centres = centres.copy()
    labels = _assign(points, centres)
    for _ in range(max_iters):
        k = centres.shape[0]
        w = np.bincount(labels, weights=weights, minlength=k)
        sx = np.bincount(labels, weights=weights * points[:, 0], minlength=k)
        sy = np.bincount(labels, weights=weights * points[:, 1], minlength=k)
        keep = w > 0
        new = np.column_stack([sx[keep] / w[keep], sy[keep] / w[keep]])
        moved = float(np.max(np.linalg.norm(new - centres[keep], axis=1))) if new.size else 0.0
        centres = new
        labels = _assign(points, centres)
        if moved < tol and bool(keep.all()):
            break
    # Final centres are the means of the final members.
    k = centres.shape[0]
    w = np.bincount(labels, weights=weights, minlength=k)
    keep = w > 0
    if not keep.all():
        remap = np.cumsum(keep) - 1
        labels = remap[labels]
        centres = centres[keep]
        w = w[keep]
    sx = np.bincount(labels, weights=weights * points[:, 0], minlength=centres.shape[0])
    sy = np.bincount(labels, weights=weights * points[:, 1], minlength=centres.shape[0])
    centres = np.column_stack([sx / w, sy / w])
    inertia = float(np.sum(weights * np.sum((points - centres[labels]) ** 2, axis=1)))
    return KMeansResult(centres, labels.astype(np.int64), inertia)


def base_clusters(
    points: NDArray[np.float64],
    *,
    seed: int,
    k: int = BASE_K,
    warm_centres: NDArray[np.float64] | None = None,
) -> KMeansResult:
    """About ``k`` base clusters of the participants' projections. ``labels`` index the
    input points. ``warm_centres`` (recentred centres of the previous update's base
    clusters) are kept as starting centres and topped up with k-means++ picks."""
    uniq, inverse, counts = distinct_points(points)
    k = min(k, uniq.shape[0])
    rng = np.random.default_rng(seed)
    if warm_centres is not None and warm_centres.shape[0] > 0:
        start = np.unique(np.round(warm_centres, ROUND_DECIMALS), axis=0)[:k]
        start = _top_up(uniq, counts, start, k)
    elif uniq.shape[0] <= PRESAMPLE:
        # Small enough to afford several starts: keep the tightest, so that the groups
        # (chosen on these base clusters) depend as little as possible on the seed.
        runs = [
            lloyd(uniq, counts, kmeans_pp_init(uniq, counts, k, rng), max_iters=BASE_ITERS)
            for _ in range(BASE_INITS)
        ]
        best = min(runs, key=lambda r: r.inertia)
        return KMeansResult(best.centres, best.labels[inverse], best.inertia)
    else:
        start = kmeans_pp_init(uniq, counts, k, rng)
    if uniq.shape[0] > PRESAMPLE:
        # Most Lloyd iterations only move centres a little; doing them on a sample first
        # leaves a few full passes to converge (same fixed point, a third of the time).
        pick = np.sort(rng.choice(uniq.shape[0], PRESAMPLE, replace=False))
        start = lloyd(uniq[pick], counts[pick], start, max_iters=BASE_ITERS).centres
    res = lloyd(uniq, counts, start, max_iters=BASE_ITERS)
    return KMeansResult(res.centres, res.labels[inverse], res.inertia)


def _top_up(
    points: NDArray[np.float64], weights: NDArray[np.float64], start: NDArray[np.float64], k: int
) -> NDArray[np.float64]:
    """Pol.is's clean-start-clusters: while there are fewer centres than k, the point
    farthest from every centre becomes a new one."""
    centres = list(start)
    _, dist = vq(points, start, check_finite=False)
    d2 = np.asarray(dist, dtype=np.float64) ** 2
    while len(centres) < k:
        idx = int(np.argmax(d2))
        if d2[idx] <= 0:
            break
        centres.append(points[idx])
        d2 = np.minimum(d2, np.sum((points - points[idx]) ** 2, axis=1))
    return np.asarray(centres, dtype=np.float64)


def group_clustering(
    centres: NDArray[np.float64],
    weights: NDArray[np.float64],
    k: int,
    *,
    seed: int,
    warm_centres: NDArray[np.float64] | None = None,
) -> KMeansResult:
    """Weighted k-means of the base-cluster centres into k groups: the best (lowest
    weighted inertia) of ``GROUP_INITS`` seeded k-means++ starts and, when given, the
    previous update's group centres for this k (Pol.is warm-starts from those)."""
    uniq, inverse, counts = distinct_points(centres)
    w = np.bincount(inverse, weights=weights, minlength=uniq.shape[0]).astype(np.float64)
    del counts
    rng = np.random.default_rng(seed + 1000 * k)
    starts = [kmeans_pp_init(uniq, w, k, rng) for _ in range(GROUP_INITS)]
    if warm_centres is not None and warm_centres.shape[0] == k:
        starts.insert(0, warm_centres)
    best: KMeansResult | None = None
    for start in starts:
        res = lloyd(uniq, w, start, max_iters=GROUP_ITERS, tol=1e-9)
        if res.centres.shape[0] != k:
            continue
        if best is None or res.inertia < best.inertia - 1e-9:
            best = res
    if best is None:  # fewer distinct base centres than k
        res = lloyd(uniq, w, starts[0], max_iters=GROUP_ITERS, tol=1e-9)
        best = res
    return KMeansResult(best.centres, best.labels[inverse], best.inertia)


def silhouette(
    centres: NDArray[np.float64],
    labels: NDArray[np.int64],
    weights: NDArray[np.float64] | None = None,
) -> float:
    """Pol.is's silhouette of a grouping of base clusters: for each base cluster, with ``a``
    its mean distance to the other base clusters of its group and ``b`` the smallest mean
    distance to another group's, ``(b - a) / max(a, b)``; 0 for a base cluster alone in its
    group. The coefficient is the plain mean over base clusters (``weights=None``, as Pol.is)
    or a weighted mean."""
    n = centres.shape[0]
    k = int(labels.max()) + 1 if n else 0
    if n < 2 or k < 2:
        return 0.0
    dist = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    sizes = onehot.sum(axis=0)
    sums = dist @ onehot  # (n, k): summed distance to each group's members
    own = labels
    own_size = sizes[own]
    a = np.divide(sums[np.arange(n), own], own_size - 1, out=np.zeros(n), where=own_size > 1)
    other = np.where(sizes[None, :] > 0, sums / np.maximum(sizes[None, :], 1), np.inf)
    other[np.arange(n), own] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(n), where=denom > 0)
    s[own_size <= 1] = 0.0
    if weights is None:
        return float(s.mean())
    return float(np.sum(s * weights) / np.sum(weights))


def max_group_k(n_base: int) -> int:
    """Pol.is's max-k-fn: at most 5 groups, and fewer when there are few base clusters."""
    return min(MAX_GROUP_K, 2 + n_base // 12)


@dataclass(frozen=True)
class KSmoother:
    """Pol.is's group-k smoother: ``last_k`` won ``last_k_count`` updates in a row;
    ``smoothed_k`` is the k in use."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def update(self, this_k: int, buffer: int = GROUP_K_BUFFER) -> KSmoother:
        same = self.last_k is not None and this_k == self.last_k
        count = self.last_k_count + 1 if same else 1
        smoothed = this_k if count >= buffer or self.smoothed_k is None else self.smoothed_k
        return KSmoother(this_k, count, smoothed)

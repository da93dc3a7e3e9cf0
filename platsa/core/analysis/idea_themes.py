"""Ideas (and comments) grouped into themes, each named by its top words and tied to the
very ideas (and comments) it came from.

An organiser with 3,000 ideas cannot read them all before a workshop; a list of themes
("buss, östersund, pendla: 41 ideas") tells them where to start, and every theme links to
its members' verbatim ids, so a label is never mistaken for a quote (Talk to the City #9).
It is machine-made and the interface says so.

How: the texts become the same TF-IDF vectors as duplicate detection
(:mod:`idea_similarity`: lemma keys plus character n-grams, so a Norwegian or English idea
lands beside its Swedish twin), reduced to a few dozen latent dimensions by a truncated SVD
(latent semantic analysis: "fiber" and "bredband" that occur together pull together), and
clustered by spherical k-means (cosine), started by k-means++ from a seeded generator and
restarted a few times, keeping the tightest run: the same input and seed give the same
themes. A member further than :data:`MIN_COHESION` from its theme's centre, and every
member of a theme smaller than ``min_size``, is left in no theme rather than forced into
one. A theme's words are the word keys most over-represented among its members (used by at
least two of them), each shown in the form its members wrote most often. Comments are
placed afterwards, each in the theme whose ideas' words it shares most, if it shares enough:
they are short, often "Bra idé!", and would pull the themes apart if they were clustered
with the ideas.

Measured against the 15 hand themes of ``tests/data/ideas_labelled.json`` by
``bench/bench_idea_duplicates.py``: with 8 themes, 233 of 253 ideas themed, purity 0.36,
adjusted Rand index 0.21; with 15, purity 0.46, ARI 0.24. That is weak: short ideas share
few words, and the hand themes overlap (a youth club in the old school is "youth", a
coworking space there is "coworking"). Average-linkage and Ward clustering and 16-100
latent dimensions were tried on the same set in a scratch run and did no better (ARI
0.1-0.3). Themes are a reading aid with their members one click away, not a finding.

numpy and scipy only; no Django.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import svds

from platsa.core.analysis.idea_similarity import DEFAULT, Analysed, Vectoriser, analyse

MIN_DOCS = 10  # below this there is nothing to group: callers say "too few ideas yet"
MIN_COHESION = 0.4  # cosine to the theme's centre below which a member is left out
COMMENT_MIN_SIMILARITY = 0.25  # a comment shares less with every theme: in none
LATENT_DIMS = 24
RESTARTS = 8
ITERATIONS = 40
LABEL_WORDS = 5

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Theme:
    words: tuple[str, ...]  # 3-5 label words as people wrote them
    member_ids: tuple[int, ...]  # every idea in the theme, ascending
    representative_ids: tuple[int, ...]  # up to 3 nearest the centre, nearest first
    comment_ids: tuple[int, ...] = ()  # the comments whose words are this theme's, ascending


@dataclass(frozen=True)
class ThemeResult:
    themes: tuple[Theme, ...]
    unthemed: tuple[int, ...]  # ids in no theme, ascending


def _latent(matrix: sparse.csr_matrix, seed: int) -> FloatArray:
    """Rows of ``matrix`` in LSA space, L2-normalised (deterministic: ARPACK from a seeded
    start vector)."""
    n, f = matrix.shape
    k = min(LATENT_DIMS, n - 1, f - 1)
    if k < 2:
        dense = np.asarray(matrix.todense(), dtype=np.float64)
    else:
        rng = np.random.default_rng(seed)
        v0 = rng.uniform(-1.0, 1.0, size=min(n, f))
        u, s, _vt = svds(matrix.astype(np.float64), k=k, v0=v0, solver="arpack")
        dense = np.asarray(u * s, dtype=np.float64)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: FloatArray = dense / norms
    return result


def _kmeans(
    x: FloatArray, k: int, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], FloatArray, float]:
    """Spherical k-means from a k-means++ start: labels, unit centres, total cosine."""
    n = len(x)
    centres = [x[int(rng.integers(n))]]
    for _ in range(1, k):
        sims = np.max(np.stack([x @ c for c in centres]), axis=0)
        d = np.clip(1.0 - sims, 0.0, None) ** 2
        total = float(d.sum())
        pick = int(rng.integers(n)) if total <= 0 else int(rng.choice(n, p=d / total))
        centres.append(x[pick])
    c = np.stack(centres)
    labels = np.zeros(n, dtype=np.int64)
    for iteration in range(ITERATIONS):
        new = np.argmax(x @ c.T, axis=1).astype(np.int64)
        if iteration and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = x[labels == j]
            if len(members):
                centre = members.sum(axis=0)
                norm = np.linalg.norm(centre)
                c[j] = centre / norm if norm else c[j]
    score = float(np.sum(np.max(x @ c.T, axis=1)))
    return labels, c, score


def _label(
    members: Sequence[int], analysed: Sequence[Analysed], df: Counter[str], n: int
) -> tuple[str, ...]:
    """Keys over-represented among ``members`` (share inside minus share outside), shown
    in their most written form."""
    inside: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for i in members:
        for key, form in analysed[i].forms:
            forms[key][form] += 1
        inside.update(set(analysed[i].keys))
    size = len(members)
    outside_n = max(1, n - size)
    scored = []
    for key, count in inside.items():
        if key not in forms or len(key) < 2:
            continue
        # Over-representation, times rarity: "kommunen" is in every theme and names none.
        lift = (count / size - (df[key] - count) / outside_n) * math.log(n / df[key])
        scored.append((count >= 2, lift, count, key))
    scored.sort(key=lambda t: (not t[0], -t[1], -t[2], t[3]))
    words: list[str] = []
    for _enough, _lift, _count, key in scored:
        form = sorted(forms[key].items(), key=lambda item: (-item[1], item[0]))[0][0]
        if form not in words:
            words.append(form)
        if len(words) == LABEL_WORDS:
            break
    return tuple(words)


def _comments_by_theme(
    comments: Sequence[tuple[int, str]],
    vectoriser: Vectoriser,
    members: list[sparse.csr_matrix],
) -> list[list[int]]:
    """Each comment in the theme whose ideas' words it shares most (the cosine of its TF-IDF
    row with the mean of the members' rows), when it shares at least
    :data:`COMMENT_MIN_SIMILARITY`: "Bra idé!" shares next to nothing with any theme and is
    in none. Measured on the labelled ideas: comments on a theme's subject score 0.3-0.6,
    "Bra idé!", "Håller med" and thanks 0.01-0.18. Comments do not move the themes: those
    are the ideas'. (Not the latent space of the clustering: a short comment projected there
    and normalised points somewhere whatever its words.)"""
    out: list[list[int]] = [[] for _ in members]
    if not comments or not members:
        return out
    centres = []
    for rows in members:
        centre = np.asarray(rows.mean(axis=0), dtype=np.float64).ravel()
        norm = np.linalg.norm(centre)
        centres.append(centre / norm if norm else centre)
    matrix = vectoriser.matrix([analyse(t, DEFAULT) for _i, t in comments])
    sims = np.asarray(matrix.astype(np.float64) @ np.stack(centres).T)
    for (cid, _text), row in zip(comments, sims, strict=True):
        j = int(np.argmax(row))
        if row[j] >= COMMENT_MIN_SIMILARITY:
            out[j].append(cid)
    return out


def group_themes(
    docs: Sequence[tuple[int, str]],
    *,
    max_themes: int = 8,
    min_size: int = 3,
    seed: int = 0,
    comments: Sequence[tuple[int, str]] = (),
) -> ThemeResult:
    """Themes of ``docs`` (id, text), largest first, and the ids left in no theme; with
    ``comments`` (id, text), each theme also lists the comments nearest it."""
    ids = [i for i, _t in docs]
    if len(docs) < MIN_DOCS or max_themes < 1:
        return ThemeResult((), tuple(sorted(ids)))
    analysed = [analyse(t, DEFAULT) for _i, t in docs]
    vectoriser = Vectoriser(analysed, DEFAULT)
    matrix = vectoriser.matrix(analysed)
    usable = np.flatnonzero(np.asarray(matrix.getnnz(axis=1)) > 0)
    if len(usable) < MIN_DOCS:
        return ThemeResult((), tuple(sorted(ids)))
    x = _latent(matrix[usable], seed)
    k = max(1, min(max_themes, len(usable) // max(1, min_size)))
    rng = np.random.default_rng(seed)
    best: tuple[npt.NDArray[np.int64], FloatArray, float] | None = None
    for _ in range(RESTARTS):
        run = _kmeans(x, k, rng)
        if best is None or run[2] > best[2] + 1e-12:
            best = run
    assert best is not None
    labels, centres, _score = best
    df: Counter[str] = Counter()
    for a in analysed:
        df.update(set(a.keys))
    kept: list[tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...], list[int]]] = []
    for j in range(k):
        rows = np.flatnonzero(labels == j)
        cos = x[rows] @ centres[j]
        keep = rows[cos >= MIN_COHESION]
        if len(keep) < min_size:
            continue
        kept_cos = x[keep] @ centres[j]
        positions = [int(usable[r]) for r in keep]
        order = sorted(range(len(keep)), key=lambda m: (-kept_cos[m], ids[positions[m]]))
        words = _label(positions, analysed, df, len(docs))
        members = tuple(sorted(ids[p] for p in positions))
        kept.append((words, members, tuple(ids[positions[m]] for m in order[:3]), positions))
    by_theme = _comments_by_theme(comments, vectoriser, [matrix[p] for *_, p in kept])
    found: list[Theme] = []
    themed: set[int] = set()
    for (words, members, representatives, _positions), said in zip(kept, by_theme, strict=True):
        found.append(Theme(words, members, representatives, tuple(sorted(said))))
        themed.update(members)
    found.sort(key=lambda t: (-len(t.member_ids), t.member_ids[0]))
    return ThemeResult(tuple(found), tuple(sorted(i for i in ids if i not in themed)))


def themes(
    docs: Sequence[tuple[int, str]], *, max_themes: int = 8, min_size: int = 3, seed: int = 0
) -> list[Theme]:
    """The themes of :func:`group_themes`; [] under :data:`MIN_DOCS` documents."""
    return list(group_themes(docs, max_themes=max_themes, min_size=min_size, seed=seed).themes)

"""Many places side by side: each place's score per theme (a dimension of a mapping),
percentile ranks among its peers, the development areas most of them share, and pairs of a
place strong in a theme with one weak in it.

The scores are those of ``scoring.score`` with each place as one "group" of one response
set: the same sums, intervals and rounding as each place's own results page, so the numbers
agree everywhere they are shown. Everything is NumPy over arrays; nothing loops over
respondents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from platsa.core.analysis.disclosure import MIN_RATINGS
from platsa.core.analysis.recommend import recommend
from platsa.core.analysis.scoring import Results, ThemeChange, ThemeScore, score, theme_change
from platsa.core.schema.catalogue import Catalogue
from platsa.core.schema.dataset import ResponseSet


@dataclass(frozen=True)
class UnitScores:
    key: str
    label: str
    respondents: int
    themes: tuple[ThemeScore, ...]  # score None where fewer than MIN_RATINGS ratings

    def theme(self, theme_id: str) -> ThemeScore:
        return next(t for t in self.themes if t.theme_id == theme_id)


@dataclass(frozen=True)
class Comparison:
    theme_ids: tuple[str, ...]
    scale_min: int
    scale_max: int
    units: tuple[UnitScores, ...]
    # Per theme, the mean over the places whose score is shown (weighted by their ratings):
    # a place's "too few answers" must not come back through the total.
    overall: tuple[float | None, ...]

    def matrix(self) -> np.ndarray:
        """(units, themes) of scores, NaN where there is none."""
        return np.array(
            [[np.nan if t.score is None else t.score for t in u.themes] for u in self.units],
            dtype=np.float64,
        ).reshape(len(self.units), len(self.theme_ids))


def _suppressed(theme: ThemeScore, minimum: int) -> ThemeScore:
    if theme.n >= minimum or theme.score is None:
        return theme
    return ThemeScore(
        theme_id=theme.theme_id,
        score=None,
        n=theme.n,
        low=None,
        high=None,
        sd=None,
        dont_know=theme.dont_know,
        dont_know_share=theme.dont_know_share,
        priority_count=theme.priority_count,
        priority_share=theme.priority_share,
        priority_base=theme.priority_base,
    )


def compare_units(responses: ResponseSet, *, minimum: int = MIN_RATINGS) -> Comparison:
    """Scores per unit, where ``responses.groups`` are the units (places) and
    ``responses.group`` says whose each answer is."""
    results = score(responses, gaps=False)
    units = tuple(
        UnitScores(
            key=g.group.key,
            label=g.group.label,
            respondents=g.respondents,
            themes=tuple(_suppressed(t, minimum) for t in g.themes),
        )
        for g in results.groups
    )
    return Comparison(
        theme_ids=tuple(t.theme_id for t in results.themes),
        scale_min=results.scale_min,
        scale_max=results.scale_max,
        units=units,
        overall=_shown_total(units, len(results.themes)),
    )


def _shown_total(units: tuple[UnitScores, ...], n_themes: int) -> tuple[float | None, ...]:
    out: list[float | None] = []
    for j in range(n_themes):
        shown: list[tuple[float, int]] = []
        for u in units:
            value = u.themes[j].score
            if value is not None:
                shown.append((value, u.themes[j].n))
        ratings = sum(n for _, n in shown)
        out.append(math.fsum(v * n for v, n in shown) / ratings if ratings else None)
    return tuple(out)


def percentile_ranks(values: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Each value's percentile rank among the others of ``among`` (all when None): the
    share of them with a lower value, ties counting half, 0-100; NaN for a missing value or
    when there is nobody to compare with. Order-free: permuting the units permutes the
    ranks and nothing else."""
    x = np.asarray(values, dtype=np.float64)
    mask = np.ones(x.shape, dtype=bool) if among is None else np.asarray(among, dtype=bool)
    peers = x[mask & ~np.isnan(x)]
    out = np.full(x.shape, np.nan)
    if peers.size == 0:
        return out
    ordered = np.sort(peers)
    below = np.searchsorted(ordered, x, side="left").astype(np.float64)
    equal = np.searchsorted(ordered, x, side="right") - below
    is_peer = mask & ~np.isnan(x)
    # a unit among the peers does not compare with itself
    others = peers.size - is_peer.astype(np.float64)
    equal = equal - is_peer
    with np.errstate(invalid="ignore", divide="ignore"):
        ranks = 100.0 * (below + 0.5 * equal) / others
    valid = ~np.isnan(x) & (others > 0)
    out[valid] = ranks[valid]
    return out


@dataclass(frozen=True)
class SharedArea:
    theme_id: str
    weak_units: int  # places where the theme is a development area
    rated_units: int
    mean: float | None
    weak_keys: tuple[str, ...] = ()  # those places' unit keys, sorted (order-free)


def shared_development_areas(
    comparison: Comparison, *, weak_below: float | None = None
) -> tuple[SharedArea, ...]:
    """Per theme, in how many places it is a development area (below ``weak_below``, by
    default the scale's midpoint), most shared first (ties by theme order). Scores are
    compared as shown, to one decimal: a municipality shown at 3.0 is not "below 3"."""
    m = np.round(comparison.matrix(), 1)
    threshold = (
        weak_below if weak_below is not None else (comparison.scale_min + comparison.scale_max) / 2
    )
    rated = ~np.isnan(m)
    weak = rated & (np.nan_to_num(m, nan=np.inf) < threshold)
    keys = [u.key for u in comparison.units]
    out = []
    for j, theme_id in enumerate(comparison.theme_ids):
        column = m[rated[:, j], j]
        out.append(
            SharedArea(
                theme_id=theme_id,
                weak_units=int(weak[:, j].sum()),
                rated_units=int(rated[:, j].sum()),
                mean=float(np.sort(column).mean()) if column.size else None,  # order-free
                weak_keys=tuple(sorted(keys[i] for i in np.flatnonzero(weak[:, j]))),
            )
        )
    order = sorted(range(len(out)), key=lambda i: (-out[i].weak_units, i))
    return tuple(out[i] for i in order)


@dataclass(frozen=True)
class Pair:
    theme_id: str
    lighthouse: str  # unit key, strong in the theme
    follower: str  # unit key, weak in it
    difference: float


def lighthouse_pairs(comparison: Comparison, *, per_theme: int = 3) -> tuple[Pair, ...]:
    """Per theme, up to ``per_theme`` pairs of a strong place (lighthouse) with a weak one
    (follower): strongest with weakest, second with second weakest, each place at most once
    per theme, and only where the lighthouse scores above the scale's midpoint and the
    follower below it (as the SmartCommUnity project matched them), as shown (one decimal)."""
    m = np.round(comparison.matrix(), 1)
    mid = (comparison.scale_min + comparison.scale_max) / 2
    keys = [u.key for u in comparison.units]
    pairs = []
    for j, theme_id in enumerate(comparison.theme_ids):
        column = m[:, j]
        rated = np.flatnonzero(~np.isnan(column))
        # stable: ties by unit key, so the order of the units changes nothing
        order = sorted(rated.tolist(), key=lambda i: (-column[i], keys[i]))
        strong = [i for i in order if column[i] > mid]
        weak = [i for i in reversed(order) if column[i] < mid]
        for a, b in zip(strong[:per_theme], weak[:per_theme], strict=False):
            pairs.append(Pair(theme_id, keys[a], keys[b], float(column[a] - column[b])))
    return tuple(pairs)


def unit_changes(
    before: Comparison, after: Comparison, same: dict[str, str]
) -> dict[str, tuple[ThemeChange, ...]]:
    """Per unit of ``after``, the change of each theme since the unit ``same[key]`` of
    ``before`` (the same municipality in an earlier mapping), with Welch's test as for a
    place's own rounds; units without an earlier one are left out."""
    earlier = {u.key: u for u in before.units}
    out = {}
    for unit in after.units:
        old = earlier.get(same.get(unit.key, ""))
        if old is None:
            continue
        out[unit.key] = tuple(
            theme_change(old.theme(t.theme_id), t)
            for t in unit.themes
            if t.theme_id in before.theme_ids
        )
    return out


def unit_results(comparison: Comparison, unit: UnitScores) -> Results:
    """One place's scores as the engine reads a round's results (no groups, no gaps: the
    comparison keeps only each place's whole)."""
    return Results(
        framework_id="",
        scale_min=comparison.scale_min,
        scale_max=comparison.scale_max,
        respondents=unit.respondents,
        themes=unit.themes,
        groups=(),
        gaps=(),
    )


@dataclass(frozen=True)
class SharedAction:
    action_id: str
    units: tuple[str, ...]  # the places whose list it is on, in the comparison's order


def shared_actions(
    comparison: Comparison, catalogue: Catalogue, *, limit: int = 6, min_respondents: int = 3
) -> tuple[SharedAction, ...]:
    """The actions on most places' lists (each place ranked by the engine on its own
    scores, without context): what an up-scaling programme could do together. Ties by
    action id."""
    on_lists: dict[str, list[str]] = {}
    for unit in comparison.units:
        if unit.respondents < min_respondents:
            continue
        recs = recommend(unit_results(comparison, unit), catalogue, None)
        for rec in recs.portfolio:
            on_lists.setdefault(rec.action.id, []).append(unit.key)
    ranked = sorted(on_lists.items(), key=lambda item: (-len(item[1]), item[0]))
    return tuple(SharedAction(action_id, tuple(keys)) for action_id, keys in ranked[:limit])

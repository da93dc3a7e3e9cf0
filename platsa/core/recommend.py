"""The recommendation engine: from theme results, context and catalogue to a ranked portfolio.

Deterministic and explainable. Every number that moves an action up or down is kept in its
:class:`Reason`, so the web page, the PDF and the JSON all show the same "why". The formula,
its parameters and an example worked by hand are in ``docs/recommendations.md``; keep the
two in step.

In short, for theme *t* on a scale [lo, hi] with mean score s, n ratings, priority share p:

    deficit   d = (hi - s) / (hi - lo)                    (0 = works very well, 1 = worst)
    shrunk    d~ = (n * d + n0 * 0.5) / (n + n0)          (few ratings pull towards "unsure")
    need      N = (1 + alpha * p) * d~
    gap       g = largest difference between two groups / (hi - lo)

and for action *a* with strengths w_t (1-3) on its themes:

    contributions c_t = (w_t / 3) * N_t, sorted descending; base = sum c_(k) * decay**k
    joint      J = beta * sum (w_t / 3) * g_t   (only for jointly led actions, cross-side gaps)
    context    M = 1 + gamma * (number of the action's "fits" tags that hold for the place)
    score      S = (base + J) * M

Actions whose preconditions fail are left out (and listed with the reason). The list is then
chosen greedily as a portfolio: after each pick the need of the themes it covers shrinks by
``(1 - rho * w/3)``, no more than ``max_per_theme`` picks share a primary theme, and the top
``size`` holds at least ``min_quick_wins`` short-horizon and ``min_long_term`` long-horizon
actions where the catalogue has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from platsa.core.catalogue import Action, Catalogue, Effort, Horizon
from platsa.core.context import PlaceContext
from platsa.core.scoring import Results


@dataclass(frozen=True)
class Params:
    n0: float = 5.0  # ratings at which the observed deficit and "unsure" weigh the same
    alpha: float = 2.0  # how much priorities raise a theme's need
    decay: float = 0.5  # weight of an action's 2nd, 3rd, ... strongest contribution
    beta: float = 1.0  # weight of group gaps for jointly led actions
    gamma: float = 0.15  # boost per context tag that fits
    rho: float = 0.5  # how much a picked action covers the need of its themes
    size: int = 10  # length of the portfolio
    max_per_theme: int = 2  # picks that may share a primary theme
    min_quick_wins: int = 2  # short-horizon actions in the portfolio
    min_long_term: int = 2  # long-horizon actions in the portfolio
    min_contribution_share: float = 0.1  # theme reasons shown above this share of the base
    min_gap: float = 0.15  # group gaps below this share of the scale are noise, not disagreement
    max_gap_reasons: int = 2  # gap reasons listed per action (the largest first)


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class Reason:
    """One reason, as data. ``kind`` picks the sentence; ``values`` fills it in.

    Kinds: ``theme_need`` (a theme's score and priority make it needed), ``no_data`` (nobody
    rated the theme), ``group_gap`` (groups disagree; a joint action bridges them),
    ``context`` (an open-data fact fits the action), ``precondition_unverified``,
    ``quick_win`` / ``long_term`` / ``covers_new_theme`` (its place in the portfolio)."""

    kind: str
    theme: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "theme": self.theme, **self.values}


@dataclass(frozen=True)
class ThemeNeed:
    theme_id: str
    score: float | None
    n: int
    deficit: float  # unshrunk, 0..1 (0.5 with no ratings)
    shrunk_deficit: float
    priority_share: float
    need: float
    gap: float  # normalised 0..1, cross-side only
    gap_detail: Any = None  # the scoring.Gap behind it


@dataclass(frozen=True)
class Recommendation:
    action: Action
    rank: int
    score: float  # the marginal score when it was picked
    standalone_score: float  # its score before any portfolio effect
    base: float
    joint: float
    context_multiplier: float
    reasons: tuple[Reason, ...]
    in_portfolio: bool

    @property
    def action_id(self) -> str:
        return self.action.id


@dataclass(frozen=True)
class Excluded:
    action: Action
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class RecommendationSet:
    needs: tuple[ThemeNeed, ...]
    recommendations: tuple[Recommendation, ...]  # portfolio first, then the rest
    excluded: tuple[Excluded, ...]
    params: Params

    @property
    def portfolio(self) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.in_portfolio)

    def need(self, theme_id: str) -> ThemeNeed:
        return next(n for n in self.needs if n.theme_id == theme_id)


def theme_needs(results: Results, params: Params = DEFAULT_PARAMS) -> tuple[ThemeNeed, ...]:
    span = results.scale_max - results.scale_min
    out = []
    for theme in results.themes:
        deficit = 0.5 if theme.score is None else (results.scale_max - theme.score) / span
        shrunk = (theme.n * deficit + params.n0 * 0.5) / (theme.n + params.n0)
        need = (1 + params.alpha * theme.priority_share) * shrunk
        gap = results.gap(theme.theme_id)
        g = gap.difference / span if gap is not None and gap.cross_side else 0.0
        if g < params.min_gap:
            g = 0.0
        out.append(
            ThemeNeed(
                theme_id=theme.theme_id,
                score=theme.score,
                n=theme.n,
                deficit=deficit,
                shrunk_deficit=shrunk,
                priority_share=theme.priority_share,
                need=need,
                gap=g,
                gap_detail=gap,
            )
        )
    return tuple(out)


def _precondition_check(action: Action, context: PlaceContext) -> tuple[list[Reason], list[Reason]]:
    """(failed, unverified) precondition reasons. Unknown context never fails a precondition."""
    failed: list[Reason] = []
    unverified: list[Reason] = []
    pre = action.preconditions
    for what, allowed, actual in (
        ("size_class", pre.size_classes, context.size_class),
        ("remoteness", pre.remoteness, context.remoteness),
    ):
        if not allowed:
            continue
        values = {"what": what, "allowed": [a.value for a in allowed]}
        if actual is None:
            unverified.append(Reason("precondition_unverified", values=values))
        elif actual not in allowed:
            failed.append(Reason("precondition_failed", values={**values, "actual": actual.value}))
    if pre.requires_industry_employer:
        if context.has_industry_employer is None:
            unverified.append(
                Reason("precondition_unverified", values={"what": "industry_employer"})
            )
        elif not context.has_industry_employer:
            failed.append(Reason("precondition_failed", values={"what": "industry_employer"}))
    return failed, unverified


@dataclass
class _Candidate:
    action: Action
    multiplier: float
    context_reasons: list[Reason]
    unverified: list[Reason]


def _evaluate(
    action: Action, needs: dict[str, ThemeNeed], params: Params
) -> tuple[float, float, list[tuple[str, float]]]:
    """(base, joint, contributions sorted descending) for the given needs."""
    contributions = sorted(
        ((t, (w / 3.0) * needs[t].need) for t, w in action.themes.items()),
        key=lambda item: (-round(item[1], 12), item[0]),
    )
    base = sum(c * params.decay**k for k, (_, c) in enumerate(contributions))
    joint = 0.0
    if action.is_joint:
        joint = params.beta * sum((w / 3.0) * needs[t].gap for t, w in action.themes.items())
    return base, joint, contributions


def _reasons_for(
    action: Action,
    needs: dict[str, ThemeNeed],
    original: dict[str, ThemeNeed],
    results: Results,
    contributions: list[tuple[str, float]],
    base: float,
    params: Params,
) -> list[Reason]:
    reasons: list[Reason] = []
    for theme_id, contribution in contributions:
        if base <= 0 or contribution / base < params.min_contribution_share:
            continue
        need = original[theme_id]
        ts = results.theme(theme_id)
        if ts.score is None:
            reasons.append(
                Reason(
                    "no_data",
                    theme_id,
                    {
                        "strength": action.themes[theme_id],
                        "dont_know_share": round(ts.dont_know_share, 3),
                    },
                )
            )
            continue
        reasons.append(
            Reason(
                "theme_need",
                theme_id,
                {
                    "score": round(ts.score, 2),
                    "low": round(ts.low, 2) if ts.low is not None else None,
                    "high": round(ts.high, 2) if ts.high is not None else None,
                    "n": ts.n,
                    "dont_know_share": round(ts.dont_know_share, 3),
                    "priority_share": round(ts.priority_share, 3),
                    "strength": action.themes[theme_id],
                    "need": round(need.need, 3),
                    "scale_min": results.scale_min,
                    "scale_max": results.scale_max,
                },
            )
        )
    if action.is_joint:
        gapped = sorted(
            (
                t
                for t in action.themes
                if original[t].gap > 0 and original[t].gap_detail is not None
            ),
            key=lambda t: (-original[t].gap * action.themes[t], t),
        )
        for theme_id in gapped[: params.max_gap_reasons]:
            gap = original[theme_id].gap_detail
            if gap is not None:
                reasons.append(
                    Reason(
                        "group_gap",
                        theme_id,
                        {
                            "high_group": gap.high_group,
                            "high_score": round(gap.high_score, 2),
                            "high_n": gap.high_n,
                            "low_group": gap.low_group,
                            "low_score": round(gap.low_score, 2),
                            "low_n": gap.low_n,
                            "difference": round(gap.difference, 2),
                        },
                    )
                )
    return reasons


def _eligible(
    pool: list[_Candidate],
    chosen: list[Recommendation],
    primary_count: dict[str, int],
    params: Params,
) -> list[_Candidate]:
    """The candidates allowed for the next portfolio slot: at most ``max_per_theme`` per
    primary theme, and only quota horizons once the free slots are needed for the quotas."""
    slots_left = params.size - len(chosen)
    wanted: set[Horizon] = set()
    for horizon, minimum in (
        (Horizon.SHORT, params.min_quick_wins),
        (Horizon.LONG, params.min_long_term),
    ):
        have = sum(1 for r in chosen if r.action.horizon == horizon)
        if have < minimum and any(c.action.horizon == horizon for c in pool):
            wanted.update([horizon] * (minimum - have))
    missing = sum(
        max(0, minimum - sum(1 for r in chosen if r.action.horizon == horizon))
        for horizon, minimum in (
            (Horizon.SHORT, params.min_quick_wins),
            (Horizon.LONG, params.min_long_term),
        )
        if horizon in wanted
    )
    capped = [
        c for c in pool if primary_count.get(c.action.primary_theme, 0) < params.max_per_theme
    ]
    eligible = capped or pool
    if wanted and missing >= slots_left:
        quota = [c for c in eligible if c.action.horizon in wanted] or [
            c for c in pool if c.action.horizon in wanted
        ]
        eligible = quota or eligible
    return eligible


def recommend(
    results: Results,
    catalogue: Catalogue,
    context: PlaceContext | None = None,
    params: Params = DEFAULT_PARAMS,
) -> RecommendationSet:
    """Rank the catalogue's actions for this place; the first ``params.size`` form the
    portfolio. Deterministic: ties are broken by action id."""
    context = context or PlaceContext()
    needs_list = theme_needs(results, params)
    original = {n.theme_id: n for n in needs_list}
    tags = context.tags()

    candidates: list[_Candidate] = []
    excluded: list[Excluded] = []
    for action in catalogue:
        failed, unverified = _precondition_check(action, context)
        if failed:
            excluded.append(Excluded(action, tuple(failed)))
            continue
        fitting = [t for t in action.fits if t in tags]
        context_reasons = []
        for tag in fitting:
            fact = tags[tag]
            values: dict[str, Any] = {"tag": tag.value}
            if fact is not None:
                values.update(
                    {
                        "fact": fact.key,
                        "value": fact.value,
                        "period": fact.period,
                        "source": fact.source,
                        "area": fact.area,
                        "compare": fact.compare,
                    }
                )
            context_reasons.append(Reason("context", None, values))
        candidates.append(
            _Candidate(action, 1 + params.gamma * len(fitting), context_reasons, unverified)
        )

    standalone: dict[str, float] = {}
    for cand in candidates:
        base, joint, _ = _evaluate(cand.action, original, params)
        standalone[cand.action.id] = round((base + joint) * cand.multiplier, 9)

    # Greedy portfolio with diminishing returns, a per-theme cap and horizon quotas.
    remaining = dict(original)
    chosen: list[Recommendation] = []
    pool = list(candidates)
    primary_count: dict[str, int] = {}
    covered: set[str] = set()

    def marginal(cand: _Candidate) -> tuple[float, float, float, list[tuple[str, float]]]:
        base, joint, contributions = _evaluate(cand.action, remaining, params)
        return round((base + joint) * cand.multiplier, 9), base, joint, contributions

    while pool and len(chosen) < params.size:
        eligible = _eligible(pool, chosen, primary_count, params)
        scored = [(marginal(c), c) for c in eligible]
        (best_score, base, joint, contributions), best = min(
            scored,
            key=lambda item: (-item[0][0], -standalone[item[1].action.id], item[1].action.id),
        )
        pool.remove(best)
        action = best.action
        reasons = _reasons_for(action, remaining, original, results, contributions, base, params)
        reasons += best.context_reasons + best.unverified
        if action.horizon == Horizon.SHORT and action.effort != Effort.HIGH:
            reasons.append(Reason("quick_win", None, {"horizon": action.horizon.value}))
        elif action.horizon == Horizon.LONG:
            reasons.append(Reason("long_term", None, {"horizon": action.horizon.value}))
        if chosen and action.primary_theme not in covered:
            reasons.append(Reason("covers_new_theme", action.primary_theme))
        covered.update(t for t, w in action.themes.items() if w >= 2)
        primary_count[action.primary_theme] = primary_count.get(action.primary_theme, 0) + 1
        for theme_id, strength in action.themes.items():
            factor = 1 - params.rho * strength / 3.0
            remaining[theme_id] = replace(
                remaining[theme_id], need=remaining[theme_id].need * factor
            )
        chosen.append(
            Recommendation(
                action=action,
                rank=len(chosen) + 1,
                score=best_score,
                standalone_score=standalone[action.id],
                base=round(base, 9),
                joint=round(joint, 9),
                context_multiplier=round(best.multiplier, 9),
                reasons=tuple(reasons),
                in_portfolio=True,
            )
        )
    # The rest, ranked once against the need the portfolio leaves.
    rest = sorted(
        ((marginal(c), c) for c in pool),
        key=lambda item: (-item[0][0], -standalone[item[1].action.id], item[1].action.id),
    )
    for (rest_score, base, joint, contributions), cand in rest:
        reasons = _reasons_for(
            cand.action, remaining, original, results, contributions, base, params
        )
        chosen.append(
            Recommendation(
                action=cand.action,
                rank=len(chosen) + 1,
                score=rest_score,
                standalone_score=standalone[cand.action.id],
                base=round(base, 9),
                joint=round(joint, 9),
                context_multiplier=round(cand.multiplier, 9),
                reasons=tuple(reasons + cand.context_reasons + cand.unverified),
                in_portfolio=False,
            )
        )
    return RecommendationSet(
        needs=needs_list,
        recommendations=tuple(chosen),
        excluded=tuple(sorted(excluded, key=lambda e: e.action.id)),
        params=params,
    )

"""The recommendation engine: from theme results, context and catalogue to a ranked portfolio.

Deterministic and explainable. Every number that moves an action up or down is kept in its
:class:`Reason`, so the web page, the PDF and the JSON all show the same "why". The formula,
its parameters and an example worked by hand are in ``docs/recommendations.md``; keep the
two in step.

In short, for theme *t* on a scale [lo, hi] with mean score s, n ratings, priority share p:

    deficit   d = (hi - s) / (hi - lo)                    (0 = works very well, 1 = worst)
    shrunk    d~ = (n * d + n0 * 0.5) / (n + n0)          (few ratings pull towards "unsure")
    need      N = (1 + alpha * p) * d~
    weak      d >= need_deficit, or d > strong_deficit and p >= need_priority
    gap       g = largest difference between two different sides / (hi - lo), only where
              both groups have >= 10 ratings and the difference lies beyond the intervals

and for action *a* with strengths w_t (1-3) on its themes:

    contributions c_t = (w_t / 3) * N_t, sorted descending; base = sum c_(k) * decay**k
    joint      J = beta * sum (w_t / 3) * g_t   (only for actions led jointly)
    context    M = 1 + gamma * (number of the action's "fits" tags that hold for the place)
    unknown    U = unknown_penalty ** (preconditions that could not be checked)
    comments   C = 1 + min(comment_boost * matching comments, comment_boost_max)
    score      S = (base + J) * M * U * C

Actions whose preconditions fail are left out (and listed with the reason). The portfolio
gives each weak theme places in proportion to its need (D'Hondt: the dominant theme can take
up to ``max_per_theme``), fills each place with the best action aimed straight at that theme,
then meets the horizon and lead quotas only with actions that address a weak theme. Every
action after the portfolio is ranked by its own stand-alone score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from platsa.core.analysis.context import Fact, PlaceContext
from platsa.core.analysis.keywords import CommentIndex, index_comments, keyword_stem, quote
from platsa.core.analysis.scoring import Gap, Results
from platsa.core.analysis.similarity import ProfileOf, nearest_first, reference_profile
from platsa.core.schema.catalogue import (
    Action,
    Catalogue,
    ContextTag,
    Effort,
    Example,
    Horizon,
    Keywords,
    Lead,
)
from platsa.core.schema.dataset import CommentEntry
from platsa.core.schema.frameworks import Side


@dataclass(frozen=True)
class Params:
    n0: float = 5.0  # ratings at which the observed deficit and "unsure" weigh the same
    alpha: float = 2.0  # how much priorities raise a theme's need
    decay: float = 0.5  # weight of an action's 2nd, 3rd, ... strongest contribution
    beta: float = 1.0  # weight of group gaps for jointly led actions
    gamma: float = 0.15  # boost per context tag that fits
    size: int = 10  # length of the portfolio
    max_per_theme: int = 4  # places one weak theme may take in the portfolio
    min_quick_wins: int = 2  # short-horizon, not high-effort actions in the portfolio
    min_long_term: int = 1  # long-horizon actions in the portfolio
    # At least one portfolio action that each of these can lead (where one addresses a need).
    lead_quotas: tuple[Lead, ...] = (Lead.MUNICIPALITY, Lead.ASSOCIATION)
    need_deficit: float = 0.5  # weak above this deficit: below 4 ("neither good nor bad") of 7
    strong_deficit: float = 0.25  # strong at this deficit or less: 5.5 or more of 7
    need_priority: float = 0.25  # ... or weak below "strong" when this share names it
    min_contribution_share: float = 0.1  # theme reasons shown above this share of the base
    min_gap: float = 0.15  # group gaps below this share of the scale are noise, not disagreement
    max_gap_reasons: int = 2  # gap reasons listed per action (the largest first)
    unknown_penalty: float = 0.85  # per precondition that could not be checked
    comment_boost: float = 0.1  # per comment that asks for what the action does ...
    comment_boost_max: float = 0.3  # ... up to this much
    comment_kinds: tuple[str, ...] = ("better",)  # which comments ask for change
    min_respondents: int = 30  # below it the list is tentative
    min_group: int = 10  # groups smaller than this are not compared


DEFAULT_PARAMS = Params()
# Stored with every frozen version of results: a change to the ranking rules or the default
# parameters gets a new one, so a board can tell which engine made the list it was shown.
ENGINE_VERSION = "2026.11"


class ReasonKind(StrEnum):
    """What a :class:`Reason` says. The values are stored with results (and read back from
    them), so a kind keeps its value for good; ``platsa.core.render.explain`` has its
    sentence."""

    THEME_NEED = "theme_need"  # a weak theme's score and priority make the action needed
    GROUP_GAP = "group_gap"  # two sides disagree; a jointly led action bridges them
    COMMENT_MATCH = "comment_match"  # respondents wrote what the action does: a quote
    CONTEXT = "context"  # an open-data fact fits the action
    # Could not be checked: the score is lowered, the text says what to check.
    PRECONDITION_UNKNOWN = "precondition_unknown"
    PRECONDITION_FAILED = "precondition_failed"  # the action is left out
    QUICK_WIN = "quick_win"  # its place in the portfolio: done within a year
    LONG_TERM = "long_term"  # its place in the portfolio: builds over several years
    # The older name of PRECONDITION_UNKNOWN: never made now, still read and said.
    PRECONDITION_UNVERIFIED = "precondition_unverified"


class NoticeCode(StrEnum):
    """Which guardrail a :class:`Notice` is; stored with results like :class:`ReasonKind`,
    and a ``NOTICES`` key (in ``platsa.core.render.messages``) for its sentence."""

    NO_RATINGS = "no_ratings"  # nothing rated: no recommendations
    FEW_RESPONDENTS = "few_respondents"  # under ``min_respondents`` answers: tentative
    ALL_STRONG = "all_strong"  # every rated theme works well: keep what works
    NO_CLEAR_NEED = "no_clear_need"  # no theme stands out as weak
    SMALL_GROUP = "small_group"  # groups under ``min_group`` left out of every comparison


@dataclass(frozen=True)
class Reason:
    """One reason, as data. ``kind`` picks the sentence; ``values`` fills it in. Reasons of
    an action come strongest first. A kind given as text (read back from stored results)
    becomes the :class:`ReasonKind` it names."""

    kind: ReasonKind
    theme: str | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.kind, ReasonKind):
            object.__setattr__(self, "kind", ReasonKind(self.kind))

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "theme": self.theme, **self.values}


@dataclass(frozen=True)
class Notice:
    """A guardrail: something about the data that the reader must know before the list
    (see :class:`NoticeCode`). A code given as text becomes the code it names."""

    code: NoticeCode
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.code, NoticeCode):
            object.__setattr__(self, "code", NoticeCode(self.code))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, **self.values}


@dataclass(frozen=True)
class ThemeNeed:
    theme_id: str
    score: float | None
    n: int
    deficit: float  # unshrunk, 0..1 (0.5 with no ratings)
    shrunk_deficit: float
    priority_share: float
    need: float
    gap: float  # normalised 0..1: the largest cross-side gap that counts, else 0
    gap_detail: Gap | None = None  # the gap behind ``gap``
    is_need: bool = False  # weak enough to be worked on
    is_strong: bool = False  # works well: never cited as a need


@dataclass(frozen=True)
class Recommendation:
    action: Action
    rank: int
    score: float  # its stand-alone score (what the ranking compares)
    standalone_score: float  # the same, kept under its old name for readers of the JSON
    base: float
    joint: float
    context_multiplier: float
    reasons: tuple[Reason, ...]
    in_portfolio: bool
    examples: tuple[Example, ...] = ()  # the action's good examples, nearest place first
    theme: str | None = None  # the weak theme it holds a portfolio place for

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
    notices: tuple[Notice, ...] = ()

    @property
    def portfolio(self) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.in_portfolio)

    @property
    def tentative(self) -> bool:
        return any(n.code == NoticeCode.FEW_RESPONDENTS for n in self.notices)

    def need(self, theme_id: str) -> ThemeNeed:
        return next(n for n in self.needs if n.theme_id == theme_id)

    def notice(self, code: str) -> Notice | None:
        return next((n for n in self.notices if n.code == code), None)


def theme_needs(results: Results, params: Params = DEFAULT_PARAMS) -> tuple[ThemeNeed, ...]:
    span = results.scale_max - results.scale_min
    out = []
    for theme in results.themes:
        deficit = 0.5 if theme.score is None else (results.scale_max - theme.score) / span
        shrunk = (theme.n * deficit + params.n0 * 0.5) / (theme.n + params.n0)
        need = (1 + params.alpha * theme.priority_share) * shrunk
        gap = results.side_gap(theme.theme_id)
        g = gap.difference / span if gap is not None else 0.0
        if g < params.min_gap:
            g, gap = 0.0, None
        rated = theme.score is not None
        strong = rated and deficit <= params.strong_deficit + 1e-9
        weak = rated and (
            deficit > params.need_deficit + 1e-9
            or (not strong and theme.priority_share >= params.need_priority)
        )
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
                is_need=weak,
                is_strong=strong,
            )
        )
    return tuple(out)


def _precondition_check(action: Action, context: PlaceContext) -> tuple[list[Reason], list[Reason]]:
    """(failed, unknown) precondition reasons. Unknown never fails an action: it lowers its
    score and says what to check."""
    failed: list[Reason] = []
    unknown: list[Reason] = []
    pre = action.preconditions
    for what, allowed, actual in (
        ("size_class", pre.size_classes, context.size_class),
        ("remoteness", pre.remoteness, context.remoteness),
        ("trend", pre.trends, context.trend),
        ("country", pre.countries, context.country),
    ):
        if not allowed:
            continue
        values: dict[str, Any] = {"what": what, "allowed": [a.value for a in allowed]}
        if actual is None:
            unknown.append(Reason(ReasonKind.PRECONDITION_UNKNOWN, values=values))
        elif actual not in allowed:
            failed.append(
                Reason(ReasonKind.PRECONDITION_FAILED, values={**values, "actual": actual.value})
            )
    if pre.requires_large_employer:
        if context.has_large_employer is None:
            unknown.append(
                Reason(ReasonKind.PRECONDITION_UNKNOWN, values={"what": "large_employer"})
            )
        elif not context.has_large_employer:
            failed.append(Reason(ReasonKind.PRECONDITION_FAILED, values={"what": "large_employer"}))
    return failed, unknown


@dataclass
class _Candidate:
    action: Action
    base: float
    joint: float
    multiplier: float  # context x unknown preconditions x comments
    context_multiplier: float
    contributions: list[tuple[str, float]]
    context_reasons: list[Reason]
    unknown: list[Reason]
    comment: Reason | None
    score: float = 0.0


def _evaluate(
    action: Action, needs: dict[str, ThemeNeed], params: Params
) -> tuple[float, float, list[tuple[str, float]]]:
    """(base, joint, contributions sorted descending)."""
    contributions = sorted(
        ((t, (w / 3.0) * needs[t].need) for t, w in action.themes.items()),
        key=lambda item: (-round(item[1], 12), item[0]),
    )
    base = sum(c * params.decay**k for k, (_, c) in enumerate(contributions))
    joint = 0.0
    if action.is_joint:
        joint = params.beta * sum((w / 3.0) * needs[t].gap for t, w in action.themes.items())
    return base, joint, contributions


def _context_reasons(
    action: Action, context: PlaceContext, tags: dict[ContextTag, Fact | None]
) -> list[Reason]:
    """The open-data facts that make the action fit, and whether it is one of the country's
    own instruments (Husbanken in Norway, oppisopimus in Finland, särskilt driftstöd in
    Sweden): a programme the place can apply to today is worth more than a general idea."""
    reasons = []
    countries = action.preconditions.countries
    if countries and context.country is not None and context.country in countries:
        reasons.append(
            Reason(
                ReasonKind.CONTEXT,
                None,
                {"tag": "national_instrument", "country": context.country.value},
            )
        )
    for tag in action.fits:
        if tag not in tags:
            continue
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
        reasons.append(Reason(ReasonKind.CONTEXT, None, values))
    return reasons


def _action_stems(action: Action) -> frozenset[str]:
    return _stems(action.keywords)


@lru_cache(maxsize=4096)
def _stems(kw: Keywords) -> frozenset[str]:
    """A keyword list's stems (Keywords are frozen, so the cut is done once per list)."""
    return frozenset(
        keyword_stem(word, language)
        for language, words in (("sv", kw.sv), ("en", kw.en), ("nb", kw.nb), ("fi", kw.fi))
        for word in words
        if word.strip()
    )


def _comment_reason(
    action: Action, needs: dict[str, ThemeNeed], comments: CommentIndex
) -> tuple[Reason | None, int]:
    """The weak theme whose comments ask most for this action, with a quote."""
    stems = _action_stems(action)
    if not stems:
        return None, 0
    best: tuple[int, str, list[CommentEntry]] | None = None
    for theme_id in sorted(action.themes, key=lambda t: (-action.themes[t], t)):
        if not needs[theme_id].is_need:
            continue
        found = comments.matches(theme_id, stems)
        if found and (best is None or len(found) > best[0]):
            best = (len(found), theme_id, found)
    if best is None:
        return None, 0
    count, theme_id, found = best
    entry = min(found, key=lambda e: (len(e.text) > 200, e.respondent))
    words = sorted(stems)
    return (
        Reason(
            ReasonKind.COMMENT_MATCH,
            theme_id,
            {
                "quote": quote(entry.text),
                "comment_kind": entry.kind,
                "matches": count,
                "keywords": words,
            },
        ),
        count,
    )


def _theme_reasons(
    action: Action,
    cand: _Candidate,
    original: dict[str, ThemeNeed],
    results: Results,
    params: Params,
) -> list[Reason]:
    reasons: list[Reason] = []
    for theme_id, contribution in cand.contributions:
        need = original[theme_id]
        if not need.is_need or cand.base <= 0:
            continue
        if contribution / cand.base < params.min_contribution_share:
            continue
        ts = results.theme(theme_id)
        reasons.append(
            Reason(
                ReasonKind.THEME_NEED,
                theme_id,
                {
                    # Kept to 4 decimals: a sentence rounds them as the tables do (3.05 is
                    # 3.1 in both, not 3.0 in one after a first rounding to 3.0).
                    "score": round(ts.score, 4) if ts.score is not None else None,
                    "low": round(ts.low, 4) if ts.low is not None else None,
                    "high": round(ts.high, 4) if ts.high is not None else None,
                    "n": ts.n,
                    "dont_know_share": round(ts.dont_know_share, 4),
                    "priority_share": round(ts.priority_share, 4),
                    "strength": action.themes[theme_id],
                    "need": round(need.need, 3),
                    "scale_min": results.scale_min,
                    "scale_max": results.scale_max,
                },
            )
        )
    return reasons


def _gap_reasons(
    action: Action,
    original: dict[str, ThemeNeed],
    groups: Mapping[str, Side | None],
    params: Params,
) -> list[Reason]:
    if not action.is_joint:
        return []
    found: list[tuple[str, Gap]] = []
    for theme_id in action.themes:
        detail = original[theme_id].gap_detail
        if original[theme_id].gap > 0 and detail is not None:
            found.append((theme_id, detail))
    found.sort(key=lambda item: (-original[item[0]].gap * action.themes[item[0]], item[0]))
    reasons = []
    for theme_id, gap in found[: params.max_gap_reasons]:
        reasons.append(
            Reason(
                ReasonKind.GROUP_GAP,
                theme_id,
                {
                    "high_group": gap.high_group,
                    "high_side": groups.get(gap.high_group),
                    "high_score": round(gap.high_score, 4),
                    "high_n": gap.high_n,
                    "low_group": gap.low_group,
                    "low_side": groups.get(gap.low_group),
                    "low_score": round(gap.low_score, 4),
                    "low_n": gap.low_n,
                    "difference": round(gap.difference, 4),
                },
            )
        )
    return reasons


def _notices(results: Results, needs: Sequence[ThemeNeed], params: Params) -> list[Notice]:
    notices: list[Notice] = []
    rated = [n for n in needs if n.score is not None]
    if not rated:
        return [Notice(NoticeCode.NO_RATINGS, {"respondents": results.respondents})]
    if results.respondents < params.min_respondents:
        notices.append(
            Notice(
                NoticeCode.FEW_RESPONDENTS,
                {"respondents": results.respondents, "minimum": params.min_respondents},
            )
        )
    threshold = results.scale_max - params.strong_deficit * (results.scale_max - results.scale_min)
    if all(n.is_strong for n in rated):
        notices.append(Notice(NoticeCode.ALL_STRONG, {"threshold": round(threshold, 2)}))
    elif not any(n.is_need for n in rated):
        notices.append(Notice(NoticeCode.NO_CLEAR_NEED, {"threshold": round(threshold, 2)}))
    small = results.small_groups(params.min_group)
    if small:
        notices.append(
            Notice(
                NoticeCode.SMALL_GROUP,
                {"groups": [g.group.key for g in small], "minimum": params.min_group},
            )
        )
    return notices


def _is_quick_win(action: Action) -> bool:
    return action.horizon == Horizon.SHORT and action.effort != Effort.HIGH


def _need_theme(action: Action, needs: dict[str, ThemeNeed]) -> str | None:
    """The weak theme the action works on most (strength 2 or more), if any."""
    weak = [t for t, w in action.themes.items() if w >= 2 and needs[t].is_need]
    return max(weak, key=lambda t: (action.themes[t], needs[t].need, t)) if weak else None


def _is_direct(action: Action, theme_id: str) -> bool:
    """Aimed straight at the theme: its strongest theme, and at least a clear effect."""
    strength = action.themes.get(theme_id, 0)
    return strength >= 2 and strength == max(action.themes.values())


@dataclass
class _Pick:
    key: float  # the D'Hondt quotient it was picked at: the portfolio's order
    cand: _Candidate
    theme: str


def _portfolio(
    candidates: list[_Candidate],
    needs: dict[str, ThemeNeed],
    theme_order: Sequence[str],
    params: Params,
) -> list[_Pick]:
    """Places for weak themes by D'Hondt on their need, each filled with the best action
    aimed at the theme (or, when none is left, the best with a clear effect on it); then the
    places left over with the best actions that work on a weak theme; then the quotas, met
    by swapping out the lowest place of a theme that has more."""
    by_score = sorted(candidates, key=lambda c: (-c.score, c.action.id))
    weak = [t for t in theme_order if needs[t].is_need]
    quotients = sorted(
        (
            (needs[t].need / (k + 1), theme_order.index(t), t)
            for t in weak
            for k in range(params.max_per_theme)
        ),
        key=lambda q: (-q[0], q[1]),
    )
    picks: list[_Pick] = []
    taken: set[str] = set()
    for quotient, _, theme_id in quotients:
        if len(picks) >= params.size:
            break
        free = [c for c in by_score if c.action.id not in taken]
        best = next((c for c in free if _is_direct(c.action, theme_id)), None) or next(
            (c for c in free if c.action.themes.get(theme_id, 0) >= 2), None
        )
        if best is not None:
            picks.append(_Pick(quotient, best, theme_id))
            taken.add(best.action.id)

    def room(theme_id: str) -> bool:
        return sum(1 for p in picks if p.theme == theme_id) < params.max_per_theme

    floor = min((p.key for p in picks), default=1.0)
    for cand in by_score:
        if len(picks) >= params.size:
            break
        need_theme = _need_theme(cand.action, needs)
        if cand.action.id in taken or need_theme is None or not room(need_theme):
            continue
        floor *= 0.999
        picks.append(_Pick(floor, cand, need_theme))
        taken.add(cand.action.id)

    quotas: list[Callable[[Action], bool]] = [_is_quick_win] * params.min_quick_wins
    quotas += [lambda a: a.horizon == Horizon.LONG] * params.min_long_term
    quotas += [_led_by(lead) for lead in params.lead_quotas]
    met: list[Callable[[Action], bool]] = []
    for rule in quotas:
        need_count = met.count(rule) + 1
        if sum(1 for p in picks if rule(p.cand.action)) >= need_count:
            met.append(rule)
            continue
        new = next(
            (
                c
                for c in by_score
                if c.action.id not in taken
                and rule(c.action)
                and _need_theme(c.action, needs) is not None
            ),
            None,
        )
        if new is None:
            continue
        theme_id = _need_theme(new.action, needs) or ""
        if len(picks) < params.size and room(theme_id):
            floor *= 0.999
            picks.append(_Pick(floor, new, theme_id))
        else:
            victim = _victim(picks, rule, met)
            if victim is None or (victim.theme != theme_id and not room(theme_id)):
                continue
            taken.discard(victim.cand.action.id)
            picks[picks.index(victim)] = _Pick(victim.key, new, theme_id)
        taken.add(new.action.id)
        met.append(rule)
    return sorted(picks, key=lambda p: (-p.key, -p.cand.score, p.cand.action.id))


def _led_by(lead: Lead) -> Callable[[Action], bool]:
    """The quota rule "an action ``lead`` can lead" (one function per lead: quotas count
    the rules they have met by identity)."""

    def rule(action: Action) -> bool:
        return lead in action.lead_actors

    return rule


def _victim(
    picks: list[_Pick], rule: Callable[[Action], bool], met: list[Callable[[Action], bool]]
) -> _Pick | None:
    """The lowest place that can go: not its theme's only place, not meeting this rule, and
    not needed for a quota met before."""
    per_theme: dict[str, int] = {}
    for p in picks:
        per_theme[p.theme] = per_theme.get(p.theme, 0) + 1
    for pick in sorted(picks, key=lambda p: (p.key, p.cand.score, p.cand.action.id)):
        if per_theme[pick.theme] < 2 or rule(pick.cand.action):
            continue
        rest = [p for p in picks if p is not pick]
        if all(
            sum(1 for p in rest if earlier(p.cand.action)) >= met.count(earlier)
            for earlier in set(met)
        ):
            return pick
    return None


def recommend(
    results: Results,
    catalogue: Catalogue,
    context: PlaceContext | None = None,
    params: Params = DEFAULT_PARAMS,
    *,
    comments: Sequence[CommentEntry] = (),
    profile_of: ProfileOf = reference_profile,
) -> RecommendationSet:
    """Rank the catalogue's actions for this place; the portfolio comes first.
    Deterministic: ties are broken by action id. ``comments`` are what respondents wrote
    (only those the reader may see: the quotes are shown)."""
    context = context or PlaceContext()
    needs_list = theme_needs(results, params)
    original = {n.theme_id: n for n in needs_list}
    notices = _notices(results, needs_list, params)
    if notices and notices[0].code == NoticeCode.NO_RATINGS:
        return RecommendationSet(needs_list, (), (), params, tuple(notices))
    sides = {g.group.key: g.group.side for g in results.groups}
    index = None
    if comments:
        stems = frozenset().union(*(_action_stems(a) for a in catalogue))
        weak = [n.theme_id for n in needs_list if n.is_need]
        index = index_comments(comments, params.comment_kinds, stems, weak)

    tags = context.tags()  # the same facts for every action: worked out once
    candidates: list[_Candidate] = []
    excluded: list[Excluded] = []
    for action in catalogue:
        failed, unknown = _precondition_check(action, context)
        if failed:
            excluded.append(Excluded(action, tuple(failed)))
            continue
        base, joint, contributions = _evaluate(action, original, params)
        context_reasons = _context_reasons(action, context, tags)
        context_m = 1 + params.gamma * len(context_reasons)
        comment, matches = _comment_reason(action, original, index) if index else (None, 0)
        multiplier = (
            context_m
            * params.unknown_penalty ** len(unknown)
            * (1 + min(params.comment_boost * matches, params.comment_boost_max))
        )
        cand = _Candidate(
            action,
            base,
            joint,
            multiplier,
            context_m,
            contributions,
            context_reasons,
            unknown,
            comment,
        )
        cand.score = round((base + joint) * multiplier, 9)
        candidates.append(cand)

    portfolio = _portfolio(candidates, original, [t.theme_id for t in results.themes], params)
    in_portfolio = {p.cand.action.id for p in portfolio}
    rest = sorted(
        (c for c in candidates if c.action.id not in in_portfolio),
        key=lambda c: (-c.score, c.action.id),
    )
    plain = context.trend is None and context.remoteness is None and context.country is None
    chosen: list[Recommendation] = []
    for cand, theme_id, member in [(p.cand, p.theme, True) for p in portfolio] + [
        (c, None, False) for c in rest
    ]:
        action = cand.action
        # Strongest first, and different kinds of "why" before more of the same: the main
        # need, then the gap a joint action bridges, then what people wrote, then the other
        # needs, then the facts. A reader who sees only the first three sees each kind.
        needs = _theme_reasons(action, cand, original, results, params)
        gaps = _gap_reasons(action, original, sides, params)
        wrote = [cand.comment] if cand.comment is not None else []
        reasons = needs[:1] + gaps[:1] + wrote + needs[1:] + gaps[1:]
        reasons += cand.context_reasons + cand.unknown
        if member and _is_quick_win(action):
            reasons.append(Reason(ReasonKind.QUICK_WIN, None, {"horizon": action.horizon.value}))
        elif member and action.horizon == Horizon.LONG:
            reasons.append(Reason(ReasonKind.LONG_TERM, None, {"horizon": action.horizon.value}))
        examples = action.examples
        if len(examples) > 1 and not (plain and context.size_class is None):
            examples = nearest_first(examples, context, profile_of)
        chosen.append(
            Recommendation(
                action=action,
                rank=len(chosen) + 1,
                score=cand.score,
                standalone_score=cand.score,
                base=round(cand.base, 9),
                joint=round(cand.joint, 9),
                context_multiplier=round(cand.context_multiplier, 9),
                reasons=tuple(reasons),
                in_portfolio=member,
                examples=tuple(examples),
                theme=theme_id,
            )
        )
    return RecommendationSet(
        needs=needs_list,
        recommendations=tuple(chosen),
        excluded=tuple(sorted(excluded, key=lambda e: e.action.id)),
        params=params,
        notices=tuple(notices),
    )

"""The follow-up of a plan in figures, between the page and the core
(``platsa.core.analysis.plan_followup``): progress rolled up for the plan and per goal,
theme and village, with "no data yet" where nothing was reported; the closed loop (each
theme's change from the baseline round to the newest, next to the actions for that theme,
worded as association, not proof); and, for villages planning together, their newest
scores combined, weighted by respondents.

The baseline round is the newest round frozen on or before the plan's start (the first
round when the plan has no start or no round before it); the comparison is with the newest
round after it. Only the organising place's rounds make the loop: for villages each has its
own, and the combined scores are shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platsa.core.analysis.plan_followup import (
    ActionRecord,
    ActionStatus,
    CombinedScore,
    LoopRow,
    Milestone,
    Rollup,
    combine_scores,
    plan_rollup,
    rollup,
    theme_loop,
)
from platsa.core.render.loop_text import LoopWords, describe_loop, loop_caveat
from platsa.plans.models import Action
from platsa.plans.selectors import PlanView, ThemePoint, theme_label


def records(actions: list[Action]) -> list[ActionRecord]:
    """The plan's actions as the core's plain records (milestones prefetched)."""
    out = []
    for action in actions:
        out.append(
            ActionRecord(
                id=str(action.pk),
                status=ActionStatus(action.status),
                progress=float(action.progress) if action.progress is not None else None,
                goals=tuple(str(g) for g in getattr(action, "goal_ids", [])),
                themes=tuple(action.themes or ()),
                places=(str(action.place_id),) if action.place_id else (),
                milestones=tuple(
                    Milestone(due=m.due_on, done=m.done_on is not None)
                    for m in action.milestones.all()
                ),
            )
        )
    return out


@dataclass
class LoopLine:
    theme_id: str
    title: str
    row: LoopRow
    text: str
    words: LoopWords
    baseline_round: str
    latest_round: str


@dataclass
class Combined:
    theme_id: str
    title: str
    combined: CombinedScore
    villages: list[tuple[str, ThemePoint | None]]


def _baseline(points: list[ThemePoint], start: date | None) -> tuple[ThemePoint, ThemePoint] | None:
    if len(points) < 2:
        return None
    before = [p for p in points if start is not None and p.on <= start]
    base = before[-1] if before else points[0]
    later = [p for p in points if p.on > base.on]
    if not later:
        return None
    return base, later[-1]


def loop_lines(view: PlanView) -> list[LoopLine]:
    language = (get_language() or "sv")[:2]
    own = view.plan.process.place_id
    start = view.plan.starts_on
    statuses: dict[str, list[str]] = {}
    for action in view.actions:
        if action.place_id not in (None, own):
            continue  # another village's action: beside its own scores, not these
        for theme in action.themes or ():
            statuses.setdefault(theme, []).append(action.status)
    lines = []
    for theme_id, points in view.themes.items():
        pair = _baseline([p for p in points if p.place_id == own], start)
        if pair is None:
            continue
        base, latest = pair
        row = theme_loop(base.score, latest.score, statuses.get(theme_id, []), theme_id=theme_id)
        title = theme_label(theme_id)
        words = describe_loop(row, title, language=language, _=_)
        lines.append(
            LoopLine(theme_id, title, row, words.text, words, base.round_title, latest.round_title)
        )
    lines.sort(key=lambda line: (-line.row.actions, line.title))
    return lines


def combined_villages(view: PlanView) -> list[Combined]:
    """Per theme of the shared goals (all themes when no goal names one), the villages'
    newest scores combined, weighted by their respondents."""
    if len(view.places) < 2:
        return []
    wanted = {g.theme_id for g in view.goals if g.theme_id and g.place_id is None}
    out = []
    for theme_id, points in sorted(view.themes.items()):
        if wanted and theme_id not in wanted:
            continue
        newest: dict[int, ThemePoint] = {}
        for point in points:
            newest[point.place_id] = point  # oldest first: the last one stays
        if len(newest) < 2:
            continue
        scores = [p.score for p in newest.values()]
        scale = next(iter(newest.values()))
        combined = combine_scores(scores, scale=(scale.scale_min, scale.scale_max))
        villages = [(place.name, newest.get(place.pk)) for place in view.places]
        out.append(Combined(theme_id, theme_label(theme_id), combined, villages))
    return out


def follow_up(view: PlanView, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    rows = records(view.actions)
    by_goal = rollup(rows, "goal", today, keys=[str(g.pk) for g in view.goals])
    by_theme = rollup(rows, "theme", today)
    by_place = rollup(rows, "place", today)
    whole: Rollup = plan_rollup(rows, today)
    for goal in view.goals:
        goal.rollup = by_goal.get(str(goal.pk))  # type: ignore[attr-defined]
    return {
        "whole": whole,
        "by_goal": {int(k): v for k, v in by_goal.items()},
        "by_theme": [(theme_label(k), v) for k, v in sorted(by_theme.items())],
        "by_place": [(p, by_place.get(str(p.pk))) for p in view.places if len(view.places) > 1],
        "shared": plan_rollup([r for r in rows if not r.places], today),
        "loop": (lines := loop_lines(view)),
        "loop_addressed": [line for line in lines if line.row.actions],
        "loop_other": [line for line in lines if not line.row.actions],
        "loop_caveat": loop_caveat(_),
        "combined": combined_villages(view),
    }

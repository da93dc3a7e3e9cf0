"""Reads of a plan for its pages, the public follow-up page, the feed, the API and the
documents: everything in a fixed number of queries however many actions, milestones and
updates the plan has (the issue's 200 actions, 600 milestones and 2,000 updates render in
about a dozen queries).

Indicator values come from where they live: a theme's score from the latest frozen
snapshot of each assessment round of the plan's places, an open-data figure from the
municipality's imported series (population by year, Kolada key figures), a custom measure
from what the organisers reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from platsa.core.analysis.scoring import ThemeScore
from platsa.core.render import charts
from platsa.places.models import Area, Place
from platsa.plans.models import (
    Action,
    FundingLine,
    Goal,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    Update,
)

TIMELINE_MAX = 60  # events on the public page; the feed and the exports have all


@dataclass(frozen=True)
class ThemePoint:
    """A theme's score in one frozen round of a place."""

    place_id: int
    round_title: str
    on: date
    score: ThemeScore
    scale_min: int = 1
    scale_max: int = 5


def plan_places(plan: Plan) -> list[Place]:
    process = plan.process
    places = [process.place]
    if process.place_set is not None:
        places += [
            p
            for p in process.place_set.places.select_related("municipality").order_by("name")
            if p.pk != process.place_id
        ]
    return places


def theme_points(place_ids: list[int], *, public: bool) -> dict[str, list[ThemePoint]]:
    """Per theme, its score in each frozen round of the places, oldest first (the newest
    snapshot of each round: what its results page shows). ``public``: only rounds whose
    results are published, and only the theme scores the public results page shows (the
    same threshold and suppression, ``platsa.core.analysis.disclosure``)."""
    from django.conf import settings

    from platsa.assessments.models import ResultSnapshot
    from platsa.core.analysis import disclosure
    from platsa.core.analysis.frozen import load_results

    newest: dict[int, ResultSnapshot] = {}
    rows = (
        ResultSnapshot.objects.filter(
            round__process__place_id__in=place_ids, round__process__kind="assessment"
        )
        .select_related("round__process")
        .order_by("round_id", "-version")
    )
    if public:
        rows = rows.filter(round__process__is_public=True)
    for snapshot in rows:
        newest.setdefault(snapshot.round_id, snapshot)

    def answered(snapshot: Any) -> date:
        """When the round was answered: its closing day, else the day it was made (never
        when it was frozen: a round frozen again later is still the old round)."""
        process = snapshot.round.process
        return timezone.localtime(process.closes_at or process.created_at).date()

    out: dict[str, list[ThemePoint]] = defaultdict(list)
    for snapshot in sorted(newest.values(), key=lambda s: (answered(s), s.created_at)):
        process = snapshot.round.process
        results = load_results(snapshot.results)
        rules = (
            disclosure.public(results, settings.PLATSA_PUBLIC_MIN_GROUP)
            if public
            else disclosure.everything(results)
        )
        when = answered(snapshot)
        for theme in results.themes:
            if not rules.shows_theme(theme.theme_id) or theme.score is None:
                continue
            out[theme.theme_id].append(
                ThemePoint(
                    process.place_id,
                    process.title,
                    when,
                    theme,
                    results.scale_min,
                    results.scale_max,
                )
            )
    return dict(out)


FACT_KEYS = ("population", "share_65_plus_pct", "share_0_19_pct")


def fact_series(area: Area | None, key: str) -> list[tuple[int, float]]:
    """An open-data figure of the municipality by year, oldest first."""
    if area is None:
        return []
    if key == "population":
        return sorted((int(y), float(v)) for y, v in (area.population_series or {}).items())
    if key in ("share_65_plus_pct", "share_0_19_pct"):
        value = getattr(area, key)
        return [(int(area.age_year), float(value))] if value is not None and area.age_year else []
    if key.startswith("kolada:"):
        from platsa.places.models import AreaIndicator

        rows = (
            AreaIndicator.objects.filter(
                area=area, kpi=key.removeprefix("kolada:"), gender=AreaIndicator.Gender.TOTAL
            )
            .exclude(value=None)
            .order_by("year")
            .values_list("year", "value")
        )
        return [(int(year), float(value)) for year, value in rows if value is not None]
    return []


@dataclass
class IndicatorRow:
    indicator: Indicator
    points: list[tuple[str, float]]  # (when, value), oldest first
    latest: float | None
    # How far from the baseline towards the target the latest value is (0..1, may pass
    # 1 or go below 0); None without baseline, target or a value.
    towards: float | None
    chart: str = ""  # a sparkline (SVG) when there are two values or more
    # The baseline shown: the one typed in, or for a theme's score or an open-data figure
    # left without one, the value measured when the plan started (``baseline_when``).
    baseline: float | None = None
    baseline_when: str = ""


def _towards(indicator: Indicator, baseline: float | None, latest: float | None) -> float | None:
    if latest is None or baseline is None or indicator.target is None:
        return None
    span = indicator.target - baseline
    if span == 0:
        return None
    return (latest - baseline) / span


def _measured_baseline(
    points: list[tuple[str, float]], start: date | None, year: int | None
) -> tuple[float | None, str]:
    """The value when the plan started: the newest on or before its baseline year (else
    its start), else the first there is."""
    if not points:
        return None, ""
    limit = str(year) if year else (start.isoformat() if start else "")
    before = [p for p in points if limit and p[0][: len(limit)] <= limit]
    when, value = before[-1] if before else points[0]
    return value, when


def indicator_rows(
    indicators: list[Indicator],
    values: dict[int, list[IndicatorValue]],
    themes: dict[str, list[ThemePoint]],
    area: Area | None,
    place_of: dict[int, int] | None = None,
    start: date | None = None,
) -> dict[int, IndicatorRow]:
    """Each indicator's values over time. A theme's score is its place's: the village's for
    a village's goal, the organising place's for a shared one (``place_of``: indicator id ->
    place id; the villages together are shown beside, combined by respondents)."""
    facts: dict[str, list[tuple[int, float]]] = {}
    out = {}
    for indicator in indicators:
        points: list[tuple[str, float]]
        xy: list[tuple[float, float]]
        if indicator.kind == Indicator.Kind.CUSTOM:
            rows = values.get(indicator.pk, [])
            points = [(str(v.year), v.value) for v in rows]
            xy = [(v.year, v.value) for v in rows]
        elif indicator.kind == Indicator.Kind.THEME:
            where = (place_of or {}).get(indicator.pk)
            shown = [
                p
                for p in themes.get(indicator.theme_id, [])
                if p.score.score is not None and (where is None or p.place_id == where)
            ]
            points = [(p.on.isoformat(), float(p.score.score or 0)) for p in shown]
            xy = [
                (p.on.year + p.on.timetuple().tm_yday / 366, float(p.score.score or 0))
                for p in shown
            ]
        else:
            if indicator.fact_key not in facts:
                facts[indicator.fact_key] = fact_series(area, indicator.fact_key)
            points = [(str(y), v) for y, v in facts[indicator.fact_key]]
            xy = [(float(y), v) for y, v in facts[indicator.fact_key]]
        latest = points[-1][1] if points else None
        chart = charts.sparkline(xy, title=indicator.name) if len(xy) > 1 else ""
        baseline, when = indicator.baseline, str(indicator.baseline_year or "")
        if baseline is None and indicator.kind != Indicator.Kind.CUSTOM:
            baseline, when = _measured_baseline(points, start, indicator.baseline_year)
        out[indicator.pk] = IndicatorRow(
            indicator,
            points,
            latest,
            _towards(indicator, baseline, latest),
            chart,
            baseline,
            when[:4],
        )
    return out


@dataclass
class TimelineEvent:
    on: date
    kind: str  # "update", "milestone_done", "milestone_due"
    action: Action
    update: Update | None = None
    milestone: Milestone | None = None


@dataclass
class PlanView:
    plan: Plan
    places: list[Place]
    goals: list[Goal]
    actions: list[Action]
    indicators: dict[int, IndicatorRow]
    timeline: list[TimelineEvent]
    upcoming: list[Milestone]
    themes: dict[str, list[ThemePoint]]
    counts: dict[str, int] = field(default_factory=dict)
    updates_total: int = 0


def plan_view(plan: Plan, *, public: bool, timeline_max: int = TIMELINE_MAX) -> PlanView:
    """Everything a plan's page shows; ``public`` for the public follow-up page (and for
    members who are not members of the place: they see what the public sees of its
    assessments)."""
    places = plan_places(plan)
    goals = list(
        plan.goals.select_related("path", "place").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id"))
        )
    )
    indicators = [i for g in goals for i in g.indicators.all()]
    values: dict[int, list[IndicatorValue]] = defaultdict(list)
    for value in IndicatorValue.objects.filter(indicator__goal__plan=plan).order_by("year"):
        values[value.indicator_id].append(value)
    themes = theme_points([p.pk for p in places], public=public)
    actions = list(
        plan.actions.select_related("place", "idea", "recommendation__snapshot__round__process")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
            Prefetch("funding", queryset=FundingLine.objects.order_by("id")),
        )
        .order_by("position", "id")
    )
    links = Action.goals.through.objects.filter(action__plan=plan).values_list(
        "action_id", "goal_id"
    )
    goal_ids: dict[int, list[int]] = defaultdict(list)
    for action_id, goal_id in links:
        goal_ids[action_id].append(goal_id)
    by_id = {a.pk: a for a in actions}
    for action in actions:
        action.goal_ids = goal_ids.get(action.pk, [])  # type: ignore[attr-defined]
    updates = list(
        Update.objects.filter(action__plan=plan)
        .select_related("milestone")
        .order_by("-created_at", "-id")[:timeline_max]
    )
    for update in updates:
        update.action = by_id[update.action_id]
    today = timezone.localdate()
    events = [
        TimelineEvent(
            timezone.localdate(u.created_at), "update", u.action, update=u, milestone=u.milestone
        )
        for u in updates
    ]
    noted = {u.milestone_id for u in updates if u.milestone_id}
    upcoming = []
    for action in actions:
        for milestone in action.milestones.all():
            if milestone.done_on and milestone.pk not in noted:
                events.append(
                    TimelineEvent(milestone.done_on, "milestone_done", action, milestone=milestone)
                )
            elif milestone.done_on is None:
                milestone.overdue = milestone.due_on < today  # type: ignore[attr-defined]
                upcoming.append(milestone)
    events.sort(key=lambda e: (e.on, e.update.pk if e.update else 0), reverse=True)
    upcoming.sort(key=lambda m: (m.due_on, m.pk))
    counts = dict.fromkeys(Action.Status.values, 0)
    for action in actions:
        counts[action.status] += 1
    municipality = plan.process.place.municipality
    own = plan.process.place_id
    place_of = {i.pk: g.place_id or own for g in goals for i in g.indicators.all()}
    rows = indicator_rows(indicators, values, themes, municipality, place_of, plan.starts_on)
    for goal in goals:  # what the templates read per goal (they cannot look up by key)
        goal.plan_actions = [a for a in actions if goal.pk in a.goal_ids]  # type: ignore[attr-defined]
        for indicator in goal.indicators.all():
            indicator.row = rows.get(indicator.pk)  # type: ignore[attr-defined]
    return PlanView(
        plan=plan,
        places=places,
        goals=goals,
        actions=actions,
        indicators=rows,
        timeline=events[:timeline_max],
        upcoming=upcoming,
        themes=themes,
        counts=counts,
        updates_total=Update.objects.filter(action__plan=plan).count(),
    )


def theme_label(theme_id: str) -> str:
    """A theme's title in the visitor's language (the id when no framework has it)."""
    from platsa.catalogue.selectors import frameworks

    language = (get_language() or "sv")[:2]
    for framework in frameworks().values():
        if framework.has_theme(theme_id):
            return framework.theme(theme_id).title.get(language)
    return theme_id


def theme_choices() -> list[tuple[str, str]]:
    """The default framework's themes, for forms."""
    from platsa.catalogue.selectors import frameworks
    from platsa.core.schema.frameworks import default_framework

    language = (get_language() or "sv")[:2]
    framework = default_framework(frameworks())
    return [(t.id, t.title.get(language)) for t in framework.themes]


def person_data(user: Any) -> dict[str, Any]:
    """What plans hold about a person, for their own export (GDPR art. 15 and 20): the
    updates they posted, the roles given to their addresses, the actions naming them as
    contact, and whether they said no to e-mails."""
    from platsa.plans.access import verified_emails
    from platsa.plans.models import Notify, PlanMember

    emails = sorted(verified_emails(user))
    return {
        "updates": [
            {"action": u.action.title, "at": u.created_at.isoformat(), "text": u.text}
            for u in Update.objects.filter(author=user).select_related("action")
        ],
        "roles": [
            {"plan": m.plan.process.title, "email": m.email, "role": m.role}
            for m in PlanMember.objects.filter(email__in=emails).select_related("plan__process")
        ],
        "contact_of": [
            {
                "plan": a.plan.process.title,
                "action": a.title,
                "name": a.owner_name,
                "email": a.owner_email,
            }
            for a in Action.objects.filter(owner_email__in=emails).select_related("plan__process")
        ],
        "no_emails_about_actions": Notify.objects.filter(user=user).exists(),
    }

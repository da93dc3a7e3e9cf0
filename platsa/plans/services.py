"""The writes of action plans, one function each. Each checks its input, writes, leaves a
line in the plan's audit log and moves the plan's change stamp (the public page's cache
key), in one transaction.

Actions can be made in one click from what earlier steps produced: a frozen recommendation
(its reasons and funding kept), a selected idea (it moves to "in the plan" and its
supporters are told), a workshop's answer, or a catalogue action. Each source becomes at
most one action per plan (a database constraint on ``origin_ref``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from platsa.accounts.models import User
from platsa.innovation.text import clean_line, clean_text
from platsa.places.models import Place
from platsa.plans.kind import PLAN
from platsa.plans.models import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Action,
    FundingLine,
    Goal,
    Indicator,
    IndicatorValue,
    Lead,
    LocalFunding,
    Milestone,
    Notify,
    Path,
    Plan,
    PlanLog,
    PlanMember,
    PlanRole,
    Strategy,
    Update,
)
from platsa.processes.models import PlaceSet
from platsa.processes.services import place_set_create, process_create, signed_in

PROGRESS_MAX = 100


class PlanError(ValueError):
    """A write refused; ``code`` names the reason for the message shown (``messages.py``)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _line(text: str, limit: int = TITLE_MAX) -> str:
    """One line: no control or invisible characters (they break the feed, the spreadsheets
    and Word files), spaces collapsed, cut at ``limit``."""
    return clean_line(str(text or ""))[:limit]


def _text(text: str, limit: int) -> str:
    cleaned = clean_text(str(text or ""))
    if len(cleaned) > limit:
        raise PlanError("too_long", limit=limit)
    return cleaned


def log(plan: Plan, what: str, *, actor: object = None, obj: Any = None, **details: Any) -> None:
    """One line of the audit log, and the plan's pages marked as changed."""
    PlanLog.objects.create(
        plan=plan,
        actor=signed_in(actor),
        what=what,
        object_id=getattr(obj, "pk", None),
        details=details,
    )
    plan_touch(plan)


def plan_touch(plan: Plan) -> None:
    """Mark the plan's pages as changed: ``Plan.changed_at`` keys its cached public pages,
    its API answer and its documents. Not the process's stamp: that one keys other kinds'
    member pages and moves the site-wide access memo, which a plan's writes do not concern."""
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(changed_at=now)
    plan.changed_at = now


# --- the plan ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    place: Place,
    title: str,
    user: User,
    scope: str = Plan.Scope.PLACE,
    places: list[Place] | None = None,
    vision: str = "",
) -> Plan:
    """A new plan of ``place``; with ``places``, villages planning together (a set of
    places the plan spans, the organising place among them)."""
    title = _line(title, 120)
    if len(title) < 3:
        raise PlanError("title_short")
    if scope not in Plan.Scope.values:
        raise PlanError("bad_choice")
    place_set: PlaceSet | None = None
    others = [p for p in (places or []) if p.pk != place.pk]
    if others:
        place_set = place_set_create(owner=place, name=title, places=others, user=user)
    process = process_create(
        place=place,
        kind=PLAN.id,
        title=title,
        user=user,
        place_set=place_set,
        slug_fallback="plan",
    )
    plan = Plan.objects.create(process=process, scope=scope, vision=_text(vision, TEXT_MAX))
    log(plan, "plan.created", actor=user, obj=plan)
    return plan


PLAN_TEXTS = (
    "vision",
    "history",
    "strengths",
    "weaknesses",
    "opportunities",
    "threats",
    "follow_up",
)


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    actor: User,
    starts_on: date | None = None,
    ends_on: date | None = None,
    **texts: str,
) -> list[str]:
    """Change the plan's texts (vision, SWOT, history, follow-up) and its period; the audit
    log names the fields that changed."""
    changed = []
    for name, value in texts.items():
        if name not in PLAN_TEXTS:
            raise PlanError("bad_choice")
        limit = TEXT_MAX if name in ("vision", "history") else SHORT_MAX
        cleaned = _text(value, limit)
        if cleaned != getattr(plan, name):
            setattr(plan, name, cleaned)
            changed.append(name)
    if starts_on and ends_on and ends_on < starts_on:
        raise PlanError("ends_before_start")
    for field_name, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        if day != getattr(plan, field_name):
            setattr(plan, field_name, day)
            changed.append(field_name)
    if changed:
        plan.save(update_fields=changed)
        log(plan, "plan.edited", actor=actor, obj=plan, fields=changed)
    return changed


@transaction.atomic
def strategy_add(*, plan: Plan, actor: User, level: str, name: str, url: str = "") -> Strategy:
    if level not in Strategy.Level.values:
        raise PlanError("bad_choice")
    name = _line(name)
    if len(name) < 2:
        raise PlanError("title_short")
    if url and not url.startswith(("https://", "http://")):
        raise PlanError("bad_url")
    strategy = Strategy.objects.create(plan=plan, level=level, name=name, url=url[:500])
    log(plan, "strategy.added", actor=actor, obj=strategy)
    return strategy


@transaction.atomic
def strategy_remove(*, strategy: Strategy, actor: User) -> None:
    plan = strategy.plan
    log(plan, "strategy.removed", actor=actor, obj=strategy)
    strategy.delete()


@transaction.atomic
def path_save(
    *, plan: Plan, actor: User, title: str, description: str = "", path: Path | None = None
) -> Path:
    title = _line(title)
    if len(title) < 3:
        raise PlanError("title_short")
    if path is None:
        path = Path(plan=plan, position=plan.paths.count())
    elif path.plan_id != plan.pk:
        raise PlanError("not_in_plan")
    path.title = title
    path.description = _text(description, SHORT_MAX)
    path.save()
    log(plan, "path.saved", actor=actor, obj=path)
    return path


@transaction.atomic
def path_remove(*, path: Path, actor: User) -> None:
    log(path.plan, "path.removed", actor=actor, obj=path)
    path.delete()


def _in_plan_places(plan: Plan, place: Place | None) -> Place | None:
    """``place`` if it is one of the plan's places (its own, or of its set of places)."""
    if place is None:
        return None
    process = plan.process
    if place.pk == process.place_id:
        return place
    if process.place_set is not None and process.place_set.places.filter(pk=place.pk).exists():
        return place
    raise PlanError("not_in_plan")


# --- goals and indicators ------------------------------------------------------------------


@transaction.atomic
def goal_save(
    *,
    plan: Plan,
    actor: User,
    title: str,
    description: str = "",
    theme_id: str = "",
    path: Path | None = None,
    place: Place | None = None,
    goal: Goal | None = None,
) -> Goal:
    title = _line(title)
    if len(title) < 3:
        raise PlanError("title_short")
    if path is not None and path.plan_id != plan.pk:
        raise PlanError("not_in_plan")
    if goal is None:
        goal = Goal(plan=plan, position=plan.goals.count())
    elif goal.plan_id != plan.pk:
        raise PlanError("not_in_plan")
    goal.title = title
    goal.description = _text(description, SHORT_MAX)
    goal.theme_id = _line(theme_id, 64)
    goal.path = path
    goal.place = _in_plan_places(plan, place)
    goal.save()
    log(plan, "goal.saved", actor=actor, obj=goal)
    return goal


@transaction.atomic
def goal_remove(*, goal: Goal, actor: User) -> None:
    log(goal.plan, "goal.removed", actor=actor, obj=goal)
    goal.delete()


def _year(value: int | None) -> int | None:
    if value is None:
        return None
    if not 1950 <= int(value) <= 2100:
        raise PlanError("bad_year")
    return int(value)


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    if number != number or abs(number) > 1e15:  # NaN or absurd
        raise PlanError("bad_number")
    return number


@transaction.atomic
def indicator_save(
    *,
    goal: Goal,
    actor: User,
    kind: str,
    name: str,
    theme_id: str = "",
    fact_key: str = "",
    unit: str = "",
    baseline: float | None = None,
    baseline_year: int | None = None,
    target: float | None = None,
    target_year: int | None = None,
    higher_is_better: bool = True,
    indicator: Indicator | None = None,
) -> Indicator:
    if kind not in Indicator.Kind.values:
        raise PlanError("bad_choice")
    if kind == Indicator.Kind.THEME and not theme_id:
        raise PlanError("theme_needed")
    if kind == Indicator.Kind.FACT and not fact_key:
        raise PlanError("fact_needed")
    name = _line(name)
    if len(name) < 2:
        raise PlanError("title_short")
    if indicator is None:
        indicator = Indicator(goal=goal, position=goal.indicators.count())
    elif indicator.goal_id != goal.pk:
        raise PlanError("not_in_plan")
    baseline_year, target_year = _year(baseline_year), _year(target_year)
    if baseline_year and target_year and target_year < baseline_year:
        raise PlanError("target_before_baseline")
    indicator.kind = kind
    indicator.name = name
    indicator.theme_id = _line(theme_id, 64) if kind == Indicator.Kind.THEME else ""
    indicator.fact_key = _line(fact_key, 64) if kind == Indicator.Kind.FACT else ""
    indicator.unit = _line(unit, 40)
    indicator.baseline = _finite(baseline)
    indicator.baseline_year = baseline_year
    indicator.target = _finite(target)
    indicator.target_year = target_year
    indicator.higher_is_better = higher_is_better
    indicator.save()
    log(goal.plan, "indicator.saved", actor=actor, obj=indicator)
    return indicator


@transaction.atomic
def indicator_remove(*, indicator: Indicator, actor: User) -> None:
    log(indicator.goal.plan, "indicator.removed", actor=actor, obj=indicator)
    indicator.delete()


@transaction.atomic
def indicator_value_set(
    *, indicator: Indicator, actor: User, year: int, value: float, note: str = ""
) -> IndicatorValue:
    """A custom indicator's value for ``year`` (replaces an earlier one of that year)."""
    if indicator.kind != Indicator.Kind.CUSTOM:
        raise PlanError("not_custom")
    checked_year = _year(year)
    number = _finite(value)
    if checked_year is None or number is None:
        raise PlanError("bad_number")
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        year=checked_year,
        defaults={"value": number, "note": _line(note, 300)},
    )
    log(indicator.goal.plan, "indicator.value", actor=actor, obj=indicator, year=checked_year)
    return row


# --- actions -------------------------------------------------------------------------------


@dataclass
class ActionData:
    """What an action's form says (every field but its origin)."""

    title: str
    description: str = ""
    goals: list[Goal] | None = None
    place: Place | None = None
    themes: list[str] | None = None
    owner_org: str = ""
    owner_name: str = ""
    owner_email: str = ""
    owner_public: bool = False
    lead: str = ""
    partners: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    budget: int | None = None
    outputs: str = ""
    results: str = ""
    status: str = Action.Status.PLANNED
    progress: int | None = None


def _check_progress(progress: int | None) -> int | None:
    if progress is None:
        return None
    if not 0 <= int(progress) <= PROGRESS_MAX:
        raise PlanError("bad_progress")
    return int(progress)


def _apply(action: Action, data: ActionData) -> None:
    plan = action.plan
    title = _line(data.title)
    if len(title) < 3:
        raise PlanError("title_short")
    if data.lead and data.lead not in Lead.values:
        raise PlanError("bad_choice")
    if data.status not in Action.Status.values:
        raise PlanError("bad_choice")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise PlanError("ends_before_start")
    if data.budget is not None and not 0 <= data.budget <= 10**13:
        raise PlanError("bad_number")
    action.title = title
    action.description = _text(data.description, TEXT_MAX)
    action.place = _in_plan_places(plan, data.place)
    if data.themes is not None:
        action.themes = sorted({_line(t, 64) for t in data.themes if t})[:16]
    action.owner_org = _line(data.owner_org)
    action.owner_name = _line(data.owner_name)
    action.owner_email = (data.owner_email or "").strip().lower()[:254]
    action.owner_public = bool(data.owner_public)
    action.lead = data.lead
    action.partners = _text(data.partners, SHORT_MAX)
    action.starts_on = data.starts_on
    action.ends_on = data.ends_on
    action.budget = data.budget
    action.currency = _currency(plan)
    action.outputs = _text(data.outputs, SHORT_MAX)
    action.results = _text(data.results, SHORT_MAX)
    action.status = data.status
    action.progress = _check_progress(data.progress)
    if action.status == Action.Status.DONE and action.progress is None:
        action.progress = PROGRESS_MAX


def _currency(plan: Plan) -> str:
    municipality = plan.process.place.municipality
    country = getattr(municipality, "country", "SE") if municipality else "SE"
    return {"NO": "NOK", "FI": "EUR"}.get(country, "SEK")


def _goals(action: Action, goals: list[Goal] | None) -> None:
    if goals is None:
        return
    if any(g.plan_id != action.plan_id for g in goals):
        raise PlanError("not_in_plan")
    action.goals.set(goals)


@transaction.atomic
def action_save(
    *, plan: Plan, actor: User, data: ActionData, action: Action | None = None
) -> Action:
    """Create an action written in the plan, or change one (its origin stays)."""
    new = action is None
    if action is None:
        action = Action(plan=plan, position=plan.actions.count(), created_by=signed_in(actor))
    elif action.plan_id != plan.pk:
        raise PlanError("not_in_plan")
    before = (action.status, action.progress)
    _apply(action, data)
    action.changed_at = timezone.now()
    action.save()
    _goals(action, data.goals)
    log(plan, "action.created" if new else "action.edited", actor=actor, obj=action)
    if not new and before[0] != action.status:
        _chain(action, "status", before=before[0])
    return action


@transaction.atomic
def action_remove(*, action: Action, actor: User) -> None:
    """Remove an action; an idea that went "in the plan" with it goes back to "selected"
    unless another action still carries it."""
    log(action.plan, "action.removed", actor=actor, obj=action)
    idea = action.idea
    action.delete()
    if idea is not None and not Action.objects.filter(idea=idea).exists():
        from platsa.innovation.models import Idea
        from platsa.innovation.services import idea_set_status

        if idea.status == Idea.Status.IN_PLAN:
            idea_set_status(idea=idea, actor=actor, status=Idea.Status.SELECTED)


def _made(
    plan: Plan,
    actor: User,
    *,
    origin: str,
    origin_ref: str,
    title: str,
    description: str = "",
    origin_text: str = "",
    themes: list[str] | None = None,
    lead: str = "",
    goals: list[Goal] | None = None,
    **links: Any,
) -> Action:
    """An action made from a source, once per plan: the second click returns the first."""
    existing = Action.objects.filter(plan=plan, origin_ref=origin_ref).first()
    if existing is not None:
        raise PlanError("already_in_plan", action=existing)
    action = Action(
        plan=plan,
        position=plan.actions.count(),
        created_by=signed_in(actor),
        origin=origin,
        origin_ref=origin_ref,
        origin_text=_line(origin_text, 600),
        **links,
    )
    _apply(
        action,
        ActionData(
            title=title,
            description=description[:TEXT_MAX],
            themes=themes or [],
            lead=lead if lead in Lead.values else "",
        ),
    )
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:  # a second click in the same instant
        found = Action.objects.filter(plan=plan, origin_ref=origin_ref).first()
        raise PlanError("already_in_plan", action=found) from None
    _goals(action, goals)
    log(plan, "action.created", actor=actor, obj=action, origin=origin)
    return action


def _local(value: Any) -> str:
    """A {sv, en} text in the language of the request (Swedish first)."""
    if isinstance(value, dict):
        language = (get_language() or "sv")[:2]
        return str(value.get(language) or value.get("sv") or value.get("en") or "")
    return str(value or "")


@transaction.atomic
def action_from_recommendation(
    *,
    plan: Plan,
    recommendation: Any,
    actor: User,
    goals: list[Goal] | None = None,
    published_only: bool = False,
) -> Action:
    """A frozen recommendation becomes an action: its title, summary, themes and lead, the
    funding it named as funding ideas, and the link to it (its reasons are shown from it).
    ``published_only``: for an editor from outside the place, who sees only what its
    published rounds show."""
    from platsa.assessments.models import FrozenRecommendation

    assert isinstance(recommendation, FrozenRecommendation)
    round_process = recommendation.snapshot.round.process
    if round_process.place_id not in _plan_place_ids(plan):
        raise PlanError("not_in_plan")
    if published_only and not round_process.is_public:
        raise PlanError("not_in_plan")
    spec = recommendation.action
    action = _made(
        plan,
        actor,
        origin=Action.Origin.RECOMMENDATION,
        origin_ref=f"recommendation:{recommendation.pk}",
        title=_local(spec.get("title")),
        description=_local(spec.get("description")) or _local(spec.get("summary")),
        origin_text=_local(spec.get("summary")),
        themes=list((spec.get("themes") or {}).keys()),
        lead=next(iter(spec.get("lead_actors") or []), ""),
        goals=goals,
        recommendation=recommendation,
        catalogue_action_id=recommendation.action_id,
    )
    for source in recommendation.funding or []:
        FundingLine.objects.create(
            action=action, source_id=str(source.get("id", ""))[:80], name=_local(source["name"])
        )
    return action


@transaction.atomic
def action_from_catalogue(
    *, plan: Plan, action_id: str, actor: User, goals: list[Goal] | None = None
) -> Action:
    """A catalogue action (shared or the place's own) becomes an action of the plan."""
    from platsa.catalogue.selectors import catalogue_for_place, frameworks
    from platsa.core.schema.frameworks import default_framework

    place = plan.process.place
    catalogue = catalogue_for_place(place, default_framework(frameworks()))
    spec = catalogue.get(action_id)
    if spec is None:
        raise PlanError("no_such_action")
    language = (get_language() or "sv")[:2]
    action = _made(
        plan,
        actor,
        origin=Action.Origin.CATALOGUE,
        origin_ref=f"catalogue:{spec.id}",
        title=spec.title.get(language),
        description=spec.description.get(language),
        origin_text=spec.summary.get(language),
        themes=list(spec.themes),
        lead=spec.lead_actors[0].value if spec.lead_actors else "",
        goals=goals,
        catalogue_action_id=spec.id,
    )
    country = getattr(place.municipality, "country", None)
    for source in catalogue.funding_for(spec, country):
        FundingLine.objects.create(
            action=action, source_id=source.id, name=source.name.get(language)
        )
    return action


@transaction.atomic
def action_from_idea(
    *, plan: Plan, idea: Any, actor: User, goals: list[Goal] | None = None
) -> Action:
    """A selected idea becomes an action; the idea moves to "in the plan" (its author,
    commenters and supporters are told by the open-innovation app)."""
    from platsa.innovation.models import Idea
    from platsa.innovation.services import idea_set_status

    assert isinstance(idea, Idea)
    if idea.process.place_id not in _plan_place_ids(plan):
        raise PlanError("not_in_plan")
    if idea.visibility != "shown" or idea.merged_into_id is not None:
        raise PlanError("not_in_plan")
    if idea.status not in (Idea.Status.SELECTED, Idea.Status.IN_PLAN, Idea.Status.DONE):
        raise PlanError("idea_not_selected")  # the organisers select ideas, then plan them
    action = _made(
        plan,
        actor,
        origin=Action.Origin.IDEA,
        origin_ref=f"idea:{idea.pk}",
        title=idea.title,
        description=idea.body,
        origin_text=idea.title,
        goals=goals,
        idea=idea,
    )
    if idea.status not in (Idea.Status.IN_PLAN, Idea.Status.DONE):
        idea_set_status(idea=idea, actor=actor, status=Idea.Status.IN_PLAN)
    return action


@transaction.atomic
def action_from_workshop(
    *,
    plan: Plan,
    item: Any,
    actor: User,
    goals: list[Goal] | None = None,
    published_only: bool = False,
) -> Action:
    """A workshop's open answer, brainstorm idea or Q&A question becomes an action."""
    from platsa.workshops.models import Answer, Entry

    if isinstance(item, Entry):
        ref, text, question = f"workshop-entry:{item.pk}", item.text, item.question
    elif isinstance(item, Answer):
        ref, text, question = f"workshop-answer:{item.pk}", item.text, item.question
    else:
        raise PlanError("bad_choice")
    if item.hidden or not text.strip():
        raise PlanError("bad_choice")
    if question.workshop.process.place_id not in _plan_place_ids(plan):
        raise PlanError("not_in_plan")
    if published_only and not question.workshop.process.is_public:
        raise PlanError("not_in_plan")
    return _made(
        plan,
        actor,
        origin=Action.Origin.WORKSHOP,
        origin_ref=ref,
        title=text,
        description=text,
        origin_text=f"{question.workshop.process.title}: {question.prompt}",
        goals=goals,
    )


def _plan_place_ids(plan: Plan) -> set[int]:
    process = plan.process
    ids = {process.place_id}
    if process.place_set is not None:
        ids |= set(process.place_set.places.values_list("pk", flat=True))
    return ids


# --- funding -------------------------------------------------------------------------------


@transaction.atomic
def funding_line_save(
    *,
    action: Action,
    actor: User,
    name: str,
    status: str,
    source_id: str = "",
    amount: int | None = None,
    line: FundingLine | None = None,
) -> FundingLine:
    if status not in FundingLine.Status.values:
        raise PlanError("bad_choice")
    name = _line(name)
    if len(name) < 2:
        raise PlanError("title_short")
    if amount is not None and not 0 <= amount <= 10**13:
        raise PlanError("bad_number")
    if line is None:
        line = FundingLine(action=action)
    elif line.action_id != action.pk:
        raise PlanError("not_in_plan")
    line.name, line.status, line.source_id, line.amount = name, status, source_id[:80], amount
    line.save()
    log(action.plan, "funding.saved", actor=actor, obj=line, status=status)
    return line


@transaction.atomic
def funding_line_remove(*, line: FundingLine, actor: User) -> None:
    log(line.action.plan, "funding.removed", actor=actor, obj=line)
    line.delete()


@transaction.atomic
def local_funding_save(
    *,
    place: Place,
    plan: Plan | None = None,
    actor: User,
    name: str,
    publisher: str,
    funds: str,
    applicants: list[str],
    themes: list[str],
    amount_max: int | None,
    staged: bool,
    url: str = "",
    funding: LocalFunding | None = None,
) -> LocalFunding:
    name = _line(name)
    if len(name) < 3:
        raise PlanError("title_short")
    if url and not url.startswith(("https://", "http://")):
        raise PlanError("bad_url")
    if funding is None:
        funding = LocalFunding(place=place)
    elif funding.place_id != place.pk:
        raise PlanError("not_in_plan")
    funding.name = name
    funding.publisher = _line(publisher)
    funding.funds = _text(funds, SHORT_MAX)
    funding.applicants = [a for a in applicants if a in Lead.values]
    funding.themes = sorted({_line(t, 64) for t in themes if t})
    funding.amount_max = amount_max
    funding.staged = staged
    funding.url = url[:500]
    funding.save()
    if plan is not None:
        log(plan, "local_funding.saved", actor=actor, obj=funding)
    for each in Plan.objects.filter(process__place=place):
        plan_touch(each)
    return funding


@transaction.atomic
def local_funding_remove(*, funding: LocalFunding, plan: Plan, actor: User) -> None:
    """Remove a place's own programme; funding lines that named it keep its name."""
    if funding.place_id != plan.process.place_id:
        raise PlanError("not_in_plan")
    log(plan, "local_funding.removed", actor=actor, obj=funding)
    funding.delete()
    for each in Plan.objects.filter(process__place_id=plan.process.place_id):
        plan_touch(each)


# --- milestones and updates ----------------------------------------------------------------


@transaction.atomic
def milestone_save(
    *,
    action: Action,
    actor: User,
    title: str,
    due_on: date,
    milestone: Milestone | None = None,
) -> Milestone:
    title = _line(title)
    if len(title) < 3:
        raise PlanError("title_short")
    if not date(1950, 1, 1) <= due_on <= date(2100, 12, 31):
        raise PlanError("bad_year")
    if milestone is None:
        milestone = Milestone(action=action)
    elif milestone.action_id != action.pk:
        raise PlanError("not_in_plan")
    if milestone.due_on != due_on:
        milestone.reminded_on = None
    milestone.title, milestone.due_on = title, due_on
    milestone.save()
    log(action.plan, "milestone.saved", actor=actor, obj=milestone)
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: Milestone, actor: User) -> None:
    log(milestone.action.plan, "milestone.removed", actor=actor, obj=milestone)
    milestone.delete()


@transaction.atomic
def update_post(
    *,
    action: Action,
    actor: User,
    text: str,
    progress: int | None = None,
    status: str = "",
    milestone: Milestone | None = None,
    image_data: bytes | None = None,
) -> Update:
    """An owner's progress report: the text, and what it moves (the action's progress and
    status, a milestone done, a photo). A milestone already done stays done on its day."""
    text = _text(text, SHORT_MAX)
    if len(text) < 3:
        raise PlanError("text_short")
    progress = _check_progress(progress)
    if status and status not in Action.Status.values:
        raise PlanError("bad_choice")
    if milestone is not None and milestone.action_id != action.pk:
        raise PlanError("not_in_plan")
    image = None
    if image_data:
        from platsa.innovation.services import InnovationError, image_store

        try:
            image = image_store(image_data, actor)
        except InnovationError as error:
            raise PlanError(error.code) from None
    update = Update.objects.create(
        action=action,
        author=actor,
        author_name=_line(actor.display_name if hasattr(actor, "display_name") else "")
        or _line(action.owner_org),
        text=text,
        progress=progress,
        status=status if status and status != action.status else "",
        milestone=milestone,
        image=image,
    )
    fields = ["changed_at"]
    before_status = action.status
    if progress is not None and progress != action.progress:
        action.progress = progress
        fields.append("progress")
    if update.status:
        action.status = update.status
        fields.append("status")
        if action.status == Action.Status.DONE and "progress" not in fields:
            action.progress = PROGRESS_MAX
            fields.append("progress")
    action.changed_at = timezone.now()
    action.save(update_fields=fields)
    done_now = False
    if milestone is not None and milestone.done_on is None:
        milestone.done_on = timezone.localdate()
        milestone.save(update_fields=["done_on"])
        done_now = True
    log(
        action.plan,
        "update.posted",
        actor=actor,
        obj=update,
        action=action.pk,
        milestone=milestone.pk if done_now and milestone else None,
    )
    if update.status:
        _chain(action, "status", before=before_status)
    if done_now and milestone is not None:
        _chain(action, "milestone", milestone_id=milestone.pk)
    return update


def _chain(action: Action, event: str, **details: Any) -> None:
    """Tell the people behind an action's source, and those who follow it, that it moved
    (on commit, by the worker), once the plan is published: the e-mail links to its page."""
    from platsa.plans.models import ActionFollow

    if (
        action.idea_id is None
        and action.recommendation_id is None
        and not ActionFollow.objects.filter(action=action).exists()
    ):
        return
    if not Plan.objects.filter(pk=action.plan_id, process__is_public=True).exists():
        return
    from platsa.plans.notify import action_moved

    transaction.on_commit(lambda: action_moved(action.pk, event, details))


# --- roles and people ----------------------------------------------------------------------


@transaction.atomic
def member_add(*, plan: Plan, actor: User, email: str, role: str) -> PlanMember:
    """A role in this plan for an address (applies once its owner signs in with it)."""
    if role not in (PlanRole.VIEWER, PlanRole.EDITOR, PlanRole.ACTION_OWNER):
        raise PlanError("bad_choice")
    address = email.strip().lower()
    if "@" not in address or len(address) > 254:
        raise PlanError("bad_email")
    member, _created = PlanMember.objects.update_or_create(
        plan=plan, email=address, defaults={"role": role, "added_by": signed_in(actor)}
    )
    log(plan, "member.added", actor=actor, obj=member, role=role)
    return member


@transaction.atomic
def member_remove(*, member: PlanMember, actor: User) -> None:
    log(member.plan, "member.removed", actor=actor, obj=member)
    member.delete()


@transaction.atomic
def follow_set(*, action: Action, user: User, wanted: bool) -> bool:
    """Follow an action of a published plan by e-mail, or stop; True when following now."""
    from platsa.plans.models import ActionFollow

    if wanted:
        if not Plan.objects.filter(pk=action.plan_id, process__is_public=True).exists():
            raise PlanError("not_in_plan")
        ActionFollow.objects.get_or_create(action=action, user=user)
        Notify.objects.filter(user=user).delete()  # asking to be told overrides a no
        return True
    ActionFollow.objects.filter(action=action, user=user).delete()
    return False


@transaction.atomic
def notify_set(*, user: User, wanted: bool) -> None:
    """Whether ``user`` gets e-mails when actions made from their ideas move."""
    if wanted:
        Notify.objects.filter(user=user).delete()
    else:
        Notify.objects.get_or_create(user=user)


@transaction.atomic
def person_forget(*, user: User) -> None:
    """Before an account is deleted (GDPR art. 17): its updates stay with their actions (the
    plan's record of what happened) without its name; the roles given to its addresses go,
    and actions that named it as contact lose its name and address (an editor names a new
    contact); its opt-out goes with it."""
    from platsa.plans.access import verified_emails

    emails = verified_emails(user)
    Update.objects.filter(author=user).update(author_name="", author=None)
    if emails:
        for plan_id in set(
            PlanMember.objects.filter(email__in=emails).values_list("plan_id", flat=True)
        ) | set(Action.objects.filter(owner_email__in=emails).values_list("plan_id", flat=True)):
            PlanLog.objects.create(plan_id=plan_id, what="person.forgotten", details={})
        PlanMember.objects.filter(email__in=emails).delete()
        Action.objects.filter(owner_email__in=emails).update(
            owner_email="", owner_name="", owner_public=False, changed_at=timezone.now()
        )

"""Published action plans as open data: plans, their goals and indicators, their actions with
status, progress, milestones and funding, and their updates, read-only, in the same OpenAPI
schema as the rest of the API (so a municipality can publish its follow-up as open data).

What is here is what the public follow-up page shows: only plans their organisers published
(``Process.is_public``), a contact person's name only where they agreed, never an e-mail
address, and assessment scores only of published rounds past the public threshold.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router

from platsa.api import plan_schemas as schemas
from platsa.api.schemas import Error
from platsa.plans.follow_up import follow_up
from platsa.plans.kind import PLAN
from platsa.plans.models import Action, Plan, Update
from platsa.plans.selectors import plan_view

router = Router(tags=["plans"])


def _plans() -> QuerySet[Plan]:
    return Plan.objects.filter(process__kind=PLAN.id, process__is_public=True).select_related(
        "process__place__municipality"
    )


def _published(plan_id: int) -> Plan:
    plan = _plans().filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def _link(request: HttpRequest, path: str) -> str:
    from platsa.api.api import _absolute

    return _absolute(request, path)


def _summary(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    process = plan.process
    place = process.place
    counts = getattr(plan, "status_counts", None)
    return {
        "id": plan.pk,
        "title": process.title,
        "place": {"slug": place.slug, "name": place.name},
        "municipality": {
            "name": place.municipality.name,
            "code": place.municipality.code,
            "country": place.municipality.country,
        },
        "scope": plan.scope,
        "phase": {"id": process.phase, "label": str(process.get_phase_display())},
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "actions": counts,
        "page": _link(
            request,
            reverse(
                "plans_public:plan", kwargs={"place_slug": place.slug, "plan_slug": process.slug}
            ),
        ),
        "detail": _link(request, reverse("api:plan", kwargs={"plan_id": plan.pk})),
    }


@router.get(
    "/",
    response={200: schemas.PlanPage, 422: Error},
    url_name="plan_list",
)
def plan_list(
    request: HttpRequest,
    place: str | None = Query(None, description="A place's slug"),
    country: str | None = Query(None, description="SE, NO or FI"),
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Published action plans, newest first."""
    from platsa.api.api import _page

    rows = _plans()
    if place:
        rows = rows.filter(process__place__slug=place[:140])
    if country and len(country) == 2 and country.isalpha():
        rows = rows.filter(process__place__municipality__country=country.upper())
    statuses = {
        status: Count("actions", filter=Q(actions__status=status))
        for status in Action.Status.values
    }
    rows = rows.annotate(**{f"n_{k}": v for k, v in statuses.items()}).order_by(
        "-process__created_at", "-pk"
    )

    def build(plan: Plan) -> dict[str, Any]:
        plan.status_counts = {k: getattr(plan, f"n_{k}") for k in Action.Status.values}  # type: ignore[attr-defined]
        return _summary(request, plan)

    return _page(request, rows, limit, offset, build)


def _baseline(indicator: Any) -> tuple[float | None, int | None]:
    """The baseline typed in, or the value measured when the plan started."""
    row = getattr(indicator, "row", None)
    if row is None or row.baseline is None:
        return indicator.baseline, indicator.baseline_year
    return row.baseline, int(row.baseline_when) if row.baseline_when.isdigit() else None


def _points(indicator: Any) -> list[tuple[str, float]]:
    row = getattr(indicator, "row", None)
    return list(row.points) if row is not None else []


def _rollup(r: Any) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "actions": r.actions,
        "by_status": {str(k): v for k, v in r.by_status.items()},
        "progress": r.progress,
        "reported": r.reported,
        "milestones_done": r.milestones_done,
        "milestones_total": r.milestones_total,
        "milestones_overdue": r.milestones_overdue,
    }


@router.get(
    "/{int:plan_id}/",
    response={200: schemas.PlanDetail, 404: Error},
    url_name="plan",
)
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    """A published plan whole: vision, strategies, goals with indicators and their values,
    actions with milestones and funding, progress rolled up."""
    from django.core.cache import cache
    from django.utils import translation

    plan = _published(plan_id)
    # Open-data clients poll this: built once per version of the plan (its stamp moves with
    # every write, a round of its places frozen or published, the day for "overdue").
    key = "platsa:api:plan:" + "|".join(
        str(x)
        for x in (
            plan.pk,
            plan.changed_at.isoformat(),
            timezone.localdate(),
            translation.get_language(),
            request.build_absolute_uri("/"),
        )
    )
    found = cache.get(key)
    if found is None:
        found = _detail(request, plan)
        cache.set(key, found, 3600)
    return found


def _detail(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    view = plan_view(plan, public=True, timeline_max=0)
    figures = follow_up(view)
    today = timezone.localdate()
    summary = _summary(request, plan)
    summary["actions"] = dict(view.counts)
    return {
        **summary,
        "vision": plan.vision,
        "strategies": [
            {"level": s.level, "name": s.name, "url": s.url or None} for s in plan.strategies.all()
        ],
        "progress": _rollup(figures["whole"]),
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "description": g.description,
                "theme": g.theme_id or None,
                "place": g.place.slug if g.place_id and g.place else None,
                "progress": _rollup(getattr(g, "rollup", None)),
                "indicators": [
                    {
                        "id": i.pk,
                        "kind": i.kind,
                        "name": i.name,
                        "unit": i.unit,
                        "theme": i.theme_id or None,
                        "figure": i.fact_key or None,
                        "baseline": _baseline(i)[0],
                        "baseline_year": _baseline(i)[1],
                        "target": i.target,
                        "target_year": i.target_year,
                        "higher_is_better": i.higher_is_better,
                        "values": [{"when": w, "value": v} for w, v in _points(i)],
                    }
                    for i in g.indicators.all()
                ],
            }
            for g in view.goals
        ],
        "actions_list": [
            {
                "id": a.pk,
                "title": a.title,
                "description": a.description,
                "goals": list(getattr(a, "goal_ids", [])),
                "themes": list(a.themes or []),
                "place": a.place.slug if a.place_id and a.place else None,
                "status": a.status,
                "progress": a.progress,
                "lead": a.lead or None,
                "organisation": a.owner_org or None,
                "contact": a.owner_name if a.owner_public and a.owner_name else None,
                "partners": a.partners or None,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "budget": a.budget,
                "currency": a.currency,
                "origin": a.origin,
                "milestones": [
                    {
                        "title": m.title,
                        "due_on": m.due_on,
                        "done_on": m.done_on,
                        "overdue": m.done_on is None and m.due_on < today,
                    }
                    for m in a.milestones.all()
                ],
                "funding": [
                    {
                        "name": f.name,
                        "programme": f.source_id or None,
                        "status": f.status,
                        "amount": f.amount,
                    }
                    for f in a.funding.all()
                ],
            }
            for a in view.actions
        ],
        "updates": _link(request, reverse("api:plan_updates", kwargs={"plan_id": plan.pk})),
    }


@router.get(
    "/{int:plan_id}/updates/",
    response={200: schemas.UpdatePage, 404: Error, 422: Error},
    url_name="plan_updates",
)
def plan_updates(
    request: HttpRequest, plan_id: int, limit: int = 20, offset: int = 0
) -> dict[str, Any]:
    """A published plan's progress reports, newest first (who wrote them is not published)."""
    from platsa.api.api import _page

    plan = _published(plan_id)
    rows = (
        Update.objects.filter(action__plan=plan)
        .select_related("milestone")
        .order_by("-created_at", "-id")
    )
    return _page(
        request,
        rows,
        limit,
        offset,
        lambda u: {
            "id": u.pk,
            "action": u.action_id,
            "at": u.created_at,
            "text": u.text,
            "progress": u.progress,
            "status": u.status or None,
            "milestone": u.milestone.title if u.milestone_id and u.milestone else None,
        },
    )

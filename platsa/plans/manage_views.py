"""The member pages of a plan, under /platser/<place>/planer/: create it, shape it (vision,
SWOT, strategies, choices of path, goals with indicators), its actions with their funding,
milestones and updates, actions made in one click from what earlier steps produced, its
people, its phase and publication, and its audit log.

Every page loads the plan through :func:`platsa.plans.access.get_plan_for_user`; writes need
an editor (an owner or organiser of the place, or an editor by e-mail) while the phase opens
planning, except updates, which an action's owner posts on their own action while the phase
opens follow-up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from platsa.accounts.requests import AuthenticatedRequest
from platsa.places.access import get_place_for_user
from platsa.places.models import Membership, Place, Role
from platsa.plans import services
from platsa.plans.access import PlanAccess, get_plan_for_user
from platsa.plans.forms import (
    ActionForm,
    CreateForm,
    FundingForm,
    GoalForm,
    IndicatorForm,
    LocalFundingForm,
    MemberForm,
    MilestoneForm,
    PathForm,
    StrategyForm,
    TextsForm,
    UpdateForm,
    ValueForm,
    goal_objects,
    place_object,
)
from platsa.plans.funding import funding_choices, matches_for
from platsa.plans.messages import error_text
from platsa.plans.models import (
    Action,
    FundingLine,
    Goal,
    Indicator,
    LocalFunding,
    Milestone,
    Path,
    PlanLog,
    PlanMember,
    PlanRole,
    Strategy,
)
from platsa.plans.notify import reminders_due
from platsa.plans.selectors import plan_places, plan_view, theme_label
from platsa.plans.sources import sources_for
from platsa.plans.swot import swot_draft
from platsa.processes.access import PhaseClosed
from platsa.processes.kinds import Feature
from platsa.processes.services import PhaseError, process_set_phase, process_set_public

View = Callable[..., HttpResponse]


def _url(access: PlanAccess, name: str = "plans:manage", **kwargs: Any) -> str:
    from django.urls import reverse

    process = access.process
    return reverse(name, kwargs={"slug": process.place.slug, "plan_slug": process.slug, **kwargs})


def _back(access: PlanAccess, anchor: str = "") -> HttpResponse:
    return redirect(_url(access) + (f"#{anchor}" if anchor else ""))


def with_plan(needs: PlanRole, *, planning: bool = False) -> Callable[[View], View]:
    """A view of the plan for a signed-in member with at least ``needs``; ``planning``: a
    POST only while the phase opens planning (a page opened with GET is only shown)."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(
            request: AuthenticatedRequest, slug: str, plan_slug: str, *args: Any, **kw: Any
        ) -> HttpResponse:
            access = get_plan_for_user(request, slug, plan_slug, needs=needs)
            if planning and request.method == "POST" and not access.process.allows(Feature.PLAN):
                raise PhaseClosed(access.process, Feature.PLAN)
            return view(request, access, *args, **kw)

        return wrapped

    return decorate


editing = with_plan(PlanRole.EDITOR, planning=True)
member = with_plan(PlanRole.VIEWER)
phase_any = with_plan(PlanRole.OWNER)  # owners in every phase: publish a closed plan, reopen it


def _by_id(model: Any, value: str | None, **where: Any) -> Any:
    """The row whose id a form sent, of this plan (404 for another's, or for an id that is
    not a number); None when none was sent."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 12):
        raise Http404
    return get_object_or_404(model, pk=int(value), **where)


def _refused(request: HttpRequest, error: services.PlanError) -> None:
    messages.error(request, error_text(error))


# --- the plan ------------------------------------------------------------------------------


@login_required
def create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    others = Place.objects.filter(
        memberships__user=request.user, memberships__role__in=[Role.OWNER, Role.ORGANISER]
    ).exclude(pk=place.pk)
    form = CreateForm(request.POST or None, places=others.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                place=place,
                title=form.cleaned_data["title"],
                user=request.user,
                scope=form.cleaned_data["scope"],
                places=list(form.cleaned_data.get("places") or []),
                vision=form.cleaned_data["vision"],
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("The plan is made. Write its vision, then its goals and actions.")
            )
            return redirect("plans:manage", slug=place.slug, plan_slug=plan.process.slug)
    return render(request, "plans/create.html", {"place": place, "form": form})


@member
def manage(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    reminders_due()  # the hourly milestone reminders, without a scheduler
    view = plan_view(access.plan, public=not access.in_place)
    spec = access.process.kind_spec
    order = [p.id for p in spec.phases]
    next_phases = [
        {"phase": spec.phase(t), "back": order.index(t) < order.index(access.process.phase)}
        for t in spec.transitions.get(access.process.phase, ())
    ]
    mine = [a for a in view.actions if access.can_update(a)] if not access.edits else []
    return render(
        request,
        "plans/manage.html",
        {
            **_common(access),
            "view": view,
            "next_phases": next_phases if access.owns else [],
            "mine": mine,
            "theme_label": theme_label,
            "strategy_levels": Strategy.Level.choices,
            "statuses": Action.Status.choices,
        },
    )


def _common(access: PlanAccess) -> dict[str, Any]:
    return {
        "access": access,
        "plan": access.plan,
        "process": access.process,
        "place": access.process.place,
        "can_edit": access.may_edit_now(),
    }


@editing
def texts(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    plan = access.plan
    initial = {name: getattr(plan, name) for name in services.PLAN_TEXTS}
    initial |= {"starts_on": plan.starts_on, "ends_on": plan.ends_on}
    draft = swot_draft(plan, public=not access.in_place) if request.GET.get("utkast") else None
    if draft is not None:
        for name, lines in draft.items():
            if lines and not initial.get(name):
                initial[name] = "\n".join(f"- {line}" for line in lines)
    form = TextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        starts_on, ends_on = data.pop("starts_on"), data.pop("ends_on")
        try:
            services.plan_update(
                plan=plan, actor=request.user, starts_on=starts_on, ends_on=ends_on, **data
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Saved."))
            return _back(access, "vision")
    return render(request, "plans/texts.html", {**_common(access), "form": form, "draft": draft})


@phase_any
@transaction.atomic
def phase(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    if request.method == "POST":
        try:
            process_set_phase(
                process=access.process, phase=request.POST.get("phase", ""), actor=request.user
            )
        except (PhaseError, KeyError):
            messages.error(request, _("That step is not possible from the plan's phase."))
        else:
            services.log(access.plan, "plan.phase", actor=request.user, phase=access.process.phase)
    return _back(access)


@phase_any
@transaction.atomic
def publish(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    if request.method == "POST":
        public = request.POST.get("public") == "1"
        process_set_public(process=access.process, public=public, actor=request.user)
        services.log(
            access.plan, "plan.published" if public else "plan.unpublished", actor=request.user
        )
        messages.success(
            request,
            _("The follow-up page is public.")
            if public
            else _("The follow-up page is no longer public."),
        )
    return _back(access)


@editing
def strategy_add(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_add(plan=access.plan, actor=request.user, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            return _back(access, "strategies")
    # a refused strategy (or the address opened as a page): the form with what was typed
    return render(
        request,
        "plans/simple_form.html",
        {**_common(access), "form": form, "heading": _("Add a strategy")},
        status=400 if request.method == "POST" else 200,
    )


@editing
def strategy_remove(
    request: AuthenticatedRequest, access: PlanAccess, strategy_id: int
) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=strategy_id, plan=access.plan)
    if request.method == "POST":
        services.strategy_remove(strategy=strategy, actor=request.user)
    return _back(access, "strategies")


@editing
def path_edit(
    request: AuthenticatedRequest, access: PlanAccess, path_id: int | None = None
) -> HttpResponse:
    path = get_object_or_404(Path, pk=path_id, plan=access.plan) if path_id else None
    initial = {"title": path.title, "description": path.description} if path else None
    form = PathForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("remove") and path is not None:
            services.path_remove(path=path, actor=request.user)
            return _back(access, "paths")
        if form.is_valid():
            try:
                services.path_save(
                    plan=access.plan, actor=request.user, path=path, **form.cleaned_data
                )
            except services.PlanError as error:
                form.add_error(None, error_text(error))
            else:
                return _back(access, "paths")
    return render(
        request,
        "plans/simple_form.html",
        {
            **_common(access),
            "form": form,
            "heading": _("Choice of path"),
            "removable": path is not None,
        },
    )


# --- goals and indicators ------------------------------------------------------------------


@editing
def goal_edit(
    request: AuthenticatedRequest, access: PlanAccess, goal_id: int | None = None
) -> HttpResponse:
    plan = access.plan
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan) if goal_id else None
    places = plan_places(plan)
    initial = None
    if goal is not None:
        initial = {
            "title": goal.title,
            "description": goal.description,
            "theme_id": goal.theme_id,
            "path": goal.path_id or "",
            "place": goal.place_id or "",
        }
    form = GoalForm(request.POST or None, initial=initial, plan=plan, places=places)
    if request.method == "POST":
        if request.POST.get("remove") and goal is not None:
            services.goal_remove(goal=goal, actor=request.user)
            return _back(access, "goals")
        if form.is_valid():
            data = form.cleaned_data
            try:
                goal = services.goal_save(
                    plan=plan,
                    actor=request.user,
                    goal=goal,
                    title=data["title"],
                    description=data["description"],
                    theme_id=data["theme_id"],
                    path=plan.paths.filter(pk=data["path"]).first() if data["path"] else None,
                    place=place_object(places, data.get("place")),
                )
            except services.PlanError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("The goal is saved. Add how it is measured."))
                return redirect(_url(access, "plans:goal", goal_id=goal.pk))
    return _goal_page(request, access, goal, form)


def _goal_page(
    request: AuthenticatedRequest,
    access: PlanAccess,
    goal: Goal | None,
    form: GoalForm | None = None,
    indicator_form: IndicatorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The goal's page; after a refused indicator, with what was typed and why (status 400)."""
    if form is None:
        assert goal is not None
        form = GoalForm(
            initial={
                "title": goal.title,
                "description": goal.description,
                "theme_id": goal.theme_id,
                "path": goal.path_id or "",
                "place": goal.place_id or "",
            },
            plan=access.plan,
            places=plan_places(access.plan),
        )
    indicators = list(goal.indicators.prefetch_related("values")) if goal else []
    return render(
        request,
        "plans/goal.html",
        {
            **_common(access),
            "goal": goal,
            "form": form,
            "indicators": indicators,
            "indicator_form": indicator_form or IndicatorForm(kolada=_kolada(access)),
            "indicator_open": indicator_form is not None,
            "value_form": ValueForm(),
        },
        status=status,
    )


def _kolada(access: PlanAccess) -> list[tuple[str, str]]:
    from platsa.places.kolada import DEFAULT_KPIS

    return [(f"kolada:{k.id}", f"Kolada: {k.title}") for k in DEFAULT_KPIS]


@editing
def indicator_edit(
    request: AuthenticatedRequest, access: PlanAccess, goal_id: int, indicator_id: int | None = None
) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=goal_id, plan=access.plan)
    indicator = get_object_or_404(Indicator, pk=indicator_id, goal=goal) if indicator_id else None
    back = redirect(_url(access, "plans:goal", goal_id=goal.pk))
    if request.method != "POST":
        return back
    if request.POST.get("remove") and indicator is not None:
        services.indicator_remove(indicator=indicator, actor=request.user)
        return back
    form = IndicatorForm(request.POST, kolada=_kolada(access))
    if form.is_valid():
        try:
            services.indicator_save(
                goal=goal, actor=request.user, indicator=indicator, **form.cleaned_data
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            return back
    return _goal_page(request, access, goal, indicator_form=form, status=400)


@editing
def indicator_value(
    request: AuthenticatedRequest, access: PlanAccess, goal_id: int, indicator_id: int
) -> HttpResponse:
    indicator = get_object_or_404(
        Indicator, pk=indicator_id, goal__pk=goal_id, goal__plan=access.plan
    )
    if request.method == "POST":
        form = ValueForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_value_set(
                    indicator=indicator, actor=request.user, **form.cleaned_data
                )
            except services.PlanError as error:
                _refused(request, error)
        else:
            messages.error(request, _("Give a year between 1950 and 2100 and a number."))
    return redirect(_url(access, "plans:goal", goal_id=goal_id))


# --- actions -------------------------------------------------------------------------------


def _action_data(form: ActionForm, access: PlanAccess, places: list[Any]) -> services.ActionData:
    data = form.cleaned_data
    return services.ActionData(
        title=data["title"],
        description=data["description"],
        goals=goal_objects(access.plan, data.get("goals", [])) if "goals" in form.fields else None,
        place=place_object(places, data.get("place")),
        themes=data["themes"],
        owner_org=data["owner_org"],
        owner_name=data["owner_name"],
        owner_email=data["owner_email"],
        owner_public=data["owner_public"],
        lead=data["lead"],
        partners=data["partners"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        budget=data["budget"],
        outputs=data["outputs"],
        results=data["results"],
        status=data["status"],
        progress=data["progress"],
    )


def _action_initial(action: Action) -> dict[str, Any]:
    fields = [
        "title", "description", "owner_org", "owner_name", "owner_email", "owner_public",
        "lead", "partners", "starts_on", "ends_on", "budget", "outputs", "results", "status",
        "progress",
    ]  # fmt: skip
    initial = {name: getattr(action, name) for name in fields}
    initial["goals"] = [str(g) for g in action.goals.values_list("pk", flat=True)]
    initial["themes"] = list(action.themes or [])
    initial["place"] = action.place_id or ""
    return initial


@editing
def action_new(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    places = plan_places(access.plan)
    form = ActionForm(
        request.POST or None, plan=access.plan, places=places, initial={"status": "planned"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_save(
                plan=access.plan, actor=request.user, data=_action_data(form, access, places)
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The action is added. Give it milestones and funding."))
            return redirect(_url(access, "plans:action", action_id=action.pk))
    return render(
        request, "plans/action_form.html", {**_common(access), "form": form, "action": None}
    )


@member
def action(request: AuthenticatedRequest, access: PlanAccess, action_id: int) -> HttpResponse:
    """An action's page: its details (a form for editors), milestones, funding with the
    programmes that fit it, and its updates (a form for whoever may update it)."""
    item = get_object_or_404(
        Action.objects.select_related(
            "recommendation__snapshot__round__process", "idea__process__place", "place"
        ),
        pk=action_id,
        plan=access.plan,
    )
    places = plan_places(access.plan)
    form = None
    if access.edits:
        form = ActionForm(
            request.POST or None, plan=access.plan, places=places, initial=_action_initial(item)
        )
        if request.method == "POST":
            if not access.process.allows(Feature.PLAN):
                raise PhaseClosed(access.process, Feature.PLAN)
            if request.POST.get("remove"):
                services.action_remove(action=item, actor=request.user)
                messages.success(request, _("The action is removed."))
                return _back(access, "actions")
            if form.is_valid():
                try:
                    services.action_save(
                        plan=access.plan,
                        actor=request.user,
                        data=_action_data(form, access, places),
                        action=item,
                    )
                except services.PlanError as error:
                    form.add_error(None, error_text(error))
                else:
                    messages.success(request, _("Saved."))
                    return redirect(_url(access, "plans:action", action_id=item.pk))
    elif request.method == "POST":
        raise PermissionDenied
    return _action_page(request, access, item, form=form)


def _action_page(
    request: AuthenticatedRequest,
    access: PlanAccess,
    item: Action,
    *,
    form: ActionForm | None = None,
    milestone_form: MilestoneForm | None = None,
    funding_form: FundingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The action's page; after a refused milestone or funding line, with what was typed
    and why, the form open (status 400)."""
    if form is None and access.edits:
        form = ActionForm(
            plan=access.plan, places=plan_places(access.plan), initial=_action_initial(item)
        )
    return render(
        request,
        "plans/action.html",
        {
            **_common(access),
            "action": item,
            "form": form,
            "may_update": access.can_update(item) and access.process.allows(Feature.FOLLOW),
            "update_form": UpdateForm(action=item),
            "milestone_form": milestone_form or MilestoneForm(),
            "funding_form": funding_form or FundingForm(sources=funding_choices(access.plan)),
            "milestone_open": milestone_form is not None,
            "funding_open": funding_form is not None,
            "matches": matches_for(item, access.plan),
            "updates": item.updates.select_related("milestone")[:100],
            "reasons": _reasons(item, access),
            "theme_label": theme_label,
        },
        status=status,
    )


def _reasons(item: Action, access: PlanAccess) -> list[str]:
    """The recommendation's reasons, in words, when the action came from one; for someone
    from outside the place only when the round's results are published (they quote its
    scores and groups)."""
    if item.recommendation is None:
        return []
    if not access.in_place and not item.recommendation.snapshot.round.process.is_public:
        return []
    from platsa.plans.sources import recommendation_reasons

    return recommendation_reasons(item.recommendation)


def _own_action(
    request: AuthenticatedRequest,
    slug: str,
    plan_slug: str,
    action_id: int,
    feature: Feature | None,
) -> tuple[PlanAccess, Action]:
    access = get_plan_for_user(request, slug, plan_slug, needs=PlanRole.VIEWER)
    item = get_object_or_404(Action, pk=action_id, plan=access.plan)
    if not access.can_update(item):
        raise PermissionDenied
    if feature is not None and request.method == "POST" and not access.process.allows(feature):
        raise PhaseClosed(access.process, feature)
    return access, item


@login_required
def update_post(
    request: AuthenticatedRequest, slug: str, plan_slug: str, action_id: int
) -> HttpResponse:
    access, item = _own_action(request, slug, plan_slug, action_id, Feature.FOLLOW)
    back = redirect(_url(access, "plans:action", action_id=item.pk) + "#updates")
    if request.method != "POST":
        return back
    form = UpdateForm(request.POST, request.FILES, action=item)
    if not form.is_valid():
        return render(
            request,
            "plans/update_form.html",
            {**_common(access), "action": item, "update_form": form},
            status=400,
        )
    upload = form.cleaned_data.get("image")
    try:
        services.update_post(
            action=item,
            actor=request.user,
            text=form.cleaned_data["text"],
            progress=form.cleaned_data["progress"],
            status=form.cleaned_data["status"] or "",
            milestone=form.milestone_object(item),
            image_data=upload.read() if upload else None,
        )
    except services.PlanError as error:
        form.add_error(None, error_text(error))
        return render(
            request,
            "plans/update_form.html",
            {**_common(access), "action": item, "update_form": form},
            status=400,
        )
    messages.success(request, _("The update is posted."))
    return back


@login_required
def milestone_edit(
    request: AuthenticatedRequest,
    slug: str,
    plan_slug: str,
    action_id: int,
    milestone_id: int | None = None,
) -> HttpResponse:
    """Milestones are the action's own plan: its owner keeps them up to date (while the
    plan is followed up) as editors do (while it is planned)."""
    access, item = _own_action(request, slug, plan_slug, action_id, None)
    back = redirect(_url(access, "plans:action", action_id=item.pk) + "#milestones")
    milestone = get_object_or_404(Milestone, pk=milestone_id, action=item) if milestone_id else None
    if request.method != "POST":
        return back
    feature = Feature.PLAN if access.edits else Feature.FOLLOW
    if not access.process.allows(feature):
        raise PhaseClosed(access.process, feature)
    if request.POST.get("remove") and milestone is not None:
        services.milestone_remove(milestone=milestone, actor=request.user)
        return back
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_save(
                action=item, actor=request.user, milestone=milestone, **form.cleaned_data
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            return back
    return _action_page(request, access, item, milestone_form=form, status=400)


@editing
def funding_add(request: AuthenticatedRequest, access: PlanAccess, action_id: int) -> HttpResponse:
    item = get_object_or_404(Action, pk=action_id, plan=access.plan)
    back = redirect(_url(access, "plans:action", action_id=item.pk) + "#funding")
    if request.method != "POST":
        return back
    line = _by_id(FundingLine, request.POST.get("line"), action=item)
    if request.POST.get("remove") and line is not None:
        services.funding_line_remove(line=line, actor=request.user)
        return back
    form = FundingForm(request.POST, sources=funding_choices(access.plan))
    if form.is_valid():
        try:
            services.funding_line_save(
                action=item, actor=request.user, line=line, **form.cleaned_data
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            return back
    return _action_page(request, access, item, funding_form=form, status=400)


@editing
def local_funding(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    """The place's own programmes: they belong to the place, so only its owners and
    organisers add or remove them (an editor by e-mail reads them)."""
    place = access.process.place
    form = LocalFundingForm(request.POST or None)
    if request.method == "POST" and not access.owns:
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("remove"):
        row = _by_id(LocalFunding, request.POST["remove"], place=place)
        services.local_funding_remove(funding=row, plan=access.plan, actor=request.user)
        return redirect(_url(access, "plans:local_funding"))
    if request.method == "POST" and form.is_valid():
        try:
            services.local_funding_save(
                place=place, plan=access.plan, actor=request.user, **form.cleaned_data
            )
        except services.PlanError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("The programme is added; it is matched to the plan's actions now.")
            )
            return redirect(_url(access, "plans:local_funding"))
    return render(
        request,
        "plans/local_funding.html",
        {**_common(access), "form": form, "programmes": place.local_funding.all()},
    )


# --- actions from what earlier steps produced ----------------------------------------------


@editing
def sources(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    """Recommendations, selected ideas, workshop answers and catalogue actions that can
    become actions of the plan, each with one button."""
    query = request.GET.get("q", "")[:100]
    found = sources_for(access.plan, query=query, published_only=not access.in_place)
    sections = [
        (
            "recs",
            _("Recommendations of the assessment"),
            _("No frozen assessment results of the plan's places yet."),
            found["recommendations"],
        ),
        (
            "ideas",
            _("Selected ideas"),
            _("No selected ideas in the places' open-innovation processes yet."),
            found["ideas"],
        ),
        (
            "workshop",
            _("Workshop answers"),
            _("No workshop answers of the plan's places yet."),
            found["workshop"],
        ),
        (
            "catalogue",
            _("The action catalogue"),
            _("Search for an action: for example bredband, bostäder, föreningar.")
            if not query
            else _("Nothing in the catalogue matches."),
            found["catalogue"],
        ),
    ]
    return render(
        request,
        "plans/sources.html",
        {**_common(access), "found": found, "sections": sections, "q": query},
    )


@editing
def make_from(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    if request.method != "POST":
        return redirect(_url(access, "plans:sources"))
    kind, _sep, ref = request.POST.get("source", "").partition(":")
    try:
        made = _make(access, kind, ref, request.user)
    except services.PlanError as error:
        found = error.params.get("action")
        if error.code == "already_in_plan" and isinstance(found, Action):
            messages.info(request, error_text(error))
            return redirect(_url(access, "plans:action", action_id=found.pk))
        _refused(request, error)
        return redirect(_url(access, "plans:sources"))
    messages.success(
        request, _("The action is in the plan. Check its owner, dates and milestones.")
    )
    return redirect(_url(access, "plans:action", action_id=made.pk))


def _make(access: PlanAccess, kind: str, ref: str, user: Any) -> Action:
    from platsa.assessments.models import FrozenRecommendation
    from platsa.innovation.models import Idea
    from platsa.workshops.models import Answer, Entry

    plan = access.plan
    if kind == "catalogue":
        return services.action_from_catalogue(plan=plan, action_id=ref[:120], actor=user)
    if not (ref.isascii() and ref.isdigit() and len(ref) <= 12):
        raise Http404
    outside = not access.in_place
    if kind == "recommendation":
        rec = get_object_or_404(
            FrozenRecommendation.objects.select_related("snapshot__round__process"), pk=ref
        )
        return services.action_from_recommendation(
            plan=plan, recommendation=rec, actor=user, published_only=outside
        )
    if kind == "idea":
        if outside:  # it changes the idea's status and tells its supporters: the place's call
            raise PermissionDenied
        idea = get_object_or_404(Idea.objects.select_related("process"), pk=ref)
        return services.action_from_idea(plan=plan, idea=idea, actor=user)
    if kind == "workshop-entry":
        entry = get_object_or_404(
            Entry.objects.select_related("question__workshop__process"), pk=ref
        )
        return services.action_from_workshop(
            plan=plan, item=entry, actor=user, published_only=outside
        )
    if kind == "workshop-answer":
        answer = get_object_or_404(
            Answer.objects.select_related("question__workshop__process"), pk=ref
        )
        return services.action_from_workshop(
            plan=plan, item=answer, actor=user, published_only=outside
        )
    raise Http404


# --- people and the log --------------------------------------------------------------------


@phase_any
def people(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            row = _by_id(PlanMember, remove, plan=access.plan)
            assert row is not None
            services.member_remove(member=row, actor=request.user)
            return redirect(_url(access, "plans:people"))
        if form.is_valid():
            try:
                services.member_add(plan=access.plan, actor=request.user, **form.cleaned_data)
            except services.PlanError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request, _("Added. The role applies when they sign in with that address.")
                )
                return redirect(_url(access, "plans:people"))
    place_people = Membership.objects.filter(place=access.process.place).select_related("user")
    return render(
        request,
        "plans/people.html",
        {
            **_common(access),
            "form": form,
            "members": access.plan.members.all(),
            "place_people": place_people,
            "owners": Action.objects.filter(plan=access.plan)
            .exclude(owner_email="")
            .values("owner_email", "title"),
        },
    )


@member
def audit(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    if not access.edits:
        raise PermissionDenied
    from platsa.plans.log_labels import label

    rows = list(PlanLog.objects.filter(plan=access.plan).select_related("actor")[:500])
    for row in rows:
        row.label = label(row.what)  # type: ignore[attr-defined]
    return render(request, "plans/log.html", {**_common(access), "rows": rows})


@member
def preview(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    """The follow-up page as the public will see it (or sees it), for the plan's members,
    also before it is published; a member from outside the place sees only published
    assessment figures, as the public does."""
    from platsa.plans.public_views import follow_up_context

    return render(
        request,
        "plans/public.html",
        {
            **_common(access),
            **follow_up_context(request, access.plan, public=not access.in_place),
            "preview": True,
        },
    )


# --- accountability data in and out --------------------------------------------------------


@member
def accountability(request: AuthenticatedRequest, access: PlanAccess) -> HttpResponse:
    """GET ``?format=csv|xlsx``: the actions as a spreadsheet (members); POST a filled-in
    file (editors, while the plan is open): every row checked, then all applied or none."""
    from django.utils.text import slugify

    from platsa.plans.accountability import (
        AccountabilityError,
        apply_rows,
        export_csv,
        export_xlsx,
        read_rows,
    )
    from platsa.web.downloads import download

    name = slugify(access.process.title)[:60] or "plan"
    if request.method != "POST":
        wanted = request.GET.get("format")
        if wanted == "csv":
            return download(export_csv(access.plan), "text/csv; charset=utf-8", f"{name}.csv")
        if wanted == "xlsx":
            return download(
                export_xlsx(access.plan),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                f"{name}.xlsx",
            )
        return render(request, "plans/accountability.html", {**_common(access), "problems": []})
    if not access.edits:
        raise PermissionDenied
    if not access.process.allows(Feature.PLAN):
        raise PhaseClosed(access.process, Feature.PLAN)
    upload = request.FILES.get("file")
    problems: list[str] = []
    if upload is None:
        problems = [_("Choose the file first.")]
    else:
        try:
            rows = read_rows(access.plan, upload.read(), upload.name or "")
        except AccountabilityError as error:
            problems = error.problems
        else:
            done = apply_rows(plan=access.plan, actor=request.user, rows=rows)
            messages.success(
                request,
                _(
                    "Read. {added} actions added, {changed} changed, {updates} updates posted."
                ).format(added=done.added, changed=done.changed, updates=done.updates),
            )
            return _back(access, "actions")
    return render(
        request, "plans/accountability.html", {**_common(access), "problems": problems}, status=400
    )

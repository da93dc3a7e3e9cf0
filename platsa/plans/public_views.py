"""The public follow-up of a published plan, under /uppfoljning/<place>/<plan>/: its goals
with their indicators over time, its actions with status and progress, a timeline of
milestones and updates, and who is responsible; an Atom feed of its updates; one page per
action. In Swedish and English (the visitor's language).

Only what the organiser published is shown: a plan that is not public is 404, and a
contact person is named only where they agreed (their address never). Pages are cached for
anonymous visitors on the plan's change stamp and the day (a milestone becomes overdue at
midnight without anything being written).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from platsa.accounts.requests import AuthenticatedRequest
from platsa.plans import services
from platsa.plans.access import public_plan
from platsa.plans.follow_up import follow_up
from platsa.plans.models import Action, Notify, Plan, Update
from platsa.plans.selectors import plan_view, theme_label
from platsa.web import pagecache
from platsa.web.ratelimit import hit

_STAMP = """
SELECT pl.id, pl.changed_at FROM plans_plan pl
JOIN processes_process pr ON pr.id = pl.process_id
JOIN places_place p ON p.id = pr.place_id
WHERE p.slug = %s AND pr.slug = %s AND pr.kind = 'plan' AND pr.is_public
"""


def _stamp(place_slug: str, plan_slug: str) -> tuple[int, Any] | None:
    """The published plan's id and change stamp in one small query (the cached page's key
    is made of them; nothing else is read when the page is in the cache)."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP, [place_slug, plan_slug])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _key(kind: str, found: tuple[int, Any], *extra: object) -> str:
    return f"plan-{kind}:" + pagecache.digest(
        found[0],
        found[1],
        timezone.localdate(),
        (translation.get_language() or "sv")[:2],
        pagecache.build_id(),
        *extra,
    )


def plan_page(request: HttpRequest, place_slug: str, plan_slug: str) -> HttpResponse:
    found = _stamp(place_slug, plan_slug)
    if found is None:
        raise Http404

    def render_page(for_cache: bool) -> HttpResponse:
        plan = public_plan(place_slug, plan_slug)
        return render(
            request,
            "plans/public.html",
            {
                **follow_up_context(request, plan, public=True),
                **pagecache.page_context(for_cache),
            },
        )

    return pagecache.serve(request, _key("page", found), render_page, shared=True)


def follow_up_context(request: HttpRequest, plan: Plan, *, public: bool) -> dict[str, Any]:
    """What plans/public.html shows, for the public page and for the members' preview."""
    process = plan.process
    view = plan_view(plan, public=public)
    return {
        "plan": plan,
        "process": process,
        "place": process.place,
        "view": view,
        "loop": follow_up(view),
        "theme_label": theme_label,
        "share_url": request.build_absolute_uri(request.path),
        # Each action's address, without reversing it 400 times.
        "action_base": reverse(
            "plans_public:action",
            kwargs={"place_slug": process.place.slug, "plan_slug": process.slug, "action_id": 0},
        ).removesuffix("0/"),
    }


def action_page(
    request: HttpRequest, place_slug: str, plan_slug: str, action_id: int
) -> HttpResponse:
    found = _stamp(place_slug, plan_slug)
    if found is None:
        raise Http404

    def render_page(for_cache: bool) -> HttpResponse:
        plan = public_plan(place_slug, plan_slug)
        action = get_object_or_404(
            Action.objects.select_related("place", "idea__process__place"), pk=action_id, plan=plan
        )
        following = (
            not for_cache
            and request.user.is_authenticated
            and action.followers.filter(user_id=request.user.pk).exists()
        )
        return render(
            request,
            "plans/public_action.html",
            {
                "plan": plan,
                "process": plan.process,
                "place": plan.process.place,
                "action": action,
                "milestones": list(action.milestones.all()),
                "updates": list(action.updates.select_related("milestone")[:200]),
                "funding": list(action.funding.all()),
                "goals": list(action.goals.all()),
                "theme_label": theme_label,
                "today": timezone.localdate(),
                "following": following,
                "signed_in": request.user.is_authenticated and not for_cache,
                **pagecache.page_context(for_cache),
            },
        )

    return pagecache.serve(request, _key("action", found, action_id), render_page, shared=True)


class _Feed(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


def feed(request: HttpRequest, place_slug: str, plan_slug: str) -> HttpResponse:
    """The plan's updates as an Atom feed (the newest 100), for feed readers and for the
    municipality's own site."""
    found = _stamp(place_slug, plan_slug)
    if found is None:
        raise Http404

    def render_feed(for_cache: bool) -> HttpResponse:
        plan = public_plan(place_slug, plan_slug)
        process = plan.process
        page = request.build_absolute_uri(
            reverse("plans_public:plan", kwargs={"place_slug": place_slug, "plan_slug": plan_slug})
        )
        atom = _Feed(
            title=_("{plan}: updates").format(plan=process.title),
            link=page,
            description=_("What happened in the actions of the plan {plan}.").format(
                plan=process.title
            ),
            language=(translation.get_language() or "sv")[:2],
            feed_url=request.build_absolute_uri(request.path),
        )
        updates = (
            Update.objects.filter(action__plan=plan)
            .select_related("action", "milestone")
            .order_by("-created_at", "-id")[:100]
        )
        for update in updates:
            link = request.build_absolute_uri(
                reverse(
                    "plans_public:action",
                    kwargs={
                        "place_slug": place_slug,
                        "plan_slug": plan_slug,
                        "action_id": update.action_id,
                    },
                )
            )
            lines = [update.text]
            if update.milestone_id and update.milestone:
                lines.append(_("Milestone done: {m}").format(m=update.milestone.title))
            if update.progress is not None:
                lines.append(_("Progress: {p} %").format(p=update.progress))
            atom.add_item(
                title=update.action.title,
                link=f"{link}#update-{update.pk}",
                description="\n".join(lines),
                pubdate=update.created_at,
                unique_id=f"{link}#update-{update.pk}",
            )
        response = HttpResponse(content_type=atom.content_type)
        atom.write(response, "utf-8")
        return response

    return pagecache.serve(request, _key("feed", found), render_feed, shared=True)


def image(request: HttpRequest, place_slug: str, plan_slug: str, update_id: int) -> HttpResponse:
    """An update's photo, for anyone while the plan is published."""
    plan = public_plan(place_slug, plan_slug)
    row = (
        Update.objects.filter(pk=update_id, action__plan=plan)
        .exclude(image=None)
        .values_list("image__data", "image__content_type")
        .first()
    )
    if row is None:
        raise Http404
    response = HttpResponse(bytes(row[0]), content_type=row[1])
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def follow(
    request: AuthenticatedRequest, place_slug: str, plan_slug: str, action_id: int
) -> HttpResponse:
    """Follow an action by e-mail (or stop): signed in with a code, from its public page."""
    plan = public_plan(place_slug, plan_slug)
    action = get_object_or_404(Action, pk=action_id, plan=plan)
    page = reverse(
        "plans_public:action",
        kwargs={"place_slug": place_slug, "plan_slug": plan_slug, "action_id": action.pk},
    )
    if request.method == "POST":
        if not hit(request, f"plan-follow:{request.user.pk}", "60/600"):
            messages.error(request, _("Many changes in a short time: wait a while."))
            return redirect(page)
        wanted = request.POST.get("wanted") == "1"
        services.follow_set(action=action, user=request.user, wanted=wanted)
        messages.success(
            request,
            _("You will get an e-mail when the action moves.")
            if wanted
            else _("You no longer follow the action."),
        )
    return redirect(page)


@login_required
def notify(request: AuthenticatedRequest) -> HttpResponse:
    """Say yes or no to e-mails about actions made from one's ideas."""
    opted_out = Notify.objects.filter(user=request.user).exists()
    if request.method == "POST":
        wanted = request.POST.get("wanted") == "1"
        services.notify_set(user=request.user, wanted=wanted)
        messages.success(
            request,
            _("You get these e-mails again.") if wanted else _("You no longer get these e-mails."),
        )
        return redirect("plans_public:notify")
    return render(request, "plans/notify.html", {"opted_out": opted_out})


def _when(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d")

"""E-mails of action plans, sent by the task worker, never in the request.

- Along the chain: when an action made from an idea changes status or completes a
  milestone, the idea's author, commenters and supporters are told (decidim#3974 asks for
  this since 2018); for an action made from a recommendation, the organisers of the round's
  place are. Anyone may say no (:class:`~platsa.plans.models.Notify`, opt-out per person).
  A workshop's room has no accounts (phones answer anonymously), so nobody can be told
  there; the plan's public page and its feed say it instead.
- Reminders: the contact of an action gets one e-mail when a milestone falls due within a
  week, and one more once it is overdue. ``reminders_due()`` runs at most once an hour,
  started by a visit to a plan's page or by ``manage.py plan_reminders`` from cron.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from platsa.accounts.models import User

SOON = timedelta(days=7)


def _link(path: str) -> str:
    base = settings.PLATSA_SITE_URL.rstrip("/")
    return f"{base}{path}" if base else path


def chain_recipients(action_id: int) -> list[str]:
    """Who is told when the action moves, each once, without those who opted out."""
    from platsa.innovation.notify import recipients
    from platsa.places.models import Membership, Role
    from platsa.plans.models import Action

    action = (
        Action.objects.select_related("recommendation__snapshot__round__process")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        return []
    addresses: set[str] = set(
        User.objects.filter(plan_follows__action_id=action_id, is_active=True).values_list(
            "email", flat=True
        )
    )
    if action.idea_id:
        addresses |= set(recipients(action.idea_id))
    if action.recommendation_id and action.recommendation:
        place_id = action.recommendation.snapshot.round.process.place_id
        addresses |= set(
            Membership.objects.filter(
                place_id=place_id, role__in=[Role.OWNER, Role.ORGANISER]
            ).values_list("user__email", flat=True)
        )
    opted_out = set(User.objects.filter(plan_notify__isnull=False).values_list("email", flat=True))
    return sorted(a for a in addresses - opted_out if a)


def action_moved(action_id: int, event: str, details: dict[str, Any]) -> None:
    action_moved_mail.enqueue(action_id, event, details)


@task()
def action_moved_mail(action_id: int, event: str, details: dict[str, Any]) -> None:
    from platsa.plans.models import Action, Milestone

    action = Action.objects.select_related("plan__process__place").filter(pk=action_id).first()
    if action is None:
        return
    process = action.plan.process
    path = reverse(
        "plans_public:action",
        kwargs={
            "place_slug": process.place.slug,
            "plan_slug": process.slug,
            "action_id": action.pk,
        },
    )
    with translation.override(settings.LANGUAGE_CODE):
        if event == "milestone":
            milestone = Milestone.objects.filter(pk=int(details.get("milestone_id") or 0)).first()
            what = _("completed the milestone “{milestone}”").format(
                milestone=milestone.title if milestone else "?"
            )
        else:
            what = _("is now: {status}").format(status=action.get_status_display())
        subject = _("[Platsa] “{title}” {what}").format(title=action.title[:60], what=what)
        if action.idea_id and action.idea:
            where = _("It was made from the idea “{idea}”.").format(idea=action.idea.title)
        elif action.recommendation_id:
            where = _("It was made from a recommendation of your place's assessment.")
        else:
            where = ""
        body = "\n".join(
            [
                _("The action “{title}” in the plan {plan} {what}.").format(
                    title=action.title, plan=process.title, what=what
                ),
                where,
                "",
                _("Follow it: {link}").format(link=_link(path)),
                "",
                _(
                    "You get this because you follow the action, wrote, commented on or "
                    "supported its idea, or organise the place. To stop these e-mails: {link}"
                ).format(link=_link(reverse("plans_public:notify"))),
            ]
        )
    sender = settings.DEFAULT_FROM_EMAIL
    send_mass_mail(
        [(subject, body, sender, [a]) for a in chain_recipients(action_id)], fail_silently=False
    )


# --- milestone reminders -------------------------------------------------------------------


def reminders_due() -> bool:
    """Queue the reminders if an hour has passed since they last ran."""
    if not cache.add("platsa:plan-reminders", 1, 3600):
        return False
    send_reminders.enqueue()
    return True


def pending(today: date) -> list[tuple[int, str]]:
    """(milestone id, "due" or "overdue") of the milestones to remind of today: not done, of
    an action with a contact address, in a plan in effect; due within a week and not yet
    reminded, or overdue and not reminded since it fell due."""
    return [(pk, state) for pk, state, _reminded in _pending(today)]


def _pending(today: date) -> list[tuple[int, str, date | None]]:
    """:func:`pending` with the day each was last reminded (the claim compares it)."""
    from platsa.plans.models import Milestone

    rows = (
        Milestone.objects.filter(done_on=None, due_on__lte=today + SOON)
        .exclude(action__owner_email="")
        .filter(action__plan__process__phase__in=["in_effect", "revising"])
        .exclude(action__status__in=["done", "stopped"])
        .values_list("pk", "due_on", "reminded_on")
    )
    out = []
    for pk, due_on, reminded_on in rows:
        if due_on < today:
            if reminded_on is None or reminded_on <= due_on:
                out.append((pk, "overdue", reminded_on))
        elif reminded_on is None:
            out.append((pk, "due", reminded_on))
    return out


@task()
def send_reminders() -> int:
    """Send the reminders; how many e-mails went."""
    from platsa.plans.models import Milestone

    today = timezone.localdate()
    found = _pending(today)
    if not found:
        return 0
    # Each reminder is claimed before it is sent: two workers (or the worker and cron) that
    # run at once send it once; a send that fails is not sent again every hour.
    states = {}
    for pk, state, before in found:
        claimed = (
            Milestone.objects.filter(pk=pk, reminded_on=before)
            if before
            else Milestone.objects.filter(pk=pk, reminded_on__isnull=True)
        ).update(reminded_on=today)
        if claimed:
            states[pk] = state
    milestones = Milestone.objects.select_related("action__plan__process__place").filter(
        pk__in=states
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for milestone in milestones:
            action = milestone.action
            process = action.plan.process
            path = reverse(
                "plans:action",
                kwargs={
                    "slug": process.place.slug,
                    "plan_slug": process.slug,
                    "action_id": action.pk,
                },
            )
            if states[milestone.pk] == "overdue":
                subject = _("[Platsa] Overdue: “{milestone}”").format(
                    milestone=milestone.title[:60]
                )
                first = _("The milestone “{milestone}” of “{action}” was due on {day}.")
            else:
                subject = _("[Platsa] Due soon: “{milestone}”").format(
                    milestone=milestone.title[:60]
                )
                first = _("The milestone “{milestone}” of “{action}” is due on {day}.")
            body = "\n".join(
                [
                    first.format(
                        milestone=milestone.title, action=action.title, day=milestone.due_on
                    ),
                    _("When it is done, post an update and tick the milestone: {link}").format(
                        link=_link(path)
                    ),
                    "",
                    _(
                        "You get this because you are the contact of the action in the plan {plan}."
                    ).format(plan=process.title),
                ]
            )
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [action.owner_email]))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)

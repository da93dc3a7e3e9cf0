"""Who may do what with a plan: the only way the plan's member pages load it.

The effective role is the highest of: the place membership (an owner or organiser of the
organising place owns its plans; a viewer views), a :class:`PlanMember` row for one of the
visitor's verified addresses, and "owner of an action" when one of the plan's actions names
a verified address of theirs as its contact. Someone with none of these gets 404, as for
every member page (a plan's existence is not revealed); too low a role gets 403.

An action owner may update only their own actions: :func:`can_update` is the one check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest

from platsa.accounts.models import User
from platsa.places.access import member_role
from platsa.places.models import Role
from platsa.plans.kind import PLAN
from platsa.plans.models import PLAN_ROLE_RANK, Action, Plan, PlanMember, PlanRole
from platsa.processes.kinds import Feature
from platsa.processes.models import Process

_FROM_PLACE = {Role.OWNER: PlanRole.OWNER, Role.ORGANISER: PlanRole.OWNER, Role.VIEWER: None}


@dataclass(frozen=True)
class PlanAccess:
    process: Process
    plan: Plan
    role: PlanRole
    emails: frozenset[str]  # the visitor's verified addresses, lower case
    # A member of every place of the plan (the organising place and, for villages planning
    # together, each of them): only then are their unpublished rounds and workshops shown.
    # Anyone else sees of the assessments what the public does.
    in_place: bool = False

    @property
    def edits(self) -> bool:
        return PLAN_ROLE_RANK[self.role] >= PLAN_ROLE_RANK[PlanRole.EDITOR]

    @property
    def owns(self) -> bool:
        return self.role == PlanRole.OWNER

    def can_update(self, action: Action) -> bool:
        """Editors update every action; an action's owner only their own."""
        if action.plan_id != self.plan.pk:
            return False
        return self.edits or (action.owner_email or "").lower() in self.emails

    def may_edit_now(self) -> bool:
        return self.edits and self.process.allows(Feature.PLAN)


def verified_emails(user: object) -> frozenset[str]:
    if not isinstance(user, User) or not user.is_authenticated:
        return frozenset()
    rows = EmailAddress.objects.filter(user=user, verified=True).values_list(
        Lower("email"), flat=True
    )
    return frozenset(rows)


def role_in(plan: Plan, place_role: str | None, emails: frozenset[str]) -> PlanRole | None:
    """The effective role from the three sources (see the module's docstring)."""
    found: list[PlanRole] = []
    if place_role:
        mapped = _FROM_PLACE.get(Role(place_role))
        found.append(mapped or PlanRole.VIEWER)
    if emails:
        found.extend(
            PlanRole(r)
            for r in PlanMember.objects.annotate(low=Lower("email"))
            .filter(plan=plan, low__in=emails)
            .values_list("role", flat=True)
        )
        if (
            Action.objects.annotate(low=Lower("owner_email"))
            .filter(plan=plan, low__in=emails)
            .exists()
        ):
            found.append(PlanRole.ACTION_OWNER)
    if not found:
        return None
    return max(found, key=lambda r: PLAN_ROLE_RANK[r])


def get_plan_for_user(
    request: HttpRequest, place_slug: str, plan_slug: str, *, needs: PlanRole = PlanRole.VIEWER
) -> PlanAccess:
    process = (
        Process.objects.select_related("place__municipality__parent", "plan", "place_set")
        .filter(place__slug=place_slug, slug=plan_slug, kind=PLAN.id)
        .annotate(member_role=member_role(request.user, "place_id"))
        .first()
    )
    if process is None:
        raise Http404
    emails = verified_emails(request.user)
    role = role_in(process.plan, process.member_role, emails)
    if role is None:
        raise Http404
    if PLAN_ROLE_RANK[role] < PLAN_ROLE_RANK[needs]:
        raise PermissionDenied
    return PlanAccess(
        process=process,
        plan=process.plan,
        role=role,
        emails=emails,
        in_place=bool(process.member_role) and _member_of_every_place(request.user, process),
    )


def _member_of_every_place(user: Any, process: Process) -> bool:
    """Whether ``user`` (a member of the organising place) is a member of each place in the
    plan's set of places too: a village's organiser does not see the next village's
    unpublished answers because both plan together."""
    from platsa.places.models import Membership

    if process.place_set is None:
        return True
    others = set(process.place_set.places.exclude(pk=process.place_id).values_list("pk", flat=True))
    if not others:
        return True
    mine = set(
        Membership.objects.filter(user=user, place_id__in=others).values_list("place_id", flat=True)
    )
    return mine == others


def public_plan(place_slug: str, plan_slug: str) -> Plan:
    """A published plan for anyone (404 while it is not published)."""
    plan = (
        Plan.objects.select_related("process__place__municipality__parent")
        .filter(
            process__place__slug=place_slug,
            process__slug=plan_slug,
            process__kind=PLAN.id,
            process__is_public=True,
        )
        .first()
    )
    if plan is None:
        raise Http404
    return plan

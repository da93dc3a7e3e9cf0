"""What each line of a plan's audit log says, in the reader's language (the log stores a
short code, ``PlanLog.what``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    "plan.created": _("The plan was made"),
    "plan.edited": _("The vision, SWOT or period changed"),
    "plan.phase": _("The phase changed"),
    "plan.published": _("The follow-up page was published"),
    "plan.unpublished": _("The follow-up page was taken down"),
    "strategy.added": _("A strategy was added"),
    "strategy.removed": _("A strategy was removed"),
    "path.saved": _("A choice of path was saved"),
    "path.removed": _("A choice of path was removed"),
    "goal.saved": _("A goal was saved"),
    "goal.removed": _("A goal was removed"),
    "indicator.saved": _("An indicator was saved"),
    "indicator.removed": _("An indicator was removed"),
    "indicator.value": _("An indicator's value was reported"),
    "action.created": _("An action was added"),
    "action.edited": _("An action was changed"),
    "action.removed": _("An action was removed"),
    "funding.saved": _("A funding source was saved"),
    "funding.removed": _("A funding source was removed"),
    "local_funding.saved": _("A local funding programme was saved"),
    "local_funding.removed": _("A local funding programme was removed"),
    "milestone.saved": _("A milestone was saved"),
    "milestone.removed": _("A milestone was removed"),
    "update.posted": _("An update was posted"),
    "member.added": _("A role was given"),
    "member.removed": _("A role was taken away"),
    "person.forgotten": _("A person deleted their account: their name and address were removed"),
}


def label(what: str) -> str:
    found = LABELS.get(what)
    return str(found) if found is not None else what

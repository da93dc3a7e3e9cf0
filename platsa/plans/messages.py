"""What an organiser or an action owner is told when a plan's write is refused, by the code
of the :class:`~platsa.plans.services.PlanError`."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from platsa.innovation.messages import ERRORS as IMAGE_ERRORS
from platsa.plans.services import PlanError

ERRORS: dict[str, str | Promise] = {
    "title_short": _("Give it a title of at least three characters."),
    "text_short": _("Write a few words about what happened."),
    "too_long": _("The text is too long: at most {limit} characters."),
    "bad_choice": _("That choice is not one of this plan's. Choose again."),
    "not_in_plan": _("That belongs to another plan or place. Nothing was changed."),
    "ends_before_start": _("The end comes before the start."),
    "bad_year": _("Give a year between 1950 and 2100."),
    "bad_number": _("That number could not be used. Write a plain number."),
    "bad_progress": _("Progress is a whole number from 0 to 100."),
    "bad_url": _("A link must start with https:// or http://"),
    "bad_email": _("That is not an e-mail address."),
    "theme_needed": _("Choose the theme whose score is measured."),
    "fact_needed": _("Choose the figure."),
    "target_before_baseline": _("The target year comes before the baseline year."),
    "not_custom": _(
        "Only a measure of your own takes reported values; the others come from the data."
    ),
    "already_in_plan": _("That is already an action of this plan."),
    "idea_not_selected": _("Only a selected idea becomes an action: select it first."),
    "no_such_action": _("That action is not in the catalogue any more."),
    "closed": _("The plan is closed: it can be read but not changed."),
    **{k: v for k, v in IMAGE_ERRORS.items() if k.startswith("image_")},
}
UNKNOWN = _("That could not be done. Nothing was changed.")


def error_text(error: PlanError) -> str:
    message = ERRORS.get(error.code, UNKNOWN)
    params = {k: v for k, v in error.params.items() if isinstance(v, int | str)}
    return str(message).format(**params) if params else str(message)

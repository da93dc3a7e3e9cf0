"""What a participant or organiser is told when a write is refused, by the code of the
``InnovationError`` (and the phase that keeps a feature closed)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from platsa.innovation.services import InnovationError

ERRORS: dict[str, str | Promise] = {
    "empty": _("Write something first."),
    "too_long": _("The text is too long: at most {limit} characters."),
    "title_short": _("Give it a title of at least three characters."),
    "title_long": _("The title is too long: at most {limit} characters."),
    "bad_choice": _("That choice is not one of this process's. Choose again."),
    "bad_location": _("The place on the map was not understood. Set it again or leave it out."),
    "location_outside": _(
        "The point is outside {area}: set it on the map inside the border, or leave it out."
    ),
    "bad_amount": _("Write an amount in whole kronor, at most 100 million."),
    "over_goal": _("At most the idea's goal: {goal} kronor."),
    "bad_hours": _("Write the hours as a whole number, at most 10,000."),
    "describe_pledge": _("Say in a few words what you offer."),
    "reason_missing": _("Say in a few words why."),
    "not_shown": _("That idea is not shown any more."),
    "not_yours": _("Only its author can change it."),
    "not_editable": _("The idea is being reviewed and can no longer be changed."),
    "already_merged": _("One of the two ideas has already been merged."),
    "no_themes": _("Keep at least one theme."),
    "too_many_themes": _("At most {limit} themes."),
    "not_municipality": _("Choose a municipality."),
    "dates_reversed": _("The last day comes before the first."),
    "owner_missing": _("Say who owns the challenge."),
    "no_such_account": _(
        "No account has that address. Ask the person to sign in once, then add them again."
    ),
    "bad_link": _("The video link must start with https://"),
    "image_too_large": _("The picture is too large: at most 8 MB."),
    "image_not_an_image": _("That file is not a picture Platsa can read (JPEG, PNG, WebP, GIF)."),
    "image_too_many_pixels": _("The picture has too many pixels. Send a smaller one."),
    "image_empty": _("The file is empty. Choose the picture again."),
    "image_broken": _("The picture seems broken (cut off or damaged). Send it again."),
    "rate": _("Many posts in a short time: wait a while and send it again. Your text is kept."),
}
UNKNOWN = _("That could not be done. Nothing was changed.")


def error_text(error: InnovationError) -> str:
    message = ERRORS.get(error.code, UNKNOWN)
    return str(message).format(**error.params) if error.params else str(message)

"""The workshop session as a process kind: prepared (questions written), live (the room
answers the question on the screen), closed (answers stay, exportable); it may go live again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

WORKSHOP = ProcessKind(
    id="workshop",
    label=_("Live workshop"),
    phases=(
        Phase(
            "preparing", _("Being prepared"), closed_message=_("The session has not started yet.")
        ),
        Phase("live", _("Live"), opens=frozenset({Feature.RESPOND})),
        Phase("closed", _("Closed"), closed_message=_("The session is over. Thank you!")),
    ),
    transitions={"preparing": ("live",), "live": ("closed",), "closed": ("live",)},
)

"""The conversation as a process kind: prepared (the organisers write the seed statements),
open (participants vote and add statements), closed (the results stay); it may open again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

CONVERSATION = ProcessKind(
    id="conversation",
    label=_("Conversation (opinion mapping)"),
    phases=(
        Phase(
            "preparing",
            _("Being prepared"),
            closed_message=_("The conversation has not opened yet."),
        ),
        Phase("open", _("Open"), opens=frozenset({Feature.OPINE, Feature.PROPOSE})),
        Phase("closed", _("Closed"), closed_message=_("The conversation is closed.")),
    ),
    transitions={"preparing": ("open",), "open": ("closed",), "closed": ("open",)},
)

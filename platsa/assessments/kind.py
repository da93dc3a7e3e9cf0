"""The assessment round as a process kind: a draft is prepared, the survey is open for
answers, then closed (and may be opened again). Publication is the process's public flag,
apart from the phase: results may be published while answers still come in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

ASSESSMENT = ProcessKind(
    id="assessment",
    label=_("Assessment round"),
    phases=(
        Phase("draft", _("Draft"), closed_message=_("The survey has not opened yet.")),
        Phase("open", _("Open"), opens=frozenset({Feature.RESPOND})),
        Phase("closed", _("Closed"), closed_message=_("The survey is closed.")),
    ),
    transitions={"draft": ("open",), "open": ("closed",), "closed": ("open",)},
)

"""The mapping as a process kind: collecting answers in every municipality, then closed
(each municipality's round is closed and frozen with it); it may be opened again."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

MAPPING = ProcessKind(
    id="mapping",
    label=_("Mapping of several municipalities"),
    phases=(
        Phase("collecting", _("Collecting answers"), opens=frozenset({Feature.RESPOND})),
        Phase("closed", _("Closed"), closed_message=_("The mapping is closed.")),
    ),
    transitions={"collecting": ("closed",), "closed": ("collecting",)},
)

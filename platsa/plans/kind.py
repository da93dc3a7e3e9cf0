"""An action plan as a process kind: drafted, then in effect (owners report progress), revised
every year (the plan is "flexible rather than cementing", seed 002), and closed when it ends.

``PLAN`` opens the plan's own content to its editors (vision, SWOT, goals, actions);
``FOLLOW`` opens progress reports to the owners of actions. A closed plan keeps everything to
read. Any phase but the first may step back (a closed plan reopened, a revision finished).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

PLAN = ProcessKind(
    id="plan",
    label=_("Action plan"),
    phases=(
        Phase(
            "drafting",
            _("Being drafted"),
            opens=frozenset({Feature.PLAN}),
            closed_message=_("Progress is reported once the plan is in effect."),
        ),
        Phase(
            "in_effect",
            _("In effect"),
            opens=frozenset({Feature.PLAN, Feature.FOLLOW}),
        ),
        Phase(
            "revising",
            _("Being revised"),
            opens=frozenset({Feature.PLAN, Feature.FOLLOW}),
        ),
        Phase(
            "closed",
            _("Closed"),
            closed_message=_("The plan is closed: it can be read but not changed."),
        ),
    ),
    transitions={
        "drafting": ("in_effect",),
        "in_effect": ("revising", "closed", "drafting"),
        "revising": ("in_effect",),
        "closed": ("in_effect",),
    },
)

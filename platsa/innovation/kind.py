"""The open-innovation process (or journey) as a process kind, with the phases of seed 000:
share challenges -> collect ideas -> discuss and support -> select -> plan.

What each phase opens to participants: during "ideas" they post ideas, comment and support;
during "discussion" they comment and support, but post no new ideas; "selection" is the
organisers' turn (reading stays open, writing closes); "plan" keeps everything to read. The
live feed of a journey's stops takes likes and comments in every phase but the first. An
organiser may step back one phase (a deadline moved) as well as forward.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from platsa.processes.kinds import Feature, Phase, ProcessKind

INNOVATION = ProcessKind(
    id="innovation",
    label=_("Open innovation"),
    phases=(
        Phase(
            "preparing",
            _("Being prepared"),
            closed_message=_("The process has not started yet."),
        ),
        Phase(
            "challenges",
            _("Sharing challenges"),
            closed_message=_("Ideas open when the challenges have been shared."),
        ),
        Phase(
            "ideas",
            _("Collecting ideas"),
            opens=frozenset({Feature.PROPOSE, Feature.COMMENT, Feature.SUPPORT}),
        ),
        Phase(
            "discussion",
            _("Discussing and supporting"),
            opens=frozenset({Feature.COMMENT, Feature.SUPPORT}),
            closed_message=_("New ideas are no longer taken: comment on and support those sent."),
        ),
        Phase(
            "selection",
            _("Selecting"),
            closed_message=_("The organisers are selecting ideas now; reading stays open."),
        ),
        Phase(
            "plan",
            _("Planning"),
            closed_message=_("The selected ideas are going into the plan."),
        ),
    ),
    transitions={
        "preparing": ("challenges", "ideas"),
        "challenges": ("ideas", "preparing"),
        "ideas": ("discussion", "challenges"),
        "discussion": ("selection", "ideas"),
        "selection": ("plan", "discussion"),
        "plan": ("selection",),
    },
)

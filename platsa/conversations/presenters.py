"""The results of a conversation as its pages show them: groups with letters, what each
thinks, common ground, the group map, and plain-language reasons when there are no groups."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from platsa.conversations import selectors
from platsa.conversations.models import Conversation
from platsa.core.render.opinion_map import group_map


def reason_text(reason: str | None, participants: int) -> str:
    """Why there are no groups, for a person (the pipeline gives a key)."""
    if reason is None:
        return ""
    if reason in ("too_few_participants", "too_few_statements"):
        if reason == "too_few_statements":
            return _("Groups need votes on more statements first.")
        return _(
            "No opinion groups yet: with fewer than about 50 participants who have voted on "
            "at least 7 statements, groups would rest on a handful of people. Until then each "
            "statement's votes are shown below."
        )
    return _("No opinion groups could be formed from the votes so far.")


def results_context(conversation: Conversation, *, member: bool) -> dict[str, Any]:
    found = selectors.analysis(conversation)
    results = selectors.results(conversation, found)
    svg = ""
    if results and results["groups"] and results["map"]:
        letters = {g["id"]: g["letter"] for g in results["groups"]}
        svg = group_map(
            results["map"],
            letters,
            title=_("Map of the opinion groups"),
            desc=_(
                "Each shape is a small cluster of participants who voted alike; its size shows "
                "how many. Groups: %(groups)s."
            )
            % {
                "groups": ", ".join(
                    _("%(letter)s with %(n)s participants")
                    % {"letter": g["letter"], "n": g["size"]}
                    for g in results["groups"]
                )
            },
        )
    return {
        "results": results,
        "group_map": mark_safe(svg),  # built from numbers and escaped texts
        "reason": reason_text(results["reason"], results["participants"]) if results else "",
        "analysis_due": conversation.analysis_due,
        "member_view": member,
    }

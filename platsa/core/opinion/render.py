"""Text and JSON for ``platsa opinion``: the groups with their sizes and representative
statements, the consensus statements, or the reason there are no groups.

The text is in the language of the translator passed in (``platsa --lang sv opinion``); the
JSON keeps its keys and codes in English, for programs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from platsa.core.opinion.pipeline import OpinionResult
from platsa.core.render.messages import (
    Translate,
    TranslatePlural,
    gettext_noop,
    identity,
    plural_identity,
)

REASONS = {
    "too_few_participants": gettext_noop(
        "too few participants for opinion groups (at least {min} who have voted on {votes} "
        "statements are needed; {have} have)"
    ),
    "too_few_statements": gettext_noop(
        "too few statements for opinion groups (at least 2 are needed)"
    ),
    "no_variation": gettext_noop("everyone voted alike, so there are no opinion groups"),
}
DIRECTIONS = {"agree": gettext_noop("agree"), "disagree": gettext_noop("disagree")}
TEXT_WIDTH = 100


def reason_text(
    result: OpinionResult, min_participants: int, min_votes: int, _: Translate = identity
) -> str:
    template = REASONS.get(result.reason or "")
    if template is None:
        return result.reason or ""
    return _(template).format(min=min_participants, votes=min_votes, have=result.in_clustering)


def _line(
    direction: str, p_success: float, sid: str, texts: Mapping[str, str], _: Translate
) -> str:
    """One statement under a group or the consensus: the direction, padded to the longest
    direction word in this language so that the shares line up, the share, the statement."""
    width = max(len(_(w)) for w in DIRECTIONS.values())
    word = _(DIRECTIONS[direction]) if direction in DIRECTIONS else direction
    return f"  {word:{width}s} {round(100 * p_success):3d} %  {_statement(sid, texts)}"


def _statement(sid: str, texts: Mapping[str, str]) -> str:
    text = " ".join(texts.get(sid, "").split())
    if len(text) > TEXT_WIDTH:
        text = text[: TEXT_WIDTH - 1] + "…"
    return f"#{sid} {text}".rstrip()


def format_text(
    result: OpinionResult,
    texts: Mapping[str, str] | None = None,
    *,
    min_participants: int,
    min_votes: int,
    _: Translate = identity,
    ngettext: TranslatePlural = plural_identity,
) -> str:
    texts = texts or {}
    counts = [
        ngettext("{n} participant", "{n} participants", result.participants),
        ngettext("{n} statement", "{n} statements", result.statements),
        _("{n} in the clustering"),
    ]
    lines = [
        ", ".join(
            text.format(n=n)
            for text, n in zip(
                counts,
                (result.participants, result.statements, result.in_clustering),
                strict=True,
            )
        )
    ]
    if not result.groups:
        reason = reason_text(result, min_participants, min_votes, _)
        lines.append(_("No groups: {reason}.").format(reason=reason))
    for g in result.groups:
        lines.append("")
        members = ngettext("Group {id}: {n} member", "Group {id}: {n} members", len(g.members))
        lines.append(members.format(id=g.id, n=len(g.members)))
        for r in g.representative:
            lines.append(_line(r.direction, r.p_success, r.statement_id, texts, _))
    lines.append("")
    if result.consensus_detail:
        lines.append(_("Consensus:"))
        for c in result.consensus_detail:
            lines.append(_line(c.direction, c.p_success, c.statement_id, texts, _))
    else:
        lines.append(_("Consensus: none"))
    return "\n".join(lines) + "\n"


def format_json(result: OpinionResult, texts: Mapping[str, str] | None = None) -> str:
    data: dict[str, Any] = result.to_json()
    if texts:
        data["statement_texts"] = {
            str(k): texts[str(k)]
            for k in {s.statement_id for s in result.statement_stats}
            if str(k) in texts
        }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

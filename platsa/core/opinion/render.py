"""Text and JSON for ``platsa opinion``: the groups with their sizes and representative
statements, the consensus statements, or the reason there are no groups."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from platsa.core.opinion.pipeline import OpinionResult

REASONS = {
    "too_few_participants": "too few participants for opinion groups (at least {min} who "
    "have voted on {votes} statements are needed; {have} have)",
    "too_few_statements": "too few statements for opinion groups (at least 2 are needed)",
    "no_variation": "everyone voted alike, so there are no opinion groups",
}
TEXT_WIDTH = 100


def reason_text(result: OpinionResult, min_participants: int, min_votes: int) -> str:
    template = REASONS.get(result.reason or "", result.reason or "")
    return template.format(min=min_participants, votes=min_votes, have=result.in_clustering)


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
) -> str:
    texts = texts or {}
    lines = [
        f"{result.participants} participants, {result.statements} statements, "
        f"{result.in_clustering} in the clustering"
    ]
    if not result.groups:
        lines.append("No groups: " + reason_text(result, min_participants, min_votes) + ".")
    for g in result.groups:
        lines.append("")
        lines.append(f"Group {g.id}: {len(g.members)} members")
        for r in g.representative:
            share = round(100 * r.p_success)
            lines.append(f"  {r.direction:8s} {share:3d}%  {_statement(r.statement_id, texts)}")
    lines.append("")
    if result.consensus_detail:
        lines.append("Consensus:")
        for c in result.consensus_detail:
            share = round(100 * c.p_success)
            lines.append(f"  {c.direction:8s} {share:3d}%  {_statement(c.statement_id, texts)}")
    else:
        lines.append("Consensus: none")
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

"""Results and recommendations as plain JSON data and back: what a frozen version of a
round's results is stored as.

The core's result types are frozen dataclasses of numbers, strings and the catalogue's
pydantic models; pydantic's ``TypeAdapter`` writes them as JSON-ready data and reads them
back into the same types, so a page drawn from a stored version is drawn by the same code
as a live one. Stored data never holds pickled objects: a version written today must still
read after the code around it has moved.

A recommendation is split into what later records point at (action id, rank, score,
reasons: one database row each) and the rest of the engine's record (``detail``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from platsa.core.analysis.context import PlaceContext
from platsa.core.analysis.recommend import (
    ENGINE_VERSION,
    Excluded,
    Notice,
    Params,
    Reason,
    Recommendation,
    RecommendationSet,
    ThemeNeed,
)
from platsa.core.analysis.scoring import Results, ThemeChange
from platsa.core.schema.catalogue import Action, Example, FundingSource

__all__ = [
    "ENGINE_VERSION",
    "RecommendationRow",
    "dump",
    "load",
    "recommendation_rows",
    "recommendation_set",
]


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def dump(kind: Any, value: Any) -> Any:
    """``value`` (of type ``kind``) as JSON-ready data."""
    return _adapter(kind).dump_python(value, mode="json")


def load(kind: Any, data: Any) -> Any:
    """Data written by :func:`dump` back as a ``kind``."""
    return _adapter(kind).validate_python(data)


@dataclass(frozen=True)
class RecommendationRow:
    """One recommendation as stored: the columns later records use, and the rest."""

    action_id: str
    rank: int
    score: float
    in_portfolio: bool
    theme: str
    reasons: list[dict[str, Any]]
    detail: dict[str, Any]
    action: dict[str, Any]
    funding: list[dict[str, Any]]


def recommendation_rows(
    recs: RecommendationSet, funding: dict[str, tuple[FundingSource, ...]]
) -> list[RecommendationRow]:
    """The rows of ``recs``, each with its action and the funding shown for it."""
    rows = []
    for rec in recs.recommendations:
        action = rec.action
        rows.append(
            RecommendationRow(
                action_id=action.id,
                rank=rec.rank,
                score=rec.score,
                in_portfolio=rec.in_portfolio,
                theme=rec.theme or "",
                reasons=dump(tuple[Reason, ...], rec.reasons),
                detail={
                    "standalone_score": rec.standalone_score,
                    "base": rec.base,
                    "joint": rec.joint,
                    "context_multiplier": rec.context_multiplier,
                    "examples": dump(tuple[Example, ...], rec.examples),
                },
                action=dump(Action, action),
                funding=dump(tuple[FundingSource, ...], funding.get(action.id, ())),
            )
        )
    return rows


def set_data(recs: RecommendationSet) -> dict[str, Any]:
    """What of ``recs`` is not in its rows: needs, actions left out, parameters, notices."""
    return {
        "needs": dump(tuple[ThemeNeed, ...], recs.needs),
        "excluded": dump(tuple[Excluded, ...], recs.excluded),
        "params": dump(Params, recs.params),
        "notices": dump(tuple[Notice, ...], recs.notices),
    }


def recommendation_set(data: dict[str, Any], rows: list[RecommendationRow]) -> RecommendationSet:
    """A stored set back as the engine gave it (rows in rank order)."""
    recs = []
    for row in sorted(rows, key=lambda r: r.rank):
        detail = row.detail
        recs.append(
            Recommendation(
                action=load(Action, row.action),
                rank=row.rank,
                score=row.score,
                standalone_score=detail["standalone_score"],
                base=detail["base"],
                joint=detail["joint"],
                context_multiplier=detail["context_multiplier"],
                reasons=load(tuple[Reason, ...], row.reasons),
                in_portfolio=row.in_portfolio,
                examples=load(tuple[Example, ...], detail.get("examples", [])),
                theme=row.theme or None,
            )
        )
    return RecommendationSet(
        needs=load(tuple[ThemeNeed, ...], data["needs"]),
        recommendations=tuple(recs),
        excluded=load(tuple[Excluded, ...], data["excluded"]),
        params=load(Params, data["params"]),
        notices=load(tuple[Notice, ...], data["notices"]),
    )


def dump_results(results: Results) -> Any:
    return dump(Results, results)


def load_results(data: Any) -> Results:
    result: Results = load(Results, data)
    return result


def dump_context(context: PlaceContext | None) -> Any:
    return None if context is None else dump(PlaceContext, context)


def load_context(data: Any) -> PlaceContext | None:
    return None if data is None else load(PlaceContext, data)


def dump_changes(changes: tuple[ThemeChange, ...]) -> Any:
    return dump(tuple[ThemeChange, ...], changes)


def load_changes(data: Any) -> tuple[ThemeChange, ...]:
    changes: tuple[ThemeChange, ...] = load(tuple[ThemeChange, ...], data)
    return changes

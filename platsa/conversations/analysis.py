"""Running the opinion pipeline (``platsa.core.opinion``) on a conversation's votes and
keeping what its pages show: groups, what each group thinks, common ground, every
statement's votes, and the points of the group map."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from platsa.conversations.models import Analysis, Conversation, Statement, Vote
from platsa.conversations.services import analysis_request
from platsa.core.opinion.matrix import VoteMatrix
from platsa.core.opinion.pipeline import ClusterState, OpinionResult, analyse
from platsa.web import live

SEED = 0  # fixed: the same votes give the same groups
MEMBERS_KEPT = 20000


def _votes(conversation: Conversation) -> tuple[VoteMatrix, list[str]]:
    """The votes on shown statements, and those on statements kept out after votes came:
    as in Pol.is, a kept-out statement leaves the map but its votes still count towards
    who has voted enough to be placed (and its column scales the projection)."""
    statuses = dict(
        Statement.objects.filter(
            conversation=conversation,
            status__in=[Statement.Status.SHOWN, Statement.Status.REJECTED],
        ).values_list("pk", "status")
    )
    shown = [str(pk) for pk, status in statuses.items() if status == Statement.Status.SHOWN]
    kept_out = [str(pk) for pk, status in statuses.items() if status == Statement.Status.REJECTED]
    rows = (
        Vote.objects.filter(statement_id__in=list(statuses))
        .order_by("voted_at", "pk")
        .values_list("participant_id", "statement_id", "value")
        .iterator(chunk_size=20000)
    )
    votes = ((str(p), str(s), int(v)) for p, s, v in rows)
    matrix = VoteMatrix.from_votes(votes, statement_ids=shown, moderated_out=kept_out)
    return matrix, shown


def summary(result: OpinionResult, votes: int) -> dict[str, Any]:
    """What the pages need, as JSON (statement ids are the database's, as text)."""
    stats = {}
    for s in result.statement_stats:
        o = s.overall
        stats[s.statement_id] = {
            "a": o.agree,
            "d": o.disagree,
            "p": o.passes,
            "groups": {str(g): [c.agree, c.disagree, c.passes] for g, c in s.by_group.items()},
        }
    projection = result.projection
    return {
        "participants": result.participants,
        "statements": result.statements,
        "in_clustering": result.in_clustering,
        "votes": votes,
        "reason": result.reason,
        "groups": [
            {
                "id": g.id,
                "size": len(g.members),
                "centre": list(g.centre),
                "representative": [
                    {
                        "statement": r.statement_id,
                        "direction": r.direction,
                        "p_success": round(r.p_success, 4),
                        "n_success": r.n_success,
                        "n_trials": r.n_trials,
                    }
                    for r in g.representative
                ],
            }
            for g in result.groups
        ],
        "consensus": [
            {
                "statement": c.statement_id,
                "direction": c.direction,
                "p_success": round(c.p_success, 4),
                "n_success": c.n_success,
                "n_trials": c.n_trials,
            }
            for c in result.consensus_detail
        ],
        "stats": stats,
        # Pol.is draws base clusters, not people: a map of 100,000 stays small, and no dot
        # is one person.
        "map": [
            [round(x, 4), round(y, 4), size, group]
            for (x, y), size, group in projection.base_clusters
        ],
        # Which group each participant is in ("you are in group B"), for rooms and towns;
        # beyond that the results page just does not say.
        "members": (
            {p: g.id for g in result.groups for p in g.members}
            if result.participants <= MEMBERS_KEPT
            else {}
        ),
    }


def live_channel(conversation: Conversation) -> str:
    return f"conversation:{conversation.public_id}"


def analysis_run(conversation_id: int) -> Analysis | None:
    """Analyse the conversation's votes now and keep the result (the worker's task)."""
    updated = Conversation.objects.filter(pk=conversation_id).update(analysis_due=False)
    if not updated:
        return None  # deleted meanwhile
    conversation = Conversation.objects.get(pk=conversation_id)
    started = time.perf_counter()
    started_at = timezone.now()
    matrix, _shown = _votes(conversation)
    earlier = Analysis.objects.filter(conversation=conversation).first()
    previous = None
    if earlier is not None and earlier.state:
        try:
            previous = ClusterState.from_json(earlier.state)
        except (ValueError, KeyError, TypeError):
            previous = None  # written by an older version: start afresh
    result = analyse(matrix, previous=previous, seed=SEED)
    data = summary(result, matrix.n_votes)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        analysis, _created = Analysis.objects.update_or_create(
            conversation=conversation,
            defaults={
                "computed_at": timezone.now(),
                "votes": matrix.n_votes,
                "result": data,
                "state": result.state.to_json(),
                "seconds": seconds,
            },
        )
        live.publish(live_channel(conversation), analysis.computed_at.isoformat())
    # Votes cast while this ran, from a process that did not ask again (it had asked within
    # the second): the next run is asked for here.
    # (Two seconds back: a vote stamped just before the start may commit just after the read.)
    if Vote.objects.filter(
        statement__conversation=conversation, voted_at__gt=started_at - timedelta(seconds=2)
    ).exists():
        analysis_request(conversation)
    return analysis

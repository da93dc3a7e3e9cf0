"""Reads of a conversation: the next statement for a participant, their own statements,
counts for the organisers, and the analysis as the pages show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from platsa.conversations.models import Analysis, Conversation, Participant, Statement, Vote


def shown(conversation: Conversation) -> QuerySet[Statement]:
    return Statement.objects.filter(conversation=conversation, status=Statement.Status.SHOWN)


def next_statement(conversation: Conversation, participant: Participant | None) -> Statement | None:
    """The shown statement this participant has not voted on that has the fewest votes so
    far (so that new statements get seen), oldest first among equals."""
    rows = shown(conversation)
    if participant is not None:
        rows = rows.exclude(votes__participant=participant)
    return rows.annotate(n=Count("votes")).order_by("n", "pk").first()


@dataclass(frozen=True)
class Progress:
    voted: int
    total: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.voted, 0)


def progress(conversation: Conversation, participant: Participant | None) -> Progress:
    total = shown(conversation).count()
    voted = (
        Vote.objects.filter(
            participant=participant, statement__status=Statement.Status.SHOWN
        ).count()
        if participant is not None
        else 0
    )
    return Progress(voted=voted, total=total)


def own_statements(participant: Participant | None) -> list[Statement]:
    if participant is None:
        return []
    return list(Statement.objects.filter(author=participant).order_by("-pk")[:20])


def own_votes(participant: Participant | None) -> dict[int, int]:
    if participant is None:
        return {}
    return dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))


def statement_rows(conversation: Conversation) -> QuerySet[Statement]:
    """Every statement with its vote counts, for the organisers' list."""
    return (
        Statement.objects.filter(conversation=conversation)
        .annotate(
            agree=Count("votes", filter=Q(votes__value=1)),
            disagree=Count("votes", filter=Q(votes__value=-1)),
            passes=Count("votes", filter=Q(votes__value=0)),
        )
        .order_by("pk")
    )


def counts(conversation: Conversation) -> dict[str, int]:
    return {
        "participants": Participant.objects.filter(conversation=conversation).count(),
        "votes": Vote.objects.filter(statement__conversation=conversation).count(),
        "pending": Statement.objects.filter(
            conversation=conversation, status=Statement.Status.PENDING
        ).count(),
    }


def analysis(conversation: Conversation) -> Analysis | None:
    return Analysis.objects.filter(conversation=conversation).first()


GROUP_LETTERS = "ABCDEFGH"


def results(conversation: Conversation, found: Analysis | None) -> dict[str, Any] | None:
    """The analysis with each statement's text and shares, as the results page shows it."""
    if found is None:
        return None
    data = found.result
    texts = {
        str(s.pk): s
        for s in Statement.objects.filter(conversation=conversation, status=Statement.Status.SHOWN)
    }
    stats = data.get("stats", {})

    def row(statement_id: str, group: str | None = None) -> dict[str, Any] | None:
        statement = texts.get(statement_id)
        if statement is None:  # moderated out since the analysis
            return None
        votes = stats.get(statement_id, {})
        a, d, p = (
            votes.get("groups", {}).get(group, [0, 0, 0])
            if group is not None
            else [votes.get("a", 0), votes.get("d", 0), votes.get("p", 0)]
        )
        seen = a + d + p
        return {
            "statement": statement,
            "agree": a,
            "disagree": d,
            "passes": p,
            "seen": seen,
            "agree_pct": round(100 * a / seen) if seen else 0,
            "disagree_pct": round(100 * d / seen) if seen else 0,
            "pass_pct": round(100 * p / seen) if seen else 0,
        }

    groups = []
    for g in data.get("groups", []):
        reps = []
        for r in g["representative"]:
            shown_row = row(r["statement"], str(g["id"]))
            if shown_row is not None:
                reps.append({**shown_row, "direction": r["direction"]})
        groups.append(
            {
                "id": g["id"],
                "letter": GROUP_LETTERS[g["id"] % len(GROUP_LETTERS)],
                "size": g["size"],
                "representative": reps,
            }
        )
    consensus = []
    for c in data.get("consensus", []):
        shown_row = row(c["statement"])
        if shown_row is not None:
            consensus.append({**shown_row, "direction": c["direction"]})
    every = [r for r in (row(sid) for sid in texts) if r is not None]
    every.sort(key=lambda r: (-r["agree_pct"], r["statement"].pk))
    return {
        "computed_at": found.computed_at,
        "votes": data.get("votes", found.votes),
        "participants": data.get("participants", 0),
        "in_clustering": data.get("in_clustering", 0),
        "reason": data.get("reason"),
        "groups": groups,
        "consensus": consensus,
        "statements": every,
        "map": data.get("map", []),
    }

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
        "statements": Statement.objects.filter(conversation=conversation).count(),
        "participants": Participant.objects.filter(conversation=conversation).count(),
        "votes": Vote.objects.filter(statement__conversation=conversation).count(),
        "pending": Statement.objects.filter(
            conversation=conversation, status=Statement.Status.PENDING
        ).count(),
    }


def analysis(conversation: Conversation) -> Analysis | None:
    return Analysis.objects.filter(conversation=conversation).first()


GROUP_LETTERS = "ABCDEFGH"
# A group of fewer people is named on the map with its size but what it voted is not shown:
# "a group of one" would be that person's votes.
MIN_GROUP_SHOWN = 5
# Votes a statement needs in each group (and overall) before it can be said to unite them.
MIN_SEEN = 5
UNITES_SHARE = 0.6
UNITES_SHOWN = 6


def _uniting(
    texts: dict[str, Statement],
    groups: list[dict[str, Any]],
    row: Any,
) -> list[dict[str, Any]]:
    """Statements that every shown group agrees with (or every group disagrees with): at
    least 60 % of those in each group who voted on it, with at least five votes in each.
    Stricter than Pol.is's overall consensus, which can list what one group opposes."""
    found = []
    for statement_id in texts:
        for direction, share in (("agree", "agree_pct"), ("disagree", "disagree_pct")):
            rows = [row(statement_id, str(g["id"])) for g in groups]
            if any(r is None or r["seen"] < MIN_SEEN for r in rows):
                break
            lowest = min(r[share] for r in rows)
            if lowest >= 100 * UNITES_SHARE:
                overall = row(statement_id)
                found.append({**overall, "direction": direction, "lowest": lowest})
    found.sort(key=lambda r: (-r["lowest"], r["statement"].pk))
    return found[:UNITES_SHOWN]


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
        hidden = g["size"] < MIN_GROUP_SHOWN
        reps = []
        for r in [] if hidden else g["representative"]:
            shown_row = row(r["statement"], str(g["id"]))
            if shown_row is not None:
                reps.append({**shown_row, "direction": r["direction"]})
        groups.append(
            {
                "id": g["id"],
                "letter": GROUP_LETTERS[g["id"] % len(GROUP_LETTERS)],
                "size": g["size"],
                "hidden": hidden,
                "representative": reps,
            }
        )
    visible = [g for g in groups if not g["hidden"]]
    consensus = []
    if len(visible) >= 2:
        consensus = _uniting(texts, visible, row)
    elif not groups:
        for c in data.get("consensus", []):
            shown_row = row(c["statement"])
            if shown_row is not None and shown_row["seen"] >= MIN_SEEN:
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

"""A conversation as Pol.is's open-data export (comments.csv, votes.csv and the wide
participants-votes.csv), written by the core's writers so it reads back with the core's
readers and with Pol.is's own tools. A data file, not a spreadsheet: texts are as written
(an apostrophe before "=" would change them on the way back in); the moderation log is the
file for people."""

from __future__ import annotations

import io
import zipfile
from collections import Counter

from platsa.conversations import selectors
from platsa.conversations.models import Conversation, Statement, Vote
from platsa.core.opinion import polis_io
from platsa.core.opinion.matrix import VoteMatrix

MODERATED = {Statement.Status.SHOWN: 1, Statement.Status.PENDING: 0, Statement.Status.REJECTED: -1}


def export_zip(conversation: Conversation) -> bytes:
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    votes = [
        polis_io.Vote(
            participant=str(p),
            statement=str(s),
            vote=int(v),
            timestamp=int(at.timestamp()),
            datetime=at.isoformat(timespec="seconds"),
        )
        for at, s, p, v in Vote.objects.filter(statement__conversation=conversation)
        .order_by("voted_at", "pk")
        .values_list("voted_at", "statement_id", "participant_id", "value")
    ]
    agrees = Counter(v.statement for v in votes if v.vote == 1)
    disagrees = Counter(v.statement for v in votes if v.vote == -1)
    comments = [
        polis_io.Comment(
            id=str(s.pk),
            text=s.text,
            author=str(s.author_id) if s.author_id is not None else "",
            moderated=MODERATED[Statement.Status(s.status)],
            agrees=agrees[str(s.pk)],
            disagrees=disagrees[str(s.pk)],
            timestamp=str(int(s.created_at.timestamp())),
            datetime=s.created_at.isoformat(timespec="seconds"),
        )
        for s in statements
    ]
    matrix = VoteMatrix.from_votes(
        ((v.participant, v.statement, v.vote) for v in votes),
        statement_ids=[c.id for c in comments],
    )
    found = selectors.analysis(conversation)
    groups = found.result.get("members", {}) if found is not None else {}
    authored = Counter(c.author for c in comments if c.author)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comments.csv", polis_io.write_comments(comments))
        archive.writestr("votes.csv", polis_io.write_votes(votes))
        archive.writestr(
            "participants-votes.csv", polis_io.write_participants_votes(matrix, groups, authored)
        )
    return buffer.getvalue()

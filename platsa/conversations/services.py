"""Every write of a conversation: create it, seed and moderate statements, take part, vote,
and ask for a new analysis (run by the worker, at most every few seconds)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from platsa.accounts.models import User
from platsa.conversations.kind import CONVERSATION
from platsa.conversations.models import (
    STATEMENT_MAX,
    Conversation,
    ModerationEvent,
    Participant,
    Statement,
    Vote,
)
from platsa.conversations.polis_import import PolisExport
from platsa.places.models import Place
from platsa.processes.services import process_create, process_touch, process_update

SEEDS_MAX = 100  # statements an organiser may add at once
IMPORTED_MAX = 1000  # Pol.is allows longer comments than Platsa's own statements
STALE_SECONDS = 120


class ConversationError(ValueError):
    """A write refused for a reason the participant or organiser is told (``code``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _public_id() -> str:
    return secrets.token_urlsafe(8)[:10]


def token_hash(token: str, conversation: Conversation) -> str:
    """A keyed hash of the browser's token, per conversation: recognises the browser's own
    votes without anything that links them to other conversations."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"c{conversation.pk}:{token}".encode(), hashlib.sha256).hexdigest()


def clean_text(text: str) -> str:
    """One line, trimmed, runs of spaces collapsed, and no invisible characters (zero-width
    spaces, direction overrides, control characters: Unicode's Cf and Cc), which would
    otherwise make an empty card or turn a statement's text around."""
    visible = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cf", "Cc")
    )
    return " ".join(visible.split())


def text_key(text: str) -> str:
    """How two statements are compared: the cleaned text, case-folded."""
    return clean_text(text).casefold()[:1000]


@transaction.atomic
def conversation_create(
    *,
    place: Place,
    user: User,
    question: str,
    description: str = "",
    participants_add: bool = True,
    strict: bool = True,
) -> Conversation:
    process = process_create(
        place=place, kind=CONVERSATION.id, title=question[:120], user=user, slug_fallback="samtal"
    )
    return Conversation.objects.create(
        process=process,
        public_id=_public_id(),
        question=clean_text(question)[:200],
        description=description.strip(),
        participants_add=participants_add,
        strict=strict,
    )


@transaction.atomic
def conversation_update(
    *,
    conversation: Conversation,
    question: str,
    description: str,
    participants_add: bool,
    strict: bool,
    results_public: bool,
    user: User | None = None,
) -> Conversation:
    conversation.question = clean_text(question)[:200]
    conversation.description = description.strip()
    conversation.participants_add = participants_add
    conversation.strict = strict
    conversation.results_public = results_public
    conversation.save()
    process_update(process=conversation.process, actor=user, title=conversation.question[:120])
    process_touch(conversation.process_id)
    return conversation


@transaction.atomic
def statements_seed(*, conversation: Conversation, user: User, texts: list[str]) -> int:
    """The organisers' own statements, shown at once; a text already in the conversation is
    not added twice. Returns how many were added."""
    known = set(
        Statement.objects.filter(
            conversation=conversation, status=Statement.Status.SHOWN
        ).values_list("text_key", flat=True)
    )
    added = 0
    for raw in texts[:SEEDS_MAX]:
        text = clean_text(raw)[:STATEMENT_MAX]
        key = text_key(text)
        if not text or key in known:
            continue
        known.add(key)
        statement = Statement.objects.create(
            conversation=conversation,
            text=text,
            text_key=key,
            is_seed=True,
            status=Statement.Status.SHOWN,
        )
        ModerationEvent.objects.create(
            statement=statement, action=ModerationEvent.Action.SHOWN, actor=user
        )
        added += 1
    if added:
        analysis_request(conversation)
    return added


def participant_for(
    conversation: Conversation, *, user: User | None, token: str | None, create: bool = True
) -> Participant | None:
    """The participant this browser or account is in ``conversation`` (made on first use).
    Two first votes at once make one participant (the constraint decides, the loser reads)."""
    if user is not None and user.is_authenticated:
        lookup: dict[str, object] = {"conversation": conversation, "user": user}
        if token:  # voted in this browser before signing in: the same participant
            has_own = Participant.objects.filter(conversation=conversation, user=user).exists()
            if not has_own:
                Participant.objects.filter(
                    conversation=conversation,
                    token_hash=token_hash(token, conversation),
                    user__isnull=True,
                ).update(user=user)
    elif token:
        lookup = {"conversation": conversation, "token_hash": token_hash(token, conversation)}
    else:
        return None
    found = Participant.objects.filter(**lookup).first()
    if found is not None or not create:
        return found
    try:
        with transaction.atomic():
            return Participant.objects.create(**lookup)  # type: ignore[arg-type]
    except IntegrityError:
        return Participant.objects.get(**lookup)


_UPSERT_VOTE = """
INSERT INTO conversations_vote (statement_id, participant_id, value, voted_at)
VALUES (%s, %s, %s, %s)
ON CONFLICT (statement_id, participant_id)
DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at
"""


def vote_cast(*, participant: Participant, statement_id: int, value: int) -> Vote:
    """The participant's vote on a shown statement; voting again changes the vote. The same
    vote sent twice at once stores one (the constraint), and the later value wins."""
    if value not in Vote.Value.values:
        raise ConversationError("bad_vote")
    statement = Statement.objects.filter(
        pk=statement_id,
        conversation_id=participant.conversation_id,
        status=Statement.Status.SHOWN,
    ).first()
    if statement is None:
        raise ConversationError("no_statement")
    vote = Vote(statement=statement, participant=participant, value=value, voted_at=timezone.now())
    # One statement, one round trip: the same first vote twice at once, or a changed mind,
    # leaves one row with the latest value (the constraint decides). The ORM's bulk_create
    # does the same in three (BEGIN, INSERT, COMMIT); both databases speak this SQL.
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_VOTE, [statement.pk, participant.pk, value, vote.voted_at])
    analysis_request(participant.conversation, often=True)
    return vote


@dataclass(frozen=True)
class Sent:
    statement: Statement
    shown: bool  # shown to others now (False: waiting for review, or kept out)


def statement_submit(
    *, participant: Participant, text: str, similar_to: Statement | None = None
) -> Sent:
    """A participant's own statement: waiting for review under strict moderation, shown at
    once otherwise, and the author's own vote on it is *agree* (as in Pol.is: they are not
    asked to vote on what they wrote). A resend of the author's own text, even two at once,
    is one statement (a constraint); a text that is shown already is refused ("exists"); a
    text someone else sent that is not shown is not mentioned (that would tell a stranger
    what others sent)."""
    conversation = participant.conversation
    if not conversation.participants_add:
        raise ConversationError("no_statements")
    text = clean_text(text)
    if len(text) < 3:
        raise ConversationError("too_short")
    if len(text) > STATEMENT_MAX:
        raise ConversationError("too_long")
    key = text_key(text)
    mine = Statement.objects.filter(conversation=conversation, author=participant, text_key=key)
    if (own := mine.first()) is not None:
        return Sent(own, own.status == Statement.Status.SHOWN)
    shown = Statement.objects.filter(
        conversation=conversation, text_key=key, status=Statement.Status.SHOWN
    )
    if shown.exists():
        raise ConversationError("exists")
    status = Statement.Status.PENDING if conversation.strict else Statement.Status.SHOWN
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                conversation=conversation,
                text=text,
                text_key=key,
                author=participant,
                status=status,
                similar_to=similar_to,
            )
            events = [ModerationEvent(statement=statement, action=ModerationEvent.Action.SENT)]
            if similar_to is not None:
                events.append(
                    ModerationEvent(
                        statement=statement,
                        action=ModerationEvent.Action.FLAGGED,
                        reason=f"#{similar_to.pk}",
                    )
                )
            if status == Statement.Status.SHOWN:
                events.append(
                    ModerationEvent(statement=statement, action=ModerationEvent.Action.SHOWN)
                )
            ModerationEvent.objects.bulk_create(events)
            Vote.objects.create(statement=statement, participant=participant, value=1)
    except IntegrityError:  # the same text at once: from this author (a resend) or shown
        own = mine.first()
        if own is None:
            raise ConversationError("exists") from None
        return Sent(own, own.status == Statement.Status.SHOWN)
    if status == Statement.Status.SHOWN:
        analysis_request(conversation)
    return Sent(statement, status == Statement.Status.SHOWN)


@transaction.atomic
def statement_moderate(
    *, statement: Statement, user: User, show: bool, reason: str = ""
) -> Statement:
    """Show a statement or keep it out (with a reason the author sees); logged either way.
    A statement kept out leaves the analysis (its votes are no longer counted)."""
    status = Statement.Status.SHOWN if show else Statement.Status.REJECTED
    reason = clean_text(reason)[:300] if not show else ""
    if statement.status == status and statement.reason == reason:
        return statement
    if show and (
        Statement.objects.filter(
            conversation_id=statement.conversation_id,
            text_key=statement.text_key,
            status=Statement.Status.SHOWN,
        )
        .exclude(pk=statement.pk)
        .exists()
    ):
        raise ConversationError("shown_twice")
    statement.status = status
    statement.reason = reason
    statement.save(update_fields=["status", "reason"])
    ModerationEvent.objects.create(
        statement=statement,
        action=ModerationEvent.Action.SHOWN if show else ModerationEvent.Action.REJECTED,
        actor=user,
        reason=reason,
    )
    analysis_request(statement.conversation)
    return statement


_recently: dict[str, float] = {}  # conversation's public id -> when this process last asked


def analysis_request(conversation: Conversation, *, often: bool = False) -> None:
    """Ask for a new analysis: one task is queued at a time, to run a few seconds after the
    first vote that asked (``PLATSA_OPINION_DELAY``), so a busy room recomputes every few
    seconds and not on every vote. Queued once the write has committed.

    ``often`` (a vote): a process that asked within the last second does not ask again; a
    run that finds votes newer than its start asks for the next one itself, so the last
    votes of a burst are never left out."""
    if often:
        clock = time.monotonic()
        if clock - _recently.get(conversation.public_id, -1.0) < 1.0:
            return
        _recently[conversation.public_id] = clock
    now = timezone.now()
    # A task queued long ago and never done (a worker that died) does not block the next.
    stale = now - timedelta(seconds=STALE_SECONDS)
    updated = (
        Conversation.objects.filter(pk=conversation.pk)
        .filter(Q(analysis_due=False) | Q(analysis_queued_at__lt=stale))
        .update(analysis_due=True, analysis_queued_at=now)
    )
    if not updated:
        return
    conversation_id = conversation.pk

    def enqueue() -> None:
        from platsa.conversations.tasks import conversation_analyse

        delay = float(getattr(settings, "PLATSA_OPINION_DELAY", 3))
        task = conversation_analyse
        if delay > 0:
            task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        task.enqueue(conversation_id)

    transaction.on_commit(enqueue)


def participant_erase(*, participant: Participant) -> None:
    """A participant's votes go; their statements stay, without a link to them."""
    with transaction.atomic():
        Statement.objects.filter(author=participant).update(author=None)
        conversation = participant.conversation
        participant.delete()
        analysis_request(conversation)


def participant_export(participant: Participant | None) -> dict[str, object]:
    """Everything stored about a participant in a conversation, as they may download it."""
    if participant is None:
        return {"stored": None}
    conversation = participant.conversation
    return {
        "conversation": conversation.question,
        "participant_since": participant.created_at.isoformat(timespec="seconds"),
        "votes": [
            {"statement": text, "vote": value, "at": at.isoformat(timespec="seconds")}
            for text, value, at in Vote.objects.filter(participant=participant)
            .order_by("voted_at")
            .values_list("statement__text", "value", "voted_at")
        ],
        "statements": [
            {"text": text, "status": status, "reason": reason}
            for text, status, reason in Statement.objects.filter(author=participant)
            .order_by("pk")
            .values_list("text", "status", "reason")
        ],
    }


@transaction.atomic
def conversation_import_polis(
    *, conversation: Conversation, user: User, export: PolisExport
) -> tuple[int, int, int]:
    """A Pol.is export into a conversation that has no votes yet: each comment a statement
    (shown, waiting or kept out as Pol.is moderated it), each voter a participant, each
    voter's last vote on a comment their vote. Returns (statements, participants, votes)."""
    if Vote.objects.filter(statement__conversation=conversation).exists():
        raise ConversationError("has_votes")
    status = {1: Statement.Status.SHOWN, 0: Statement.Status.PENDING, -1: Statement.Status.REJECTED}
    voters: dict[str, Participant] = {}

    def participant(voter: str) -> Participant:
        found = voters.get(voter)
        if found is None:
            digest = hashlib.sha256(f"polis:{conversation.pk}:{voter}".encode()).hexdigest()
            found = voters[voter] = Participant(conversation=conversation, token_hash=digest)
        return found

    for voter in sorted(
        {v.participant for v in export.votes}
        | {c.author for c in export.comments.values() if c.author}
    ):
        participant(voter)
    Participant.objects.bulk_create(voters.values(), batch_size=2000)
    statements: dict[str, Statement] = {}
    keys: set[tuple[str, str]] = set()
    for comment in export.comments.values():
        text = clean_text(comment.text)[:IMPORTED_MAX] or "…"
        author = voters.get(comment.author) if comment.author else None
        key = text_key(text)
        # Pol.is lets the same text in twice; here a text is shown once and an author sends
        # it once (the constraints): a repeat keeps its text, with the comment id in its key.
        if ("", key) in keys or (comment.author, key) in keys:
            key = f"{key}#polis-{comment.id}"[:1000]
        keys.add(("", key))
        keys.add((comment.author, key))
        statements[comment.id] = Statement(
            conversation=conversation,
            text=text,
            text_key=key,
            author=author,
            status=status[comment.moderated],
        )
    Statement.objects.bulk_create(statements.values(), batch_size=2000)
    decided = {
        Statement.Status.SHOWN: ModerationEvent.Action.SHOWN,
        Statement.Status.REJECTED: ModerationEvent.Action.REJECTED,
    }
    events = []
    for s in statements.values():
        events.append(
            ModerationEvent(statement=s, action=ModerationEvent.Action.SENT, reason="Pol.is")
        )
        if s.status in decided:  # as Pol.is's moderators decided; imported by this organiser
            events.append(
                ModerationEvent(
                    statement=s,
                    action=decided[Statement.Status(s.status)],
                    actor=user,
                    reason="Pol.is",
                )
            )
    ModerationEvent.objects.bulk_create(events, batch_size=2000)
    last: dict[tuple[str, str], int] = {}
    for vote in export.votes:  # in the order they were cast: the last one counts
        last[(vote.participant, vote.statement)] = vote.vote
    Vote.objects.bulk_create(
        [
            Vote(statement=statements[s], participant=voters[p], value=value)
            for (p, s), value in last.items()
        ],
        batch_size=5000,
    )
    analysis_request(conversation)
    return len(statements), len(voters), len(last)

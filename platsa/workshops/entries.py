"""Brainstorm ideas and Q&A questions from the room, and the room's upvotes: write an entry
(the same words already in the group add a +1 to it instead), upvote or take back the vote,
and the facilitator's take-down and "answered"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from platsa.web import live
from platsa.workshops.answers import WorkshopError, parse_text
from platsa.workshops.models import ENTRIES_PER_PARTICIPANT, Entry, EntryVote, Participant, Question
from platsa.workshops.services import answer_open, channel

TAKES_ENTRIES = (Question.Kind.IDEAS, Question.Kind.QA)


def text_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip(" .!?")[:200]


@dataclass(frozen=True)
class Written:
    entry: Entry
    merged: bool  # the same words were there: this was a +1 to them


def entry_submit(*, participant: Participant, question: Question, raw: str) -> Written:
    """The participant's idea (or question) on the room's board, with their own +1."""
    workshop = participant.workshop
    if question.kind not in TAKES_ENTRIES or not answer_open(workshop, question):
        raise WorkshopError("not_current")
    text = parse_text(raw)
    key = text_key(text)
    existing = Entry.objects.filter(
        question=question, group=participant.group, text_key=key
    ).first()
    if existing is None:
        if (
            Entry.objects.filter(question=question, participant=participant).count()
            >= ENTRIES_PER_PARTICIPANT
        ):
            raise WorkshopError("too_many_entries", n=ENTRIES_PER_PARTICIPANT)
        try:
            with transaction.atomic():
                entry = Entry.objects.create(
                    question=question,
                    participant=participant,
                    group=participant.group,
                    text=text,
                    text_key=key,
                )
            merged = False
        except IntegrityError:  # written at the same moment by someone else
            entry = Entry.objects.get(question=question, group=participant.group, text_key=key)
            merged = True
    elif existing.hidden:  # the same words were taken down: no +1 to what nobody sees
        raise WorkshopError("taken_down")
    else:
        entry, merged = existing, True
    _vote(entry, participant)
    live.publish(channel(workshop), "a")
    return Written(entry, merged)


def _vote(entry: Entry, participant: Participant) -> bool:
    """Adds the +1; False when it was there already."""
    try:
        with transaction.atomic():
            EntryVote.objects.create(entry=entry, participant=participant)
    except IntegrityError:
        return False
    return True


def entry_vote(*, participant: Participant, entry_id: int, up: bool) -> Entry:
    """+1 (``up``) or take it back; sending the same twice changes nothing. Only for the
    entries the participant can see: their question is open and they are of their group."""
    entry = (
        Entry.objects.select_related("question")
        .filter(
            pk=entry_id,
            question__workshop=participant.workshop,
            group=participant.group,
            hidden=False,
        )
        .first()
    )
    if entry is None or not answer_open(participant.workshop, entry.question):
        raise WorkshopError("not_current")
    if up:
        _vote(entry, participant)
    else:
        EntryVote.objects.filter(entry=entry, participant=participant).delete()
    live.publish(channel(participant.workshop), "a")
    return entry


@transaction.atomic
def entry_moderate(
    *, question: Question, entry_id: int, hidden: bool | None = None, done: bool | None = None
) -> None:
    """Take an entry off the screen (it stays in the export, marked), or mark a Q&A
    question answered."""
    changes = {k: v for k, v in (("hidden", hidden), ("done", done)) if v is not None}
    if changes:
        Entry.objects.filter(pk=entry_id, question=question).update(**changes)
        live.publish(channel(question.workshop), "a")


def ranked(
    question: Question, *, group: int | None = None, participant: Participant | None = None
) -> QuerySet[Entry]:
    """The board's entries, most upvoted first (then the oldest: the top list does not
    jump about between equals), each with ``n`` its upvotes and ``mine`` whether the
    participant gave one."""
    entries = Entry.objects.filter(question=question, hidden=False)
    if group is not None:
        entries = entries.filter(group=group)
    entries = entries.annotate(n=Count("votes"))
    if participant is not None:
        entries = entries.annotate(
            mine=Exists(EntryVote.objects.filter(entry=OuterRef("pk"), participant=participant))
        )
    return entries.order_by("done", "-n", "created_at", "pk")

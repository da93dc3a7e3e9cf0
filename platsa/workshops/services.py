"""Every write of a workshop session: create it, write its questions, move the room from
question to question, hide or show the results, and take the room's answers. Each change
the screens must see is published on the session's live channel once it has committed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from platsa.accounts.models import User
from platsa.conversations.services import clean_text
from platsa.places.models import Place
from platsa.processes.services import process_create, process_touch
from platsa.web import live
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import (
    ANSWER_MAX,
    OPTIONS_MAX,
    SCALE_POINTS,
    Answer,
    Participant,
    Question,
    Workshop,
)

QUESTIONS_MAX = 60


class WorkshopError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def channel(workshop: Workshop) -> str:
    return f"workshop:{workshop.code}"


def _new_code() -> str:
    return f"{secrets.randbelow(900000) + 100000}"


@transaction.atomic
def workshop_create(*, place: Place, user: User, title: str) -> Workshop:
    process = process_create(
        place=place, kind=WORKSHOP.id, title=title, user=user, slug_fallback="workshop"
    )
    for _attempt in range(20):
        code = _new_code()
        if not Workshop.objects.filter(code=code).exists():
            return Workshop.objects.create(process=process, code=code)
    raise WorkshopError("no_code")  # 20 taken codes in a row: 900,000 of them exist


def question_add(
    *,
    workshop: Workshop,
    kind: str,
    prompt: str,
    options: list[str] | None = None,
    low_label: str = "",
    high_label: str = "",
) -> Question:
    if workshop.questions.count() >= QUESTIONS_MAX:
        raise WorkshopError("too_many_questions")
    if not clean_text(prompt):
        raise WorkshopError("no_prompt")
    cleaned = list(dict.fromkeys(clean_text(o)[:80] for o in options or [] if clean_text(o)))
    if kind == Question.Kind.CHOICE and not 2 <= len(cleaned) <= OPTIONS_MAX:
        raise WorkshopError("options")
    last = workshop.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question.objects.create(
        workshop=workshop,
        kind=kind,
        prompt=clean_text(prompt)[:200],
        options=cleaned if kind == Question.Kind.CHOICE else [],
        low_label=clean_text(low_label)[:60],
        high_label=clean_text(high_label)[:60],
        position=(last or 0) + 1,
    )
    process_touch(workshop.process_id)
    return question


@transaction.atomic
def workshop_show(*, workshop: Workshop, question: Question | None) -> Workshop:
    """Put ``question`` on every screen in the room (None: a pause screen)."""
    if question is not None and question.workshop_id != workshop.pk:
        raise WorkshopError("no_question")
    workshop.current = question
    workshop.save(update_fields=["current"])
    live.publish(channel(workshop), f"q:{question.pk if question else 0}")
    return workshop


@transaction.atomic
def workshop_set_hidden(*, workshop: Workshop, hidden: bool) -> Workshop:
    workshop.results_hidden = hidden
    workshop.save(update_fields=["results_hidden"])
    live.publish(channel(workshop), "r")
    return workshop


def token_hash(token: str, workshop: Workshop) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"w{workshop.pk}:{token}".encode(), hashlib.sha256).hexdigest()


def participant_for(workshop: Workshop, token: str, *, create: bool = True) -> Participant | None:
    digest = token_hash(token, workshop)
    found = Participant.objects.filter(workshop=workshop, token_hash=digest).first()
    if found is not None or not create:
        return found
    try:
        with transaction.atomic():
            return Participant.objects.create(workshop=workshop, token_hash=digest)
    except IntegrityError:
        return Participant.objects.get(workshop=workshop, token_hash=digest)


_UPSERT = """
INSERT INTO workshops_answer (question_id, participant_id, choice, value, text, hidden, answered_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (question_id, participant_id)
DO UPDATE SET choice = excluded.choice, value = excluded.value, text = excluded.text,
  answered_at = excluded.answered_at
"""
# ``hidden`` is not updated: an answer the facilitator took down stays down when its phone
# sends it again, or another text in its place.


def parse_answer(question: Question, raw: str) -> tuple[int | None, int | None, str]:
    """(choice, value, text) of a phone's answer, or WorkshopError: checked before the phone
    becomes a participant, so a broken answer leaves nothing behind."""
    choice = value = None
    text = ""
    if question.kind == Question.Kind.CHOICE:
        try:
            choice = int(raw) if raw.strip().isdecimal() and raw.strip().isascii() else -1
        except ValueError:
            raise WorkshopError("bad_answer") from None
        if not 0 <= choice < len(question.options):
            raise WorkshopError("bad_answer")
    elif question.kind == Question.Kind.SCALE:
        try:
            value = int(raw) if raw.strip().isdecimal() and raw.strip().isascii() else -1
        except ValueError:
            raise WorkshopError("bad_answer") from None
        if not 1 <= value <= SCALE_POINTS:
            raise WorkshopError("bad_answer")
    else:
        text = clean_text(raw)
        if not text:
            raise WorkshopError("empty")
        if len(text) > ANSWER_MAX:
            raise WorkshopError("too_long")
    return choice, value, text


def answer_submit(*, participant: Participant, question: Question, raw: str) -> Answer:
    """The participant's answer to the question on the screen; answering again changes it
    (one row: the constraint, in one round trip). Only the current question takes answers:
    a phone left on an old question cannot answer it after the room has moved on."""
    workshop = participant.workshop
    if workshop.current_id != question.pk or question.workshop_id != workshop.pk:
        raise WorkshopError("not_current")
    choice, value, text = parse_answer(question, raw)
    answer = Answer(
        question=question,
        participant=participant,
        choice=choice,
        value=value,
        text=text,
        answered_at=timezone.now(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            [question.pk, participant.pk, choice, value, text, False, answer.answered_at],
        )
    live.publish(channel(workshop), "a")
    return answer


@transaction.atomic
def answer_hide(*, workshop: Workshop, answer_id: int) -> None:
    """Take an open answer off the screen (a name, an insult); it stays in the export,
    marked hidden."""
    Answer.objects.filter(pk=answer_id, question__workshop=workshop).update(hidden=True)
    live.publish(channel(workshop), "a")

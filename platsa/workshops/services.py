"""Every write of a workshop session: create it, write its questions, set its pace and
groups, move the room from question to question, hide or show the results, and take the
room's answers. Each change the screens must see is published on the session's live
channel. (Brainstorm ideas and Q&A questions: platsa.workshops.entries.)"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from platsa.accounts.models import User
from platsa.conversations.services import clean_text
from platsa.places.models import Place
from platsa.processes.services import process_create, process_touch
from platsa.web import live
from platsa.workshops.answers import Parsed, WorkshopError
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import (
    GROUPS_MAX,
    OPTIONS_MAX,
    Answer,
    Entry,
    Participant,
    Question,
    Workshop,
)

QUESTIONS_MAX = 60
WITH_OPTIONS = {
    Question.Kind.CHOICE,
    Question.Kind.RANKING,
    Question.Kind.POINTS,
    Question.Kind.MATRIX,
}
__all__ = ["WorkshopError"]


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
    framework: str = "",
    x_label: str = "",
    y_label: str = "",
) -> Question:
    """A question at the end of the session. Themes questions take the framework's theme
    ids as their options (the titles are the framework's, in the reader's language)."""
    if workshop.questions.count() >= QUESTIONS_MAX:
        raise WorkshopError("too_many_questions")
    if kind not in Question.Kind.values:
        raise WorkshopError("kind")
    if not clean_text(prompt):
        raise WorkshopError("no_prompt")
    cleaned = _options(options) if kind in WITH_OPTIONS else []
    if kind == Question.Kind.THEMES:
        from platsa.catalogue.selectors import frameworks

        found = frameworks().get(framework)
        if found is None:
            raise WorkshopError("framework")
        cleaned = [t.id for t in found.themes]
    last = workshop.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question.objects.create(
        workshop=workshop,
        kind=kind,
        prompt=clean_text(prompt)[:200],
        options=cleaned if kind in WITH_OPTIONS or kind == Question.Kind.THEMES else [],
        framework=framework if kind == Question.Kind.THEMES else "",
        low_label=clean_text(low_label)[:60],
        high_label=clean_text(high_label)[:60],
        x_label=clean_text(x_label)[:60],
        y_label=clean_text(y_label)[:60],
        position=(last or 0) + 1,
    )
    process_touch(workshop.process_id)
    return question


def _options(options: list[str] | None) -> list[str]:
    """A question's options as stored: plain text, each once, 2 to OPTIONS_MAX of them."""
    cleaned = list(dict.fromkeys(clean_text(o)[:80] for o in options or [] if clean_text(o)))
    if not 2 <= len(cleaned) <= OPTIONS_MAX:
        raise WorkshopError("options")
    return cleaned


def _renumber(questions: list[Question]) -> None:
    """Positions 1, 2, 3... in the order given, writing only those that move."""
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


def _answered(question: Question) -> bool:
    return question.answers.exists() or question.entries.exists()


@transaction.atomic
def question_edit(
    *,
    question: Question,
    prompt: str,
    options: list[str] | None = None,
    low_label: str = "",
    high_label: str = "",
    x_label: str = "",
    y_label: str = "",
) -> Question:
    """Fix a question's words (a typo seen on the projector). Its options change only while
    nobody has answered: an answer is stored as an option's number, so a new list would
    move every answer to another option. Its kind and framework stay what they are."""
    if not clean_text(prompt):
        raise WorkshopError("no_prompt")
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.kind in WITH_OPTIONS:
        cleaned = _options(options)
        if cleaned != list(question.options):
            if _answered(question):
                raise WorkshopError("options_answered")
            question.options = cleaned
    question.prompt = clean_text(prompt)[:200]
    question.low_label = clean_text(low_label)[:60]
    question.high_label = clean_text(high_label)[:60]
    question.x_label = clean_text(x_label)[:60]
    question.y_label = clean_text(y_label)[:60]
    question.save()
    process_touch(question.workshop.process_id)
    live.publish(channel(question.workshop), f"q:{question.workshop.current_id or 0}")
    return question


@transaction.atomic
def question_delete(*, question: Question, with_answers: bool = False) -> None:
    """Take a question out of the session; one that has answers only when asked to delete
    them with it (``with_answers``), so that a slip of the finger loses nobody's answer.
    On the screen, it leaves a pause screen."""
    if _answered(question) and not with_answers:
        raise WorkshopError("has_answers")
    workshop = question.workshop
    was_current = workshop.current_id == question.pk
    question.delete()
    _renumber(list(workshop.questions.order_by("position", "pk")))
    process_touch(workshop.process_id)
    if was_current:
        live.publish(channel(workshop), "q:0")


@transaction.atomic
def question_move(*, question: Question, up: bool) -> bool:
    """Swap a question with the one before (``up``) or after it; False at either end."""
    siblings = list(
        Question.objects.select_for_update()
        .filter(workshop_id=question.workshop_id)
        .order_by("position", "pk")
    )
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber(siblings)
    process_touch(question.workshop.process_id)
    return True


def _groups_used_beyond(workshop: Workshop, n: int) -> bool:
    """Whether a phone, an answer or an idea is in a group numbered above ``n``."""
    return (
        Participant.objects.filter(workshop=workshop, group__gt=n).exists()
        or Answer.objects.filter(question__workshop=workshop, group__gt=n).exists()
        or Entry.objects.filter(question__workshop=workshop, group__gt=n).exists()
    )


def _groups_moved(workshop: Workshop, names: list[str]) -> bool:
    """Whether a group in use would be mixed up with another: its line given another
    group's name, or its name moved to another line (a line removed above it). A group is
    its line, so either would put its people and answers in another group; renaming in
    place to a new name is fine."""
    old = workshop.groups
    used = set(Participant.objects.filter(workshop=workshop).values_list("group", flat=True))
    used |= set(Answer.objects.filter(question__workshop=workshop).values_list("group", flat=True))
    used |= set(Entry.objects.filter(question__workshop=workshop).values_list("group", flat=True))
    for number in used:
        if not 0 < number <= len(old):
            continue
        name = old[number - 1]
        now = names[number - 1] if number <= len(names) else None
        if now != name and (
            now in old or name in names
        ):  # another group's name, or its own elsewhere
            return True
    return False


@transaction.atomic
def workshop_configure(*, workshop: Workshop, pace: str, groups: list[str]) -> Workshop:
    """The session's pace and its themed groups (names, in order; none: one room again).
    A group is its place in the list: changing a line renames that group and keeps its
    answers. A list shorter than before is refused while anyone is in a group it would drop
    (switching groups off keeps every answer's group, for when they are switched on again)."""
    if pace not in Workshop.Pace.values:
        raise WorkshopError("pace")
    names = list(dict.fromkeys(clean_text(g)[:60] for g in groups if clean_text(g)))
    if len(names) > GROUPS_MAX or len(names) == 1:
        raise WorkshopError("groups", n=GROUPS_MAX)
    if names and len(names) < len(workshop.groups) and _groups_used_beyond(workshop, len(names)):
        raise WorkshopError("groups_in_use")
    if names and _groups_moved(workshop, names):
        raise WorkshopError("groups_moved")
    workshop.pace = pace
    workshop.groups = names
    if not names:
        workshop.side_by_side = False
    workshop.save(update_fields=["pace", "groups", "side_by_side"])
    process_touch(workshop.process_id)
    live.publish(channel(workshop), "c")
    return workshop


@transaction.atomic
def workshop_set_side_by_side(*, workshop: Workshop, on: bool) -> Workshop:
    workshop.side_by_side = on and bool(workshop.groups)
    workshop.save(update_fields=["side_by_side"])
    live.publish(channel(workshop), "r")
    return workshop


def participant_set_group(*, participant: Participant, group: int) -> Participant:
    """The participant's themed group (their later answers and entries go there)."""
    if not 1 <= group <= len(participant.workshop.groups):
        raise WorkshopError("group")
    Participant.objects.filter(pk=participant.pk).update(group=group)
    participant.group = group
    return participant


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
    rows = list(Participant.objects.filter(workshop=workshop, token_hash=digest)[:1])
    found = rows[0] if rows else None
    if found is not None or not create:
        return found
    return participant_make(workshop, token)


def participant_make(workshop: Workshop, token: str) -> Participant:
    """The participant of a token not seen yet (one insert; a second request of the same
    new phone at the same moment finds the first's row)."""
    digest = token_hash(token, workshop)
    try:
        with transaction.atomic():
            return Participant.objects.create(workshop=workshop, token_hash=digest)
    except IntegrityError:
        return Participant.objects.get(workshop=workshop, token_hash=digest)


_UPSERT = """
INSERT INTO workshops_answer
  (question_id, participant_id, choice, value, text, data, "group", hidden, answered_at)
VALUES (%s, %s, %s, %s, %s, {data}, %s, %s, %s)
ON CONFLICT (question_id, participant_id)
DO UPDATE SET choice = excluded.choice, value = excluded.value, text = excluded.text,
  data = excluded.data, "group" = excluded."group", answered_at = excluded.answered_at
"""
# ``hidden`` is not updated: an answer the facilitator took down stays down when its phone
# sends it again, or another text in its place.


def answer_open(workshop: Workshop, question: Question) -> bool:
    """Whether the question takes answers now: the one on the screen, or (self-paced) any
    question of the live session."""
    if question.workshop_id != workshop.pk:
        return False
    if workshop.pace == Workshop.Pace.SELF:
        return True
    return workshop.current_id == question.pk


def answer_submit(*, participant: Participant, question: Question, parsed: Parsed) -> Answer:
    """The participant's answer (parsed by platsa.workshops.answers.parse_answer);
    answering again changes it (one row: the constraint, in one round trip). A phone left
    on an old question cannot answer it after the room has moved on (presenter-paced)."""
    workshop = participant.workshop
    if not answer_open(workshop, question):
        raise WorkshopError("not_current")
    answer = Answer(
        question=question,
        participant=participant,
        choice=parsed.choice,
        value=parsed.value,
        text=parsed.text,
        data=parsed.data,
        group=participant.group,
        answered_at=timezone.now(),
    )
    data = None if parsed.data is None else json.dumps(parsed.data)
    sql = _UPSERT.format(data="%s::jsonb" if connection.vendor == "postgresql" else "%s")
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                question.pk,
                participant.pk,
                parsed.choice,
                parsed.value,
                parsed.text,
                data,
                participant.group,
                False,
                answer.answered_at,
            ],
        )
    live.publish(channel(workshop), "a")
    return answer


@transaction.atomic
def answer_hide(*, workshop: Workshop, answer_id: int) -> None:
    """Take an open answer off the screen (a name, an insult); it stays in the export,
    marked hidden."""
    Answer.objects.filter(pk=answer_id, question__workshop=workshop).update(hidden=True)
    live.publish(channel(workshop), "a")

"""A live workshop's answers brought into an open-innovation process as ideas (issue 10: "one
click turns open answers, brainstorm ideas and Q&A questions into ideas in a process").

Each brainstorm idea or Q&A question (not taken down) and each open answer (not taken down)
becomes an idea of the chosen process of the same place, posted in the organiser's name; its
page says where it came from and how many +1 it had in the room (:func:`provenance`; the
room's phones have no accounts, so their +1 do not become supports). Brought over again,
only what is new comes: an idea remembers its origin (a constraint keeps it once).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from platsa.accounts.models import User
from platsa.core.render.markdown_safe import render_markdown
from platsa.innovation.models import TITLE_MAX, Idea, Visibility
from platsa.innovation.services import InnovationError, ideas_touch
from platsa.innovation.text import clean_line
from platsa.processes.models import Process

KINDS = ("words", "ideas", "qa")


@transaction.atomic
def ideas_from_workshop(*, process: Process, question: object, actor: User) -> int:
    """Bring the question's answers into ``process``; how many ideas were made."""
    from platsa.workshops.entries import ranked
    from platsa.workshops.models import Answer, Question

    assert isinstance(question, Question)
    if question.kind not in KINDS:
        raise InnovationError("bad_choice")
    if process.kind != "innovation" or process.place_id != question.workshop.process.place_id:
        raise InnovationError("bad_choice")
    if question.kind == "words":
        items = [
            (f"workshop-answer:{a.pk}", a.text, 0)
            for a in Answer.objects.filter(question=question, hidden=False).exclude(text="")
        ]
    else:
        items = [
            (f"workshop-entry:{e.pk}", e.text, int(getattr(e, "n", 0))) for e in ranked(question)
        ]
    taken = set(
        Idea.objects.filter(process=process, origin__in=[o for o, _t, _n in items]).values_list(
            "origin", flat=True
        )
    )
    made = 0
    for origin, text, _votes in items:
        title = clean_line(text)[:TITLE_MAX]
        if origin in taken or len(title) < 3:
            continue
        # The body is the room's words alone: where they came from is said on the idea's
        # page (provenance), not written into the text that the duplicate check and the
        # machine themes read (the same sentence in every idea made them all look alike).
        body = clean_line(text)
        Idea.objects.create(
            process=process,
            author=actor,
            title=title,
            body=body,
            body_html=render_markdown(body),
            origin=origin,
            workshop_question=question,
            visibility=Visibility.SHOWN,
        )
        made += 1
    if made:
        ideas_touch(process.pk)
    return made


def provenance(idea: Idea) -> dict[str, Any] | None:
    """Where an idea brought from a live workshop came from, for its page: the session, the
    question and, for a brainstorm idea or a Q&A question, its +1 in the room."""
    if idea.workshop_question_id is None:
        return None
    from platsa.workshops.models import EntryVote, Question

    # One query for the question, its session and the session's process.
    question = (
        Question.objects.select_related("workshop__process")
        .filter(pk=idea.workshop_question_id)
        .first()
    )
    if question is None:
        return None

    votes = 0
    kind, _sep, pk = idea.origin.partition(":")
    if kind == "workshop-entry" and pk.isdecimal():
        votes = EntryVote.objects.filter(entry_id=int(pk)).count()
    return {"session": question.workshop.process.title, "question": question.prompt, "votes": votes}

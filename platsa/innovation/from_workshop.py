"""A live workshop's answers brought into an open-innovation process as ideas (issue 10: "one
click turns open answers, brainstorm ideas and Q&A questions into ideas in a process").

Each brainstorm idea or Q&A question (not taken down) and each open answer (not taken down)
becomes an idea of the chosen process of the same place, posted in the organiser's name and
saying where it came from and how many +1 it had in the room (the room's phones have no
accounts, so their +1 do not become supports). Brought over again, only what is new comes:
an idea remembers its origin (a constraint keeps it once).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

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
    session = question.workshop.process.title
    made = 0
    for origin, text, votes in items:
        title = clean_line(text)[:TITLE_MAX]
        if origin in taken or len(title) < 3:
            continue
        where = _("From the live workshop “{session}”, the question “{question}”.").format(
            session=session, question=question.prompt
        )
        if votes:
            where += " " + _("It had {n} +1 in the room.").format(n=votes)
        body = f"{clean_line(text)}\n\n*{where}*"
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

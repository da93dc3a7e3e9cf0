"""The session as a spreadsheet: every answer (one row each, the answer written out as a
person reads it), and every brainstorm idea and Q&A question with its upvotes. Made from
the database as it is now, so it works during the session as after it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.core.io.tabular import Sheet
from platsa.workshops.models import Answer, Entry, Question, Workshop
from platsa.workshops.results import labels_of

Kind = Question.Kind


TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _local(moment: datetime) -> datetime:
    """A time as the installation's clock shows it, for a spreadsheet's date cell (Excel
    keeps no time zone: an aware time would be an hour off in Sweden, or refused)."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def answer_text(question: Question, answer: Answer, labels: list[str]) -> Any:
    """The answer as a reader writes it: "Bredband" for an option, 5 for a point,
    "1. Skola; 2. Vård" for a ranking, "Skola 60; Vård 40" for points."""
    data = answer.data
    if question.kind == Kind.CHOICE:
        return (
            labels[answer.choice]
            if answer.choice is not None and answer.choice < len(labels)
            else ""
        )
    if question.kind == Kind.SCALE:
        return answer.value
    if not isinstance(data, list) or len(data) != len(labels):
        return answer.text
    if question.kind == Kind.RANKING:
        return "; ".join(
            f"{place}. {labels[i]}"
            for place, i in enumerate(data, 1)
            if isinstance(i, int) and i < len(labels)
        )
    if question.kind == Kind.POINTS:
        return "; ".join(f"{label} {p}" for label, p in zip(labels, data, strict=True))
    if question.kind == Kind.MATRIX:
        across = question.x_label or _("across")
        up = question.y_label or _("up")
        return "; ".join(
            f"{label}: {across} {xy[0]}, {up} {xy[1]}"
            for label, xy in zip(labels, data, strict=True)
            if isinstance(xy, list) and len(xy) == 2
        )
    if question.kind == Kind.THEMES:
        return "; ".join(f"{label} {v}" for label, v in zip(labels, data, strict=True) if v)
    return answer.text


def _group_name(workshop: Workshop, number: int) -> str:
    return workshop.groups[number - 1] if 0 < number <= len(workshop.groups) else ""


def _numbers(workshop: Workshop) -> dict[int, int]:
    """Each phone's number in this session, 1, 2, 3 ... in the order they joined: the
    database's ids would tell how many joined other sessions, and mean nothing to a reader."""
    joined = workshop.participants.order_by("pk").values_list("pk", flat=True)
    return {pk: n for n, pk in enumerate(joined, start=1)}


def workshop_sheets(workshop: Workshop, *, language: str) -> list[Sheet]:
    labels = {q.pk: labels_of(q, language) for q in workshop.questions.all()}
    number = _numbers(workshop)
    rows = []
    for a in (
        Answer.objects.filter(question__workshop=workshop)
        .select_related("question")
        .order_by("question__position", "answered_at")
    ):
        q = a.question
        rows.append(
            [
                q.position,
                q.prompt,
                q.get_kind_display(),
                number.get(a.participant_id),
                _group_name(workshop, a.group),
                answer_text(q, a, labels[q.pk]),
                _("hidden") if a.hidden else "",
                _local(a.answered_at),
            ]
        )
    sheets = [
        Sheet(
            title=_("Answers"),
            header=[
                _("No."),
                _("Question"),
                _("Kind"),
                _("Participant"),
                _("Group"),
                _("Answer"),
                _("Taken down"),
                _("Time"),
            ],
            rows=rows,
            widths=(6, 40, 18, 12, 20, 40, 12, 20),
            formats={8: TIME_FORMAT},
        )
    ]
    entries = (
        Entry.objects.filter(question__workshop=workshop)
        .select_related("question")
        .annotate(n=Count("votes"))
        .order_by("question__position", "-n", "created_at")
    )
    entry_rows = [
        [
            e.question.position,
            e.question.prompt,
            e.question.get_kind_display(),
            _group_name(workshop, e.group),
            e.text,
            e.n,
            number.get(e.participant_id),
            _("answered") if e.done else "",
            _("hidden") if e.hidden else "",
            _local(e.created_at),
        ]
        for e in entries
    ]
    if entry_rows:
        sheets.append(
            Sheet(
                title=_("Ideas and questions"),
                header=[
                    _("No."),
                    _("Question"),
                    _("Kind"),
                    _("Group"),
                    _("Text"),
                    _("Upvotes"),
                    _("Participant"),
                    _("Answered"),
                    _("Taken down"),
                    _("Time"),
                ],
                rows=entry_rows,
                widths=(6, 40, 18, 20, 50, 10, 12, 12, 12, 20),
                formats={10: TIME_FORMAT},
            )
        )
    return sheets

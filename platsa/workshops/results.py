"""What the screen shows for a question: counts per option or scale point (counted in the
database), or the words of the open answers, drawn as SVG."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from platsa.core.analysis.word_cloud import count_words
from platsa.core.render.count_bars import count_bars
from platsa.core.render.word_cloud import word_cloud
from platsa.workshops.models import SCALE_POINTS, Answer, Question

ANSWERS_LISTED = 500  # the newest, each with its take-down button


def question_results(question: Question, *, language: str = "sv") -> dict[str, Any]:
    answers = Answer.objects.filter(question=question)
    n = answers.count()
    out: dict[str, Any] = {"question": question, "n": n}
    if question.kind in (Question.Kind.CHOICE, Question.Kind.SCALE):
        field = "choice" if question.kind == Question.Kind.CHOICE else "value"
        counted = dict(
            answers.exclude(**{f"{field}__isnull": True})
            .values_list(field)
            .annotate(n=Count("pk"))
            .values_list(field, "n")
        )
        if question.kind == Question.Kind.CHOICE:
            labels = list(question.options)
            counts = [counted.get(i, 0) for i in range(len(labels))]
        else:
            labels = [str(v) for v in range(1, SCALE_POINTS + 1)]
            labels[0] = f"1 {question.low_label}".strip()
            labels[-1] = f"{SCALE_POINTS} {question.high_label}".strip()
            counts = [counted.get(v, 0) for v in range(1, SCALE_POINTS + 1)]
            total = sum(counts)
            out["mean"] = (
                sum(v * c for v, c in zip(range(1, SCALE_POINTS + 1), counts, strict=True)) / total
                if total
                else None
            )
        out["rows"] = list(zip(labels, counts, strict=True))
        out["svg"] = mark_safe(count_bars(labels, counts, title=question.prompt))
    else:
        shown = list(
            answers.filter(hidden=False).order_by("-answered_at").values_list("pk", "text")
        )
        found = count_words([t for _pk, t in shown], language=language)
        out["words"] = found
        out["answers"] = shown[:ANSWERS_LISTED]
        out["svg"] = mark_safe(
            word_cloud(
                found,
                title=question.prompt,
                desc=_("The words of the answers; the bigger, the more people wrote them."),
            )
        )
    return out

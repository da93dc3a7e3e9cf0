"""The session's report as PDF: for the minutes of a meeting, what the room answered to
each question, in order, with the screen's charts, the numbers behind them as tables, and
each themed group's results. Ideas and questions are listed in full, with their upvotes;
what the facilitator took down (an open answer, an idea) is left out, only counted.

WeasyPrint takes a second or more for a session with a map: the background worker makes
it (platsa.workshops.tasks), once per version of the answers and language (``data_key``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from platsa.web import pagecache
from platsa.workshops.entries import TAKES_ENTRIES
from platsa.workshops.models import Answer, Entry, EntryVote, Question, Workshop
from platsa.workshops.results import by_group, question_results

Kind = Question.Kind


def data_key(workshop: Workshop, language: str) -> str:
    """What the report depends on, short enough for a job's key (64 characters): the
    questions, the groups, and counts and latest times of the answers, ideas and votes
    (a changed answer moves its time; a vote taken back lowers the count)."""
    answers = Answer.objects.filter(question__workshop=workshop).aggregate(
        n=Count("pk"), hidden=Count("pk", filter=Q(hidden=True)), last=Max("answered_at")
    )
    entries = Entry.objects.filter(question__workshop=workshop).aggregate(
        n=Count("pk"),
        hidden=Count("pk", filter=Q(hidden=True)),
        done=Count("pk", filter=Q(done=True)),
        last=Max("created_at"),
    )
    votes = EntryVote.objects.filter(entry__question__workshop=workshop).aggregate(
        n=Count("pk"), last=Max("voted_at")
    )
    questions = list(
        workshop.questions.values_list(
            "pk", "position", "kind", "prompt", "options", "low_label", "high_label"
        )
    )
    return f"workshop:{workshop.process_id}:" + pagecache.digest(
        sorted(answers.items()),
        sorted(entries.items()),
        sorted(votes.items()),
        questions,
        workshop.groups,
        workshop.participants.count(),
        workshop.process.title,
        language,
    )


def _share(n: float, total: float) -> str:
    return f"{round(100 * n / total)}\u00a0%" if total else "–"


def _one(x: float | None) -> str:
    return "–" if x is None else number_format(x, 1)


def _table(head: list[str], rows: list[list[Any]], num: list[bool]) -> dict[str, Any]:
    """A table's head and rows of cells, each cell its text and whether it is a number
    (set right)."""

    def cells(row: list[Any]) -> list[dict[str, Any]]:
        return [{"text": c, "num": n} for c, n in zip(row, num, strict=True)]

    return {"head": cells(head), "rows": [cells(r) for r in rows]}


def _numbers(question: Question, results: dict[str, Any]) -> dict[str, Any] | None:
    """The numbers behind the chart, as a table a reader can quote (None: nothing to show)."""
    kind = question.kind
    if kind in (Kind.CHOICE, Kind.SCALE):
        rows = results.get("rows") or []
        total = sum(n for _label, n in rows)
        head = [_("Option") if kind == Kind.CHOICE else _("Point"), _("Answers"), _("Share")]
        return _table(
            head, [[label, n, _share(n, total)] for label, n in rows], [False, True, True]
        )
    if kind == Kind.RANKING:
        return _table(
            [_("Option"), _("Points"), _("Mean place")],
            [[label, p, _one(mean)] for label, p, mean in results.get("ranked", [])],
            [False, True, True],
        )
    if kind == Kind.POINTS:
        return _table(
            [_("Option"), _("Mean points")],
            [[label, _one(mean)] for label, mean in results.get("means", [])],
            [False, True],
        )
    if kind == Kind.MATRIX:
        head = ["", _("Option"), question.x_label or _("across"), question.y_label or _("up")]
        rows = [
            [number, label, _one(point[0] if point else None), _one(point[1] if point else None)]
            for number, label, point in results.get("placed", [])
        ]
        return _table(head, rows, [True, False, True, True])
    if kind == Kind.THEMES:
        return _table(
            [_("Theme"), _("Mean"), _("Answers")],
            [[label, _one(mean), n] for label, mean, n in results.get("themes", [])],
            [False, True, True],
        )
    if kind == Kind.PLACES:
        return _table(
            [_("Municipality"), _("Times named")],
            [[name, n] for name, n in results.get("named", [])],
            [False, True],
        )
    if kind == Kind.WORDS:
        return _table(
            [_("Word"), _("Answers"), _("Forms written")],
            [[w.text, w.count, ", ".join(w.variants)] for w in results.get("words", [])],
            [False, True, False],
        )
    return None


def _entries(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every idea or question on the board (not only the screen's top list), most upvoted
    first; the hidden ones are not on the board."""
    return [
        {"text": e.text, "votes": e.n, "done": e.done, "group": e.group_name}
        for e in results.get("board", [])
    ]


def _result(question: Question, results: dict[str, Any]) -> dict[str, Any]:
    """One question's results (for the room or one group) as the report shows them."""
    kind = question.kind
    # the open answers taken down are not counted
    n = len(results.get("answers", [])) if kind == Kind.WORDS else results.get("n", 0)
    return {
        "n": n,
        "svg": results.get("svg", "") if n else "",
        "mean": results.get("mean"),
        "table": _numbers(question, results) if n else None,
        "entries": _entries(results) if kind in TAKES_ENTRIES else [],
        "answers": [text for _pk, text in results.get("answers", [])],
        "votes": sum(e.n for e in results.get("board", [])),
    }


def _taken_down(question: Question) -> int:
    if question.kind in TAKES_ENTRIES:
        return Entry.objects.filter(question=question, hidden=True).count()
    if question.kind == Kind.WORDS:
        return Answer.objects.filter(question=question, hidden=True).count()
    return 0


def _question(question: Question, number: int, groups: list[str], language: str) -> dict:
    results = question_results(question, language=language)
    room = _result(question, results)
    per_group = []
    if groups:
        for found in by_group(question, groups, language=language):
            shown = _result(question, found)
            if question.kind == Kind.PLACES:
                shown["svg"] = ""  # a country's map per group: the table says it
            per_group.append({"name": found["name"], **shown})
    return {
        "number": number,
        "question": question,
        "prompt": question.prompt,
        "kind": question.get_kind_display(),
        "entries_kind": question.kind in TAKES_ENTRIES,
        "words_kind": question.kind == Kind.WORDS,
        "low_label": question.low_label,
        "high_label": question.high_label,
        "taken_down": _taken_down(question),
        "groups": per_group,
        **room,
    }


def _dates(workshop: Workshop) -> tuple[Any, Any]:
    """The first and the last time the room wrote anything (the session's day or days);
    the day the session was made when nobody answered."""
    answered = Answer.objects.filter(question__workshop=workshop).aggregate(
        first=Min("answered_at"), last=Max("answered_at")
    )
    written = Entry.objects.filter(question__workshop=workshop).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    firsts = [d for d in (answered["first"], written["first"]) if d]
    lasts = [d for d in (answered["last"], written["last"]) if d]
    if not firsts:
        return workshop.process.created_at, workshop.process.created_at
    return min(firsts), max(lasts)


def report_context(workshop: Workshop, language: str) -> dict[str, Any]:
    """Everything the report shows, in ``language`` (the kinds' names, the charts' texts)."""
    with translation.override(language):
        process = workshop.process
        groups = list(workshop.groups)
        first, last = _dates(workshop)
        joined = dict(
            workshop.participants.values_list("group")
            .annotate(n=Count("pk"))
            .values_list("group", "n")
        )
        return {
            "workshop": workshop,
            "process": process,
            "title": process.title,
            "place": process.place,
            "first": first,
            "last": last,
            "same_day": timezone.localdate(first) == timezone.localdate(last),
            "participants": sum(joined.values()),
            "groups": [
                {"name": name, "participants": joined.get(i, 0)}
                for i, name in enumerate(groups, start=1)
            ],
            "questions": [
                _question(q, i, groups, language)
                for i, q in enumerate(workshop.questions.all(), start=1)
            ],
        }


def report_pdf(workshop: Workshop, language: str) -> bytes:
    """The report as A4 PDF (no network: no base URL, the fonts are the system's)."""
    from weasyprint import HTML

    context = report_context(workshop, language)
    with translation.override(language):
        html = render_to_string("workshops/report_pdf.html", context)
    return bytes(HTML(string=html, base_url=None).write_pdf())

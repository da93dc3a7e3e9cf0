"""Official answers in bulk: the organisers download the ideas as a spreadsheet, write a
status and an answer for each in Excel (at a meeting, with the board), and upload it back.

The upload is read within tight bounds (size, rows, columns, seconds: a hostile file costs
at most that), every row is checked before anything is written, and any problem refuses the
whole file, naming the row, so that nothing is half done. Then each changed idea goes
through ``idea_set_status``, so its author, commenters and supporters are told.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.core.io.tabular import Sheet, TableLimits, write_xlsx
from platsa.innovation.models import BODY_MAX, Idea
from platsa.innovation.selectors import shown_ideas
from platsa.innovation.services import idea_set_status
from platsa.processes.models import Process
from platsa.web.sheet_uploads import SheetRefused, choice_by_name, read_named_columns

MAX_BYTES = 2_000_000
LIMITS = TableLimits(
    max_bytes=MAX_BYTES,
    max_rows=10_000,
    max_columns=30,
    max_cells=300_000,
    max_uncompressed_bytes=40_000_000,
    seconds=5,
)
# What a column may be called (lower case), in Swedish or English.
COLUMNS = {
    "id": ("id", "idé-id", "ide-id", "idea id", "idé", "nr"),
    "status": ("status",),
    "answer": ("svar", "answer", "officiellt svar", "official answer"),
    "reason": ("motivering", "reason", "why"),
}
HEADER = ["id", "titel", "status", "svar", "motivering"]


@dataclass(frozen=True)
class Change:
    idea: Idea
    status: str
    answer: str | None
    reason: str | None


class AnswersError(SheetRefused):
    """The file is refused; ``problems`` say why, row by row, in the reader's language."""


def template_xlsx(process: Process) -> bytes:
    """The process's shown ideas with their present status and answer, to fill in."""
    rows = [
        [i.pk, i.title, i.status, i.official_answer, i.selection_reason]
        for i in shown_ideas(process).order_by("pk")
    ]
    legend = [[value, str(label)] for value, label in Idea.Status.choices]
    return write_xlsx(
        [
            Sheet(_("Answers"), HEADER, rows, widths=(8, 50, 14, 60, 40)),
            Sheet(_("Statuses"), ["status", _("means")], legend, widths=(14, 30)),
        ]
    )


def _status(value: str) -> str | None:
    """A status by its id or its name in Swedish or English ("selected", "Vald")."""
    return choice_by_name(value, Idea.Status.choices)


def read_changes(process: Process, data: bytes, filename: str) -> list[Change]:
    """The changes the file asks for, or :class:`AnswersError` naming every problem."""
    table, where = read_named_columns(
        data, filename, limits=LIMITS, columns=COLUMNS, refused=AnswersError
    )
    # Only the shown ideas: a hidden, held or merged one gets no official answer this way
    # (its followers would be told of an idea they cannot see).
    ideas = shown_ideas(process).in_bulk()
    problems: list[str] = []
    changes: list[Change] = []
    seen: set[int] = set()

    def cell(row: list[str], key: str) -> str:
        i = where.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(table.rows, start=table.first_row_number):
        raw_id = cell(row, "id")
        if not raw_id and not any(c.strip() for c in row):
            continue
        idea = ideas.get(int(raw_id)) if raw_id.isascii() and raw_id.isdigit() else None
        if idea is None:
            problems.append(
                _("Row {n}: no idea of this process has the id “{id}”.").format(n=n, id=raw_id[:20])
            )
            continue
        if idea.pk in seen:
            problems.append(_("Row {n}: the idea {id} is named twice.").format(n=n, id=idea.pk))
            continue
        seen.add(idea.pk)
        status = _status(cell(row, "status")) if cell(row, "status") else idea.status
        if status is None:
            problems.append(
                _("Row {n}: “{value}” is not a status (see the sheet Statuses).").format(
                    n=n, value=cell(row, "status")[:40]
                )
            )
            continue
        answer = cell(row, "answer") if "answer" in where else None
        reason = cell(row, "reason") if "reason" in where else None
        if answer is not None and len(answer) > BODY_MAX:
            problems.append(_("Row {n}: the answer is longer than 5,000 characters.").format(n=n))
            continue
        changes.append(Change(idea, status, answer, reason))
        if len(problems) >= 20:
            break
    if problems:
        raise AnswersError(problems)
    return changes


@transaction.atomic
def answers_apply(*, process: Process, actor: User, changes: list[Change]) -> int:
    """Write the changes; the number of ideas that changed."""
    return sum(
        idea_set_status(idea=c.idea, actor=actor, status=c.status, answer=c.answer, reason=c.reason)
        for c in changes
    )

"""Background work for rounds: importing a spreadsheet of paper answers and making the board
report. Each runs in a worker (``manage.py db_worker``), never in a web request, so that a
hostile or huge file, or a long PDF, cannot tie up the pages everyone else is using."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django_tasks import task

from platsa.assessments.models import Round
from platsa.assessments.services import import_apply
from platsa.core.io.importer import (
    ImportErrorCode,
    ImportIssue,
    ImportValidationError,
    parse_table,
    table_issue,
)
from platsa.core.io.tabular import TableError, TableLimits, read_table
from platsa.core.schema.dataset import GroupInfo
from platsa.core.schema.frameworks import Side
from platsa.jobs.services import job_done, job_fail, job_start, progress_reporter


def issue_record(issue: ImportIssue) -> dict[str, Any]:
    """An import problem as JSON: translated when shown, in the reader's language."""
    return {
        "code": issue.code,
        "row": issue.row,
        "column": issue.column,
        "letter": issue.letter,
        "params": issue.params,
    }


def issue_from_record(data: dict[str, Any]) -> ImportIssue:
    return ImportIssue(
        data["code"], data.get("row"), data.get("column"), data.get("letter"), data["params"]
    )


def _round_id(job: Any) -> int:
    """The round a round's job belongs to (every job these tasks run has one)."""
    if job.round_id is None:
        raise LookupError(f"job {job.pk} has no round")
    return int(job.round_id)


@task()
def import_answers(job_id: int) -> None:
    """Read, check and store one uploaded file of paper answers, all or nothing."""
    job = job_start(job_id)
    if job is None:
        return
    round_ = Round.objects.select_related("process__place").get(pk=_round_id(job))
    groups = [
        GroupInfo(g.key, g.label_sv, Side(g.side), aliases=(g.label_en,) if g.label_en else ())
        for g in round_.groups.all()
    ]
    report = progress_reporter(job_id)
    try:
        with translation.override(job.language):
            table = read_table(
                bytes(job.input_data), job.input_name, limits=import_limits(), progress=report
            )
            report(len(table.rows), len(table.rows))
            imported = parse_table(
                table,
                round_.framework,
                groups=groups,
                max_rows=settings.PLATSA_IMPORT_MAX_ROWS,
                language=job.language,
            )
            batch = import_apply(
                round_=round_, user=job.created_by, imported=imported, filename=job.input_name
            )
    except TableError as exc:
        job_fail(job_id, result={"issues": [issue_record(table_issue(exc))], "total": 1})
    except ImportValidationError as exc:
        job_fail(
            job_id,
            result={"issues": [issue_record(i) for i in exc.issues], "total": exc.total},
        )
    except Exception:
        job_fail(
            job_id,
            result={"issues": [issue_record(ImportIssue(ImportErrorCode.UNEXPECTED))], "total": 1},
        )
        raise
    else:
        job_done(job_id, result={"imported": batch.rows, "batch": batch.pk})


def import_limits() -> TableLimits:
    """How much of an uploaded file the worker reads: tighter than the command line's
    defaults, from the settings. A real file unpacks about 12 times; the template has 51
    columns, so 100 cells a row leaves room for notes beside the answers."""
    return TableLimits(
        max_bytes=settings.PLATSA_IMPORT_MAX_BYTES,
        max_rows=settings.PLATSA_IMPORT_MAX_ROWS,
        max_columns=200,
        max_cells=settings.PLATSA_IMPORT_MAX_ROWS * 100,
        max_uncompressed_bytes=20 * settings.PLATSA_IMPORT_MAX_BYTES,
        seconds=settings.PLATSA_IMPORT_SECONDS,
    )


def _make_file(job_id: int, make: Any, name: str, content_type: str) -> None:
    """Run ``make(job, round_)`` -> bytes for a job whose result is a file, in the language
    of the person who asked for it."""
    job = job_start(job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            round_ = Round.objects.select_related("process__place__municipality").get(
                pk=_round_id(job)
            )
            data = make(job, round_, progress_reporter(job_id, every=1))
    except Exception:
        job_fail(job_id, result={"error": "unexpected"})
        raise
    job_done(job_id, output=data, output_name=name, output_type=content_type)


@task()
def board_report(job_id: int) -> None:
    """The board report as a PDF, under the public disclosure rules (board papers are public
    documents, whoever downloads it)."""

    def make(job: Any, round_: Round, report: Any) -> bytes:
        from platsa.assessments import reports
        from platsa.assessments.presenters import Audience, results_context
        from platsa.assessments.snapshots import displayed_analysis

        report(1, 3)
        context = results_context(displayed_analysis(round_), audience=Audience.PUBLIC)
        report(2, 3)
        return reports.report_pdf(context)

    _make_file(job_id, make, "rapport.pdf", "application/pdf")


@task()
def code_letters(job_id: int) -> None:
    """One batch of letters with unused one-time codes (``params``: batch, survey_url)."""

    def make(job: Any, round_: Round, report: Any) -> bytes:
        from platsa.assessments import reports

        report(1, 2)
        codes = letter_batch_codes(round_, job.params["batch"])
        return reports.letters_pdf(round_, job.params["survey_url"], codes)

    _make_file(job_id, make, "brev.pdf", "application/pdf")


@task()
def responses_workbook(job_id: int) -> None:
    """Every response as an XLSX in the import template's format (200,000 answers took two
    minutes: too long for a web request)."""

    def make(job: Any, round_: Round, report: Any) -> bytes:
        from platsa.assessments import reports

        report(1, 2)
        return reports.responses_xlsx(round_)

    _make_file(
        job_id,
        make,
        "svar.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


LETTERS_PER_PDF = 1000  # WeasyPrint lays out about 20 letters a second, and holds them all


def letter_batches(round_: Round) -> list[dict[str, int]]:
    """The round's codes in batches of :data:`LETTERS_PER_PDF`, in the order they were made,
    with how many in each are still unused (letters are printed only for those)."""
    used = list(round_.codes.order_by("id").values_list("used_at", flat=True))
    batches = []
    for start in range(0, len(used), LETTERS_PER_PDF):
        chunk = used[start : start + LETTERS_PER_PDF]
        batches.append(
            {
                "number": start // LETTERS_PER_PDF,
                "first": start + 1,
                "last": start + len(chunk),
                "unused": sum(1 for u in chunk if u is None),
            }
        )
    return batches


def letter_batch_codes(round_: Round, batch: int) -> list[str]:
    start = batch * LETTERS_PER_PDF
    codes = round_.codes.order_by("id").values_list("code", "used_at")[
        start : start + LETTERS_PER_PDF
    ]
    return [code for code, used_at in codes if used_at is None]

"""Files made in the background for a round: the board report, letters with one-time codes,
every response as a workbook. Asking for one starts a job (or reuses the one that made the
same file); its page shows progress, then the download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language

from platsa.accounts.requests import HtmxRequest
from platsa.assessments.models import Round
from platsa.assessments.tasks import board_report, code_letters, responses_workbook
from platsa.assessments.views.rounds import get_round_for_user
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_stalled
from platsa.jobs.services import job_for
from platsa.places.access import has_role
from platsa.places.models import Role
from platsa.web.downloads import download


@dataclass(frozen=True)
class FileKind:
    needs: Role  # who may ask for it and download it
    task: Any
    suffix: str  # of the downloaded file's name
    content_type: str


KINDS = {
    Job.Kind.REPORT: FileKind(Role.VIEWER, board_report, "rapport.pdf", "application/pdf"),
    Job.Kind.LETTERS: FileKind(Role.ORGANISER, code_letters, "brev.pdf", "application/pdf"),
    Job.Kind.RESPONSES: FileKind(
        Role.ORGANISER,
        responses_workbook,
        "svar.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def language() -> str:
    return (get_language() or "sv")[:2]


def start_file(
    request: HtmxRequest, round_: Round, kind: str, key: str, params: dict | None = None
) -> HttpResponse:
    """The file if it is made already; else its job's page (the job started if need be).

    ``key`` names what the file is made from (a version of the data, the language, a
    batch): the same key again reuses the job instead of making the file again."""
    job = job_for(
        kind=kind,
        key=key,
        place=round_.place,
        round_=round_,
        user=request.user,
        task=KINDS[Job.Kind(kind)].task,
        language=language(),
        params=params,
    )
    if job.status == Job.Status.DONE:
        return _file(round_, job.pk)
    return redirect("assessments:file_job", round_.place.slug, round_.slug, job.pk)


@login_required
def file_job(request: HtmxRequest, slug: str, round_slug: str, job_id: int) -> HttpResponse:
    """How the file is coming along; htmx asks again every second until it is ready."""
    round_, job = _job(request, slug, round_slug, job_id)
    context = {
        "round": round_,
        "place": round_.place,
        "job": job,
        "stalled": job_stalled(job),
        "again": request.GET.get("again", ""),
    }
    template = "assessments/_file_status.html" if request.htmx else "assessments/file_job.html"
    return render(request, template, context)


@login_required
def job_file(request: HtmxRequest, slug: str, round_slug: str, job_id: int) -> HttpResponse:
    round_, _unused = _job(request, slug, round_slug, job_id)
    return _file(round_, job_id)


def _job(request: HttpRequest, slug: str, round_slug: str, job_id: int) -> tuple[Round, Job]:
    """The job, if the person's role allows its kind (viewers: the board report only)."""
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    job = Job.objects.defer("input_data", "output_data").filter(round=round_, pk=job_id).first()
    if job is None or job.kind not in KINDS:
        raise Http404
    if not has_role(role, KINDS[Job.Kind(job.kind)].needs):
        raise PermissionDenied
    return round_, job


def _file(round_: Round, job_id: int) -> HttpResponse:
    job = Job.objects.filter(round=round_, pk=job_id, status=Job.Status.DONE).first()
    if job is None or job.kind not in KINDS:
        raise Http404
    kind = KINDS[Job.Kind(job.kind)]
    stem = slugify(f"{round_.place.name}-{round_.name}") or "platsa"
    return download(bytes(job.output_data), kind.content_type, f"{stem}-{kind.suffix}")

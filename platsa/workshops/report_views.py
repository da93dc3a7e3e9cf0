"""The session's report as PDF, for the organisers: ask for it (a job for the background
worker, one per version of the answers and language, so a meeting's worth of clicks makes
one file), watch it being made, download it.

The paths are relative to a session's own ("<slug:process_slug>/"), included by
platsa.workshops.urls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_stalled
from platsa.jobs.services import job_for
from platsa.places.models import Role
from platsa.processes.models import Process
from platsa.web.downloads import download
from platsa.workshops.models import Workshop
from platsa.workshops.report import data_key
from platsa.workshops.tasks import workshop_report
from platsa.workshops.views import _lang, _load

KIND = Job.Kind.WORKSHOP
KEY_PREFIX = "workshop:"


@login_required
@require_POST
def report_start(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """Start the report, or find the one already made (or being made) of these answers."""
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    language = _lang()
    with transaction.atomic():
        # one report per version even when the whole room's organisers click at once
        Process.objects.select_for_update().filter(pk=process.pk).first()
        job = job_for(
            kind=KIND,
            key=data_key(workshop, language),
            place=process.place,
            round_=None,
            user=request.user,
            task=workshop_report,
            language=language,
            params={"workshop": workshop.pk},
        )
    return redirect("workshops:report_job", slug=slug, process_slug=process_slug, job_id=job.pk)


def _job(
    request: AuthenticatedRequest, slug: str, process_slug: str, job_id: int
) -> tuple[Process, Workshop, Job]:
    """The session and one of its report jobs (404 for another session's, or another kind)."""
    process, workshop, _role = _load(request, slug, process_slug, Role.ORGANISER)
    job = (
        Job.objects.defer("input_data", "output_data")
        .filter(place=process.place, round=None, kind=KIND, pk=job_id, key__startswith=KEY_PREFIX)
        .first()
    )
    if job is None or job.params.get("workshop") != workshop.pk:
        raise Http404
    return process, workshop, job


@login_required
@require_GET
def report_job(
    request: AuthenticatedRequest, slug: str, process_slug: str, job_id: int
) -> HttpResponse:
    """How the report is coming along; htmx asks again every second until it is ready (and
    takes the status out of the page: ``hx-select``)."""
    process, workshop, job = _job(request, slug, process_slug, job_id)
    context = {
        "place": process.place,
        "process": process,
        "workshop": workshop,
        "job": job,
        "stalled": job_stalled(job),
    }
    return render(request, "workshops/report_job.html", context)


@login_required
@require_GET
def report_file(
    request: AuthenticatedRequest, slug: str, process_slug: str, job_id: int
) -> HttpResponse:
    process, _workshop, job = _job(request, slug, process_slug, job_id)
    done = Job.objects.filter(pk=job.pk, status=Job.Status.DONE).only("output_data").first()
    if done is None:
        raise Http404
    name = f"{slugify(process.title) or 'workshop'}.pdf"
    return download(bytes(done.output_data), "application/pdf", name)


urlpatterns_report: list[URLPattern] = [
    path("rapport/", report_start, name="report"),
    path("rapport/<int:job_id>/", report_job, name="report_job"),
    path("rapport/<int:job_id>/fil/", report_file, name="report_file"),
]

"""Reads about jobs for their pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from platsa.jobs.models import Job

if TYPE_CHECKING:
    from platsa.assessments.models import Round

# Longer than a job may run: past this a job that still says "running" lost its worker
# (killed, restarted) and will not finish. An import stops itself after
# PLATSA_IMPORT_SECONDS; files (a PDF of 1,000 letters) take a few minutes at most.
RUNNING_AT_MOST = timedelta(minutes=10)


def _running_at_most(job: Job) -> timedelta:
    if job.kind == Job.Kind.IMPORT:
        return timedelta(seconds=settings.PLATSA_IMPORT_SECONDS + 60)
    return RUNNING_AT_MOST


# A job still waiting after this long suggests no worker is running at all.
WAITING_AT_MOST = timedelta(seconds=30)


def job_stalled(job: Job, now: datetime | None = None) -> str:
    """ "" while all is well; "waiting" or "lost" when the person should be told."""
    now = now or timezone.now()
    if job.status == Job.Status.QUEUED and now - job.created_at > WAITING_AT_MOST:
        return "waiting"
    if (
        job.status == Job.Status.RUNNING
        and job.started_at
        and now - job.started_at > _running_at_most(job)
    ):
        return "lost"
    return ""


def job_of_round(round_: Round, job_id: int, kind: str) -> Job:
    """One of a round's jobs for its page (404 if it is another round's, or another kind);
    without the files, which the page never shows."""
    return get_object_or_404(
        Job.objects.defer("input_data", "output_data"), round=round_, pk=job_id, kind=kind
    )

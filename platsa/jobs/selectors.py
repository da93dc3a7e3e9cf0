"""Reads about jobs for their pages."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone

from platsa.jobs.models import Job

# Longer than any job may run (imports stop themselves within a minute): past this a job that
# still says "running" lost its worker (killed, restarted) and will not finish.
RUNNING_AT_MOST = timedelta(minutes=10)
# A job still waiting after this long suggests no worker is running at all.
WAITING_AT_MOST = timedelta(seconds=30)


def job_stalled(job: Job, now: object = None) -> str:
    """ "" while all is well; "waiting" or "lost" when the person should be told."""
    now = now or timezone.now()
    if job.status == Job.Status.QUEUED and now - job.created_at > WAITING_AT_MOST:
        return "waiting"
    if (
        job.status == Job.Status.RUNNING
        and job.started_at
        and now - job.started_at > RUNNING_AT_MOST
    ):
        return "lost"
    return ""


def job_of_round(round_: object, job_id: int, kind: str) -> Job:
    """One of a round's jobs for its page (404 if it is another round's, or another kind);
    without the files, which the page never shows."""
    return get_object_or_404(
        Job.objects.defer("input_data", "output_data"), round=round_, pk=job_id, kind=kind
    )

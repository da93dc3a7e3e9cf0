"""Writes for jobs: create and enqueue, report progress, finish. One function per step.

A job's progress is written with ``update()`` on its own row only, so a long import never
holds a lock that a page or another job waits for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.utils import timezone

from platsa.jobs.models import Job

if TYPE_CHECKING:
    from platsa.accounts.models import User
    from platsa.assessments.models import Round
    from platsa.places.models import Place

KEEP_FOR = timedelta(days=7)  # finished jobs (and their files) are kept this long


def job_create(
    *,
    kind: str,
    place: Place,
    round_: Round | None,
    user: User,
    task: Any,
    language: str,
    key: str = "",
    input_name: str = "",
    input_data: bytes = b"",
    params: dict | None = None,
) -> Job:
    """Store the job and enqueue ``task`` (a django-tasks task taking the job's id) once the
    transaction commits, so that the worker never looks for a job that isn't there yet."""
    job = Job.objects.create(
        kind=kind,
        place=place,
        round=round_,
        created_by=user,
        key=key,
        language=language,
        input_name=short_name(input_name, 200),
        input_data=input_data,
        params=params or {},
    )
    transaction.on_commit(lambda: task.enqueue(job.pk))
    Job.objects.filter(
        place=place, finished_at__lt=timezone.now() - KEEP_FOR
    ).delete()  # old results go; nobody is waiting for them
    return job


def short_name(name: str, limit: int) -> str:
    """A file name cut to ``limit`` characters, keeping its extension: the reader is chosen by
    it (a 300-character name used to lose ".csv" and be refused as the wrong kind of file)."""
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 10:
        return stem[: limit - len(ext) - 1] + "." + ext
    return name[:limit]


def job_start(job_id: int) -> Job | None:
    """Claim a queued job; None if it is gone (its round was deleted) or already ran."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    return Job.objects.filter(pk=job_id).first() if claimed else None


class Reporter(Protocol):
    def __call__(self, done: int, total: int | None = None) -> None: ...


def progress_reporter(job_id: int, *, every: int = 500) -> Reporter:
    """A callback for long loops: writes how far the job got, at most every ``every`` steps."""
    last = [0]

    def report(done: int, total: int | None = None) -> None:
        if done - last[0] < every and total is None:
            return
        last[0] = done
        fields: dict[str, Any] = {"progress_done": done}
        if total is not None:
            fields["progress_total"] = total
        Job.objects.filter(pk=job_id).update(**fields)

    return report


def job_done(
    job_id: int,
    *,
    result: dict | None = None,
    output: bytes = b"",
    output_name: str = "",
    output_type: str = "",
) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE,
        result=result or {},
        output_data=output,
        output_name=short_name(output_name, 200),
        output_type=output_type[:100],
        input_data=b"",  # the uploaded answers are not kept once they are read
        finished_at=timezone.now(),
    )


def job_fail(job_id: int, *, result: dict) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, result=result, input_data=b"", finished_at=timezone.now()
    )


def job_for(
    *,
    kind: str,
    key: str,
    place: Place,
    round_: Round | None,
    user: User,
    task: Any,
    language: str,
    params: dict | None = None,
) -> Job:
    """The job that makes (or made) the file ``key`` names, started if there is none: the
    same file asked for again reuses it; a job whose worker was lost is failed and replaced.
    Jobs of a round are looked up by the round, others by the place."""
    from platsa.jobs.selectors import job_stalled

    scope = {"round": round_} if round_ is not None else {"place": place, "round": None}
    job = (
        Job.objects.filter(kind=kind, key=key, **scope)
        .exclude(status=Job.Status.FAILED)
        .defer("input_data", "output_data")
        .first()
    )
    if job is not None and job_stalled(job) == "lost":
        job_fail(job.pk, result={"error": "lost"})
        job = None
    if job is None:
        job = job_create(
            kind=kind,
            place=place,
            round_=round_,
            user=user,
            task=task,
            language=language,
            key=key,
            params=params,
        )
    return job

"""Background work for plans: the local development plan as PDF or DOCX. Gathering the
plan (every action, milestone and update, the assessment's snapshots) and WeasyPrint's
drawing take seconds for a large plan: never in a request. The XLSX is made in the request
(values only, no drawing: well under a second for the issue's 200 actions)."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from platsa.jobs.services import job_done, job_fail, job_start, progress_reporter

NAMES = {"pdf": "lup.pdf", "docx": "lup.docx"}


@task()
def plan_document(job_id: int) -> None:
    """The document ``params["format"]`` (pdf or docx) of the plan ``params["plan"]``, in the
    job's language, with the assessment as ``params["public"]`` says (what the public sees,
    for a member from outside the organising place)."""
    from platsa.plans.documents import CONTENT_TYPES, lup_content, make
    from platsa.plans.models import Plan

    job = job_start(job_id)
    if job is None:
        return
    fmt = str(job.params.get("format", ""))
    try:
        with translation.override(job.language):
            report = progress_reporter(job_id, every=1)
            report(1, 3)
            plan = (
                Plan.objects.select_related("process__place__municipality", "process__place_set")
                .filter(
                    pk=job.params.get("plan"), process__kind="plan", process__place_id=job.place_id
                )
                .first()
            )
            if plan is None or fmt not in NAMES:
                job_fail(job_id, result={"error": "gone"})
                return
            content = lup_content(
                plan, public=bool(job.params.get("public", True)), language=job.language
            )
            report(2, 3)
            data = make(content, fmt)
    except Exception:
        job_fail(job_id, result={"error": "unexpected"})
        raise
    job_done(job_id, output=data, output_name=NAMES[fmt], output_type=CONTENT_TYPES[fmt])

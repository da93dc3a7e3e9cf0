"""Background work for workshop sessions: the session's report, whose charts and map take
WeasyPrint a second or more: never in a request."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from platsa.jobs.services import job_done, job_fail, job_start, progress_reporter


@task()
def workshop_report(job_id: int) -> None:
    """The PDF report of the session ``params["workshop"]``, in the job's language."""
    from platsa.workshops.models import Workshop
    from platsa.workshops.report import report_pdf

    job = job_start(job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            report = progress_reporter(job_id, every=1)
            report(1, 3)
            workshop = (
                Workshop.objects.select_related("process__place")
                .filter(pk=job.params.get("workshop"))
                .first()
            )
            if workshop is None:
                job_fail(job_id, result={"error": "gone"})
                return
            report(2, 3)
            data = report_pdf(workshop, job.language)
    except Exception:
        job_fail(job_id, result={"error": "unexpected"})
        raise
    job_done(job_id, output=data, output_name="workshop.pdf", output_type="application/pdf")

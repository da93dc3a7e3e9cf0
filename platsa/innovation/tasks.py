"""Background work for open innovation: the summary report ("white paper"), whose counts
over a journey's supports and likes and WeasyPrint's drawing take seconds: never in a
request."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from platsa.jobs.services import job_done, job_fail, job_start, progress_reporter


@task()
def innovation_report(job_id: int) -> None:
    """The PDF summary report of the process ``params["process"]``, in the job's language."""
    from platsa.innovation.report import report_pdf
    from platsa.processes.models import Process

    job = job_start(job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            report = progress_reporter(job_id, every=1)
            report(1, 3)
            process = (
                Process.objects.select_related("place__municipality")
                .filter(pk=job.params.get("process"), kind="innovation", place_id=job.place_id)
                .first()
            )
            if process is None:
                job_fail(job_id, result={"error": "gone"})
                return
            report(2, 3)
            data = report_pdf(process, job.language)
    except Exception:
        job_fail(job_id, result={"error": "unexpected"})
        raise
    job_done(job_id, output=data, output_name="report.pdf", output_type="application/pdf")

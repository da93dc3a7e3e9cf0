"""Background work for mappings: the comparison report, whose table of hundreds of
municipalities and four maps take WeasyPrint seconds (4 s for 300): never in a request."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from platsa.jobs.services import job_done, job_fail, job_start, progress_reporter


@task()
def comparison_report(job_id: int) -> None:
    """The comparison PDF of the mapping ``params["mapping"]``, in the job's language."""
    from platsa.mappings import selectors
    from platsa.mappings.models import Programme
    from platsa.mappings.views import comparison_pdf
    from platsa.processes.models import Process

    job = job_start(job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            report = progress_reporter(job_id, every=1)
            report(1, 3)
            mapping = Process.objects.select_related("place").get(pk=job.params["mapping"])
            units = selectors.units_of(mapping)
            key = selectors.data_key(units)
            compared = selectors.comparison(mapping, units, key)
            if compared is None:
                job_fail(job_id, result={"error": "empty"})
                return
            programme = Programme.objects.filter(mapping=mapping).first()
            report(2, 3)
            data = comparison_pdf(mapping, units, compared, key, programme)
    except Exception:
        job_fail(job_id, result={"error": "unexpected"})
        raise
    job_done(job_id, output=data, output_name="jamforelse.pdf", output_type="application/pdf")

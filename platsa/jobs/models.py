"""A piece of background work that someone is waiting for, with its progress and result.

django-tasks runs the work (``manage.py db_worker``); this record is what the person's page
reads while it runs: how far it got, and then the result or the file. Its input (an
uploaded spreadsheet with people's answers) is cleared as soon as the work is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("Import of paper answers")
        REPORT = "report", _("Board report (PDF)")
        LETTERS = "letters", _("Letters with one-time codes (PDF)")
        RESPONSES = "responses", _("All responses (XLSX)")
        COMPARISON = "comparison", _("Comparison report (PDF)")
        WORKSHOP = "workshop", _("Workshop report (PDF)")
        INNOVATION = "innovation", _("Open-innovation summary report (PDF)")
        PLAN = "plan", _("Local development plan (PDF, DOCX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="jobs")
    round = models.ForeignKey(
        "assessments.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Identifies what the job makes, e.g. a report of one version of a round's data in one
    # language: a second request for the same thing reuses the job instead of redoing it.
    key = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, default="sv")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    input_name = models.CharField(max_length=200, blank=True)
    input_data = models.BinaryField(blank=True, default=b"")
    output_name = models.CharField(max_length=200, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    output_data = models.BinaryField(blank=True, default=b"")
    params = models.JSONField(default=dict, blank=True)  # what the task needs besides the round
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["round", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

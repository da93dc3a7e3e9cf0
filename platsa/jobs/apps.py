from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work a person waits for (an import, a PDF report): its progress and result."""

    name = "platsa.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

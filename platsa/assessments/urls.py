"""Organisers' round pages, under /platser/<place>/omgangar/."""

from django.urls import path, register_converter

from platsa.assessments.views import files, results, rounds


class _Choice:
    """A path part that is one of a few file extensions; anything else is a 404."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SheetFormat(_Choice):
    regex = "xlsx|csv"


class ImageFormat(_Choice):
    regex = "svg|png"


register_converter(SheetFormat, "sheet")
register_converter(ImageFormat, "image")

app_name = "assessments"
urlpatterns = [
    path("ny/", rounds.round_create_view, name="create"),
    path("<slug:round_slug>/", rounds.dashboard, name="dashboard"),
    path("<slug:round_slug>/status/", rounds.round_status, name="status"),
    path("<slug:round_slug>/installningar/", rounds.round_settings, name="settings"),
    path("<slug:round_slug>/grupper/", rounds.groups_edit, name="groups"),
    path("<slug:round_slug>/import/", rounds.import_view, name="import"),
    path("<slug:round_slug>/import/jobb/<int:job_id>/", rounds.import_job, name="import_job"),
    path(
        "<slug:round_slug>/import/<int:batch_id>/ta-bort/",
        rounds.import_delete,
        name="import_delete",
    ),
    path("<slug:round_slug>/mall.<sheet:fmt>", results.template_file, name="template"),
    path("<slug:round_slug>/radera-svar/", rounds.response_erase_view, name="response_erase"),
    path("<slug:round_slug>/koder/", rounds.codes_view, name="codes"),
    path("<slug:round_slug>/koder.csv", results.codes_csv, name="codes_csv"),
    path("<slug:round_slug>/brev.pdf", results.letters, name="letters"),
    path("<slug:round_slug>/kommentarer/", rounds.comments_view, name="comments"),
    path("<slug:round_slug>/resultat/", results.results, name="results"),
    path("<slug:round_slug>/resultat/kor-igen/", results.rerun, name="rerun"),
    path(
        "<slug:round_slug>/resultat/kommentarer/<slug:theme_id>/",
        results.theme_comments,
        name="theme_comments",
    ),
    path("<slug:round_slug>/resultat.xlsx", results.export_results, name="export_results"),
    path("<slug:round_slug>/rapport.pdf", results.export_pdf, name="export_pdf"),
    path("<slug:round_slug>/filer/<int:job_id>/", files.file_job, name="file_job"),
    path("<slug:round_slug>/filer/<int:job_id>/fil/", files.job_file, name="job_file"),
    path("<slug:round_slug>/svar.<sheet:fmt>", results.export_responses, name="export_responses"),
    path("<slug:round_slug>/qr.<image:fmt>", results.qr_code, name="qr"),
]

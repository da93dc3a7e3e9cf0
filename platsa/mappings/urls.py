"""A coordinator's mappings, under /platser/<place>/kartlaggningar/."""

from django.urls import path

from platsa.mappings import programme_views, views

app_name = "mappings"
urlpatterns = [
    path("ny/", views.mapping_create_view, name="create"),
    path("<slug:mapping_slug>/", views.mapping_detail, name="detail"),
    path("<slug:mapping_slug>/fas/", views.mapping_phase, name="phase"),
    path("<slug:mapping_slug>/program/", views.mapping_programme, name="programme"),
    path("<slug:mapping_slug>/jamforelse.xlsx", views.mapping_export, name="export"),
    path("<slug:mapping_slug>/jamforelse.pdf", views.mapping_pdf, name="pdf"),
    path("<slug:mapping_slug>/rapport/<int:job_id>/", views.mapping_pdf_job, name="pdf_job"),
    path("<slug:mapping_slug>/rapport/<int:job_id>/fil/", views.mapping_pdf_file, name="pdf_file"),
    path(
        "<slug:mapping_slug>/utbyggnadsprogram/",
        programme_views.programme_detail,
        name="programme_page",
    ),
    path(
        "<slug:mapping_slug>/utbyggnadsprogram/utkast/",
        programme_views.programme_draft_view,
        name="programme_draft",
    ),
    path(
        "<slug:mapping_slug>/utbyggnadsprogram/redigera/",
        programme_views.programme_edit,
        name="programme_edit",
    ),
]

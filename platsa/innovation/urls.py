"""Organisers' pages of a place's open-innovation processes, under /platser/<place>/innovation/."""

from django.urls import path

from platsa.innovation import manage_views as views
from platsa.innovation import report_views

app_name = "innovation"
urlpatterns = [
    path("ny/", views.create, name="create"),
    path("<slug:process_slug>/", views.manage, name="manage"),
    path("<slug:process_slug>/fas/", views.phase, name="phase"),
    path("<slug:process_slug>/installningar/", views.settings_view, name="settings"),
    path("<slug:process_slug>/teman/", views.themes, name="themes"),
    path("<slug:process_slug>/stopp/", views.stop_add, name="stop_add"),
    path("<slug:process_slug>/stopp/<int:stop_id>/bort/", views.stop_delete, name="stop_delete"),
    path("<slug:process_slug>/moderatorer/", views.moderator_add_view, name="moderator_add"),
    path("<slug:process_slug>/utmaning/ny/", views.challenge_edit, name="challenge_new"),
    path(
        "<slug:process_slug>/utmaning/<int:challenge_id>/",
        views.challenge_edit,
        name="challenge_edit",
    ),
    path("<slug:process_slug>/moderering/", views.moderation, name="moderation"),
    path("<slug:process_slug>/moderering/gor/", views.moderate_view, name="moderate"),
    path("<slug:process_slug>/moderering.csv", views.moderation_log, name="moderation_log"),
    path("<slug:process_slug>/ideer/", views.ideas_manage, name="ideas"),
    path("<slug:process_slug>/ideer/<int:idea_id>/status/", views.idea_status, name="status"),
    path("<slug:process_slug>/ideer/sammanfoga/", views.merge, name="merge"),
    path("<slug:process_slug>/ideer/svar.xlsx", views.answers_template, name="answers_template"),
    path("<slug:process_slug>/ideer/svar/", views.answers_upload, name="answers_upload"),
    path("<slug:process_slug>/flode/", views.feed_post, name="feed_post"),
    path("<slug:process_slug>/rapport/", report_views.report_start, name="report"),
    path("<slug:process_slug>/export/", report_views.export_links, name="exports"),
]

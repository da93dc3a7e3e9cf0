"""A place's workshop sessions, under /platser/<place>/workshoppar/."""

from django.urls import include, path

from platsa.workshops import views
from platsa.workshops.report_views import urlpatterns_report
from platsa.workshops.transfer_views import urlpatterns_place, urlpatterns_session

app_name = "workshops"
urlpatterns = [
    path("ny/", views.workshop_create_view, name="create"),
    path("", include(urlpatterns_place)),
    path("<slug:process_slug>/", views.workshop_detail, name="detail"),
    path("<slug:process_slug>/fragor/", views.question_add_view, name="question_add"),
    path("<slug:process_slug>/visa/", views.workshop_show_view, name="show"),
    path("<slug:process_slug>/resultat/", views.workshop_hide_view, name="hide"),
    path("<slug:process_slug>/avsluta/", views.workshop_close_view, name="close"),
    path(
        "<slug:process_slug>/svar/<int:answer_id>/dolj/", views.answer_hide_view, name="answer_hide"
    ),
    path("<slug:process_slug>/installningar/", views.workshop_settings_view, name="settings"),
    path("<slug:process_slug>/sida-vid-sida/", views.side_by_side_view, name="side_by_side"),
    path("<slug:process_slug>/inlagg/<int:entry_id>/", views.entry_moderate_view, name="entry"),
    path(
        "<slug:process_slug>/fragor/<int:question_id>/omgang/",
        views.round_from_question_view,
        name="to_round",
    ),
    path(
        "<slug:process_slug>/fragor/<int:question_id>/ideer/",
        views.ideas_from_question_view,
        name="to_ideas",
    ),
    path(
        "<slug:process_slug>/fragor/<int:question_id>/andra/",
        views.question_edit_view,
        name="question_edit",
    ),
    path(
        "<slug:process_slug>/fragor/<int:question_id>/ta-bort/",
        views.question_delete_view,
        name="question_delete",
    ),
    path(
        "<slug:process_slug>/fragor/<int:question_id>/flytta/",
        views.question_move_view,
        name="question_move",
    ),
    path("<slug:process_slug>/svar.xlsx", views.workshop_export, name="export"),
    path("<slug:process_slug>/", include(urlpatterns_report)),
    path("<slug:process_slug>/", include(urlpatterns_session)),
]

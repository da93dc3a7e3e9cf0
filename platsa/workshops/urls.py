"""A place's workshop sessions, under /platser/<place>/workshoppar/."""

from django.urls import path

from platsa.workshops import views

app_name = "workshops"
urlpatterns = [
    path("ny/", views.workshop_create_view, name="create"),
    path("<slug:process_slug>/", views.workshop_detail, name="detail"),
    path("<slug:process_slug>/fragor/", views.question_add_view, name="question_add"),
    path("<slug:process_slug>/visa/", views.workshop_show_view, name="show"),
    path("<slug:process_slug>/resultat/", views.workshop_hide_view, name="hide"),
    path("<slug:process_slug>/avsluta/", views.workshop_close_view, name="close"),
    path(
        "<slug:process_slug>/svar/<int:answer_id>/dolj/", views.answer_hide_view, name="answer_hide"
    ),
    path("<slug:process_slug>/svar.xlsx", views.workshop_export, name="export"),
]

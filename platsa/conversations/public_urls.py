"""The participants' pages of a conversation, under /samtal/<id>/ (no account needed)."""

from django.urls import path

from platsa.conversations import participate, views

app_name = "conversations_public"
urlpatterns = [
    path("<str:public_id>/", participate.take_part, name="take_part"),
    path("<str:public_id>/rosta/", participate.vote, name="vote"),
    path("<str:public_id>/skriv/", participate.write, name="write"),
    path("<str:public_id>/resultat/", participate.results, name="results"),
    path("<str:public_id>/resultat/live/", participate.results_live, name="results_live"),
    path("<str:public_id>/resultat/handelser/", participate.results_events, name="results_events"),
    path("<str:public_id>/mina-roster.json", participate.export_own, name="export_own"),
    path("<str:public_id>/radera/", participate.delete_own, name="delete_own"),
    path("<str:public_id>/qr.svg", views.qr_code, name="qr"),
]

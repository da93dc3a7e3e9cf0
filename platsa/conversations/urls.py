"""A place's conversations, under /platser/<place>/samtal/."""

from django.urls import path

from platsa.conversations import views

app_name = "conversations"
urlpatterns = [
    path("ny/", views.conversation_create_view, name="create"),
    path("<slug:process_slug>/", views.conversation_detail, name="detail"),
    path("<slug:process_slug>/pastaenden/", views.conversation_seed, name="seed"),
    path("<slug:process_slug>/installningar/", views.conversation_settings, name="settings"),
    path("<slug:process_slug>/fas/", views.conversation_phase, name="phase"),
    path(
        "<slug:process_slug>/moderera/<int:statement_id>/",
        views.statement_moderate_view,
        name="moderate",
    ),
    path("<slug:process_slug>/import/", views.conversation_import, name="import"),
    path("<slug:process_slug>/moderering.csv", views.moderation_log, name="moderation_log"),
    path("<slug:process_slug>/polis-export.zip", views.polis_export, name="polis_export"),
]

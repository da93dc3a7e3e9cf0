"""The room's pages: /w/ to type the code, /w/<code>/ on the phones, /w/<code>/skarm/ on
the projector."""

from django.urls import path

from platsa.workshops import participate, pins, views

app_name = "workshops_public"
urlpatterns = [
    path("", participate.join, name="join"),
    path("karta/<str:country>-<str:language>.svg", pins.pin_map, name="pin_map"),
    path("<str:code>/", participate.session, name="session"),
    path("<str:code>/svara/", participate.answer, name="answer"),
    path("<str:code>/ide/", participate.entry, name="entry"),
    path("<str:code>/plus/", participate.upvote, name="upvote"),
    path("<str:code>/grupp/", participate.group, name="group"),
    path("<str:code>/lage/", participate.state, name="state"),
    path("<str:code>/skarm/", views.screen, name="screen"),
    path("<str:code>/skarm/del/", views.screen_part, name="screen_part"),
    path("<str:code>/handelser/", views.events, name="events"),
]

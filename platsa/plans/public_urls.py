"""The public follow-up of published plans, under /uppfoljning/."""

from django.urls import path

from platsa.plans import public_views as views

app_name = "plans_public"
urlpatterns = [
    path("epost/", views.notify, name="notify"),
    path("<slug:place_slug>/<slug:plan_slug>/", views.plan_page, name="plan"),
    path("<slug:place_slug>/<slug:plan_slug>/flode.xml", views.feed, name="feed"),
    path(
        "<slug:place_slug>/<slug:plan_slug>/atgard/<int:action_id>/",
        views.action_page,
        name="action",
    ),
    path(
        "<slug:place_slug>/<slug:plan_slug>/atgard/<int:action_id>/folj/",
        views.follow,
        name="follow",
    ),
    path(
        "<slug:place_slug>/<slug:plan_slug>/bild/<int:update_id>/",
        views.image,
        name="image",
    ),
]

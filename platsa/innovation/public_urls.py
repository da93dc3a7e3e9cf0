"""The public pages of an open-innovation process, under /i/<place>/<process>/: read by
anyone; writing needs a sign-in by e-mailed code."""

from django.urls import path

from platsa.innovation import public_views as views
from platsa.innovation import report_views

app_name = "innovation_public"
urlpatterns = [
    path("bild/<int:image_id>/", views.image, name="image"),
    path("export/<str:token>/", report_views.signed_export, name="signed_export"),
    path("<slug:place_slug>/<slug:process_slug>/", views.process_page, name="process"),
    path("<slug:place_slug>/<slug:process_slug>/ny/", views.idea_new, name="idea_new"),
    path("<slug:place_slug>/<slug:process_slug>/liknande/", views.similar, name="similar"),
    path("<slug:place_slug>/<slug:process_slug>/flode/", views.feed, name="feed"),
    path("<slug:place_slug>/<slug:process_slug>/flode/<int:post_id>/", views.post, name="post"),
    path(
        "<slug:place_slug>/<slug:process_slug>/flode/<int:post_id>/gilla/",
        views.post_like,
        name="post_like",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/flode/<int:post_id>/kommentar/",
        views.post_comment,
        name="post_comment",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/utmaning/<int:challenge_id>/",
        views.challenge,
        name="challenge",
    ),
    path("<slug:place_slug>/<slug:process_slug>/policy/", views.policy, name="policy"),
    path("<slug:place_slug>/<slug:process_slug>/om-dig/", views.profile, name="profile"),
    path("<slug:place_slug>/<slug:process_slug>/teman/", views.themes_page, name="themes"),
    path("<slug:place_slug>/<slug:process_slug>/folj/", views.follow, name="follow"),
    path("<slug:place_slug>/<slug:process_slug>/<int:idea_id>/", views.idea_page, name="idea"),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/stod/",
        views.support,
        name="support",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/gilla/",
        views.like,
        name="like",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/kommentar/",
        views.comment,
        name="comment",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/lofte/",
        views.pledge,
        name="pledge",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/lofte/<int:pledge_id>/bort/",
        views.pledge_withdraw_view,
        name="pledge_withdraw",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/anmal/",
        views.report,
        name="report",
    ),
    path(
        "<slug:place_slug>/<slug:process_slug>/<int:idea_id>/andra/",
        views.idea_edit_view,
        name="idea_edit",
    ),
]

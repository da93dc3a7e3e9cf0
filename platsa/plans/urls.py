"""Member pages of a place's action plans, under /platser/<place>/planer/."""

from django.urls import path

from platsa.plans import document_views
from platsa.plans import manage_views as views

app_name = "plans"
urlpatterns = [
    path("ny/", views.create, name="create"),
    path("<slug:plan_slug>/", views.manage, name="manage"),
    path("<slug:plan_slug>/texter/", views.texts, name="texts"),
    path("<slug:plan_slug>/fas/", views.phase, name="phase"),
    path("<slug:plan_slug>/publicera/", views.publish, name="publish"),
    path("<slug:plan_slug>/strategi/", views.strategy_add, name="strategy_add"),
    path(
        "<slug:plan_slug>/strategi/<int:strategy_id>/bort/",
        views.strategy_remove,
        name="strategy_remove",
    ),
    path("<slug:plan_slug>/vagval/ny/", views.path_edit, name="path_new"),
    path("<slug:plan_slug>/vagval/<int:path_id>/", views.path_edit, name="path_edit"),
    path("<slug:plan_slug>/mal/ny/", views.goal_edit, name="goal_new"),
    path("<slug:plan_slug>/mal/<int:goal_id>/", views.goal_edit, name="goal"),
    path(
        "<slug:plan_slug>/mal/<int:goal_id>/indikator/",
        views.indicator_edit,
        name="indicator_new",
    ),
    path(
        "<slug:plan_slug>/mal/<int:goal_id>/indikator/<int:indicator_id>/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<slug:plan_slug>/mal/<int:goal_id>/indikator/<int:indicator_id>/varde/",
        views.indicator_value,
        name="indicator_value",
    ),
    path("<slug:plan_slug>/atgard/ny/", views.action_new, name="action_new"),
    path("<slug:plan_slug>/atgard/<int:action_id>/", views.action, name="action"),
    path(
        "<slug:plan_slug>/atgard/<int:action_id>/uppdatering/",
        views.update_post,
        name="update_post",
    ),
    path(
        "<slug:plan_slug>/atgard/<int:action_id>/milstolpe/",
        views.milestone_edit,
        name="milestone_new",
    ),
    path(
        "<slug:plan_slug>/atgard/<int:action_id>/milstolpe/<int:milestone_id>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "<slug:plan_slug>/atgard/<int:action_id>/finansiering/",
        views.funding_add,
        name="funding_add",
    ),
    path("<slug:plan_slug>/lokala-medel/", views.local_funding, name="local_funding"),
    path("<slug:plan_slug>/fran/", views.sources, name="sources"),
    path("<slug:plan_slug>/fran/gor/", views.make_from, name="make_from"),
    path("<slug:plan_slug>/personer/", views.people, name="people"),
    path("<slug:plan_slug>/logg/", views.audit, name="log"),
    path("<slug:plan_slug>/forhandsvisning/", views.preview, name="preview"),
    path("<slug:plan_slug>/uppfoljning/", views.accountability, name="accountability"),
    path("<slug:plan_slug>/dokument/", document_views.documents, name="documents"),
    path(
        "<slug:plan_slug>/dokument/<int:job_id>/",
        document_views.document_file,
        name="document_file",
    ),
]

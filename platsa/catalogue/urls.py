"""The public library of actions and good examples, under /katalog/."""

from django.urls import path

from platsa.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("sa-fungerar-rekommendationerna/", views.method, name="method"),
    path("<slug:action_id>/", views.action_detail, name="detail"),
]

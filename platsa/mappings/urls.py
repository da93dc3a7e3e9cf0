"""A coordinator's mappings, under /platser/<place>/kartlaggningar/."""

from django.urls import path

from platsa.mappings import views

app_name = "mappings"
urlpatterns = [
    path("ny/", views.mapping_create_view, name="create"),
    path("<slug:mapping_slug>/", views.mapping_detail, name="detail"),
    path("<slug:mapping_slug>/fas/", views.mapping_phase, name="phase"),
    path("<slug:mapping_slug>/program/", views.mapping_programme, name="programme"),
    path("<slug:mapping_slug>/jamforelse.xlsx", views.mapping_export, name="export"),
]

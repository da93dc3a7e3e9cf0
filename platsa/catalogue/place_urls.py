"""A place's own actions and good examples, under /platser/<place>/atgarder/."""

from django.urls import path

from platsa.catalogue import views

app_name = "place_catalogue"
urlpatterns = [
    path("", views.local_list, name="list"),
    path("ny/", views.local_action_edit, name="create"),
    path("<int:pk>/", views.local_action_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.local_action_delete, name="delete"),
    path("exempel/ny/", views.local_example_create, name="example_create"),
    path("exempel/<int:pk>/ta-bort/", views.local_example_delete, name="example_delete"),
]

from django.urls import path

from platsa.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("ny/", views.place_create_view, name="create"),
    path("kommuner/", views.municipality_search, name="municipality_search"),
    path("karta/", views.municipality_map, name="municipality_map"),
    path("<slug:slug>/", views.place_detail, name="detail"),
    path("<slug:slug>/andra/", views.place_edit, name="edit"),
    path("<slug:slug>/medlemmar/", views.members, name="members"),
    path("<slug:slug>/radera/", views.place_delete, name="delete"),
]

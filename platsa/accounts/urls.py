from django.urls import path

from platsa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("export.json", views.export, name="export"),
    path("radera/", views.delete, name="delete"),
]

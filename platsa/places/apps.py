from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "platsa.places"
    label = "places"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "platsa.api"
    label = "api"

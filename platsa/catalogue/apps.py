from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "platsa.catalogue"
    label = "catalogue"

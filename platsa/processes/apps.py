from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "platsa.processes"
    label = "processes"

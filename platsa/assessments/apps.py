from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "platsa.assessments"
    label = "assessments"

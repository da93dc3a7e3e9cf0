from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "platsa.assessments"
    label = "assessments"

    def ready(self) -> None:
        from platsa.assessments.kind import ASSESSMENT
        from platsa.processes.kinds import register

        register(ASSESSMENT)

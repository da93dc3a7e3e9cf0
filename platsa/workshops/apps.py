from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "platsa.workshops"
    label = "workshops"

    def ready(self) -> None:
        from platsa.processes.kinds import register
        from platsa.workshops.kind import WORKSHOP

        register(WORKSHOP)

from django.apps import AppConfig


class InnovationConfig(AppConfig):
    name = "platsa.innovation"
    label = "innovation"

    def ready(self) -> None:
        from platsa.innovation.kind import INNOVATION
        from platsa.processes.kinds import register

        register(INNOVATION)

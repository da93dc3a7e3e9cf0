from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "platsa.plans"
    label = "plans"

    def ready(self) -> None:
        from platsa.plans.kind import PLAN
        from platsa.processes.kinds import register

        register(PLAN)
        from platsa.plans.signals import connect

        connect()

from django.apps import AppConfig


class MappingsConfig(AppConfig):
    name = "platsa.mappings"
    label = "mappings"

    def ready(self) -> None:
        from platsa.mappings.kind import MAPPING
        from platsa.processes.kinds import register

        register(MAPPING)

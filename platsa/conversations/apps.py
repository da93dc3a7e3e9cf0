from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "platsa.conversations"
    label = "conversations"

    def ready(self) -> None:
        from platsa.conversations.kind import CONVERSATION
        from platsa.processes.kinds import register

        register(CONVERSATION)

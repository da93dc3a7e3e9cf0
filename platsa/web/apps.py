from django.apps import AppConfig


class WebConfig(AppConfig):
    """Shared web pieces: base templates, static files, middleware, access and rate limits."""

    name = "platsa.web"
    label = "web"

    def ready(self) -> None:
        from platsa.web import access_memo

        access_memo.connect()

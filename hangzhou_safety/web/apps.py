from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hangzhou_safety.web"
    label = "web"

    def ready(self) -> None:
        # Every model's get_FOO_display() from a per-language cached table (issue 15).
        from hangzhou_safety.db import choices

        choices.install()

from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    label = "enforcement"
    verbose_name = "行政执法案件"

    def ready(self) -> None:
        # The disclosure pipeline listens to the case signals (cases never imports it).
        from enforcement.disclosure import receivers

        receivers.connect()

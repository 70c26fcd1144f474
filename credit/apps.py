from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    label = "credit"
    verbose_name = "安全生产信用"

    def ready(self) -> None:
        # The violation base listens to enforcement's domain signals (enforcement never
        # imports credit).
        from credit.ratings import hooks
        from credit.violations import receivers

        receivers.connect()
        # The key-supervision list reads credit's bad records through its hook.
        hooks.connect()

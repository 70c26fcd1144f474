from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    label = "credit"
    verbose_name = "安全生产信用"

    def ready(self) -> None:
        # The violation base listens to enforcement's domain signals (enforcement never
        # imports credit).
        from credit.blacklist import receivers as blacklist_receivers
        from credit.ratings import hooks
        from credit.ratings import receivers as rating_receivers
        from credit.violations import receivers

        receivers.connect()
        # The accident grounds of the blacklist and the rating's downgrade listen to the
        # accident and decision signals the same way.
        blacklist_receivers.connect()
        rating_receivers.connect()
        # The key-supervision list reads credit's bad records through its hook.
        hooks.connect()

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hangzhou_safety.accounts"
    label = "accounts"
    verbose_name = "账户与辖区"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (login audit receivers)

from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    label = "credit"
    verbose_name = "安全生产信用"

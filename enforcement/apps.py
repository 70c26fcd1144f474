from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "enforcement"
    label = "enforcement"
    verbose_name = "行政执法案件"

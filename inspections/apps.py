from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    label = "inspections"
    verbose_name = "执法计划与检查"

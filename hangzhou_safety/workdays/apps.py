from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "hangzhou_safety.workdays"
    label = "workdays"

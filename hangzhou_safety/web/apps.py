from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "hangzhou_safety.web"
    label = "web"

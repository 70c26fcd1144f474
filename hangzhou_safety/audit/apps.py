from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hangzhou_safety.audit"
    label = "audit"

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "hangzhou_safety.documents"
    label = "documents"
    verbose_name = "执法文书"

"""Bulk import and export of the registry (pages under /enterprises/)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "enterprise_import"
urlpatterns: list[URLPattern | URLResolver] = [
    path("import/", views.upload, name="upload"),
    path("import/template.xlsx", views.template, name="template"),
    path("import/<int:job_id>/", views.job, name="job"),
    path("import/<int:job_id>/progress/", views.progress, name="progress"),
    path("import/<int:job_id>/commit/", views.commit, name="commit"),
    path("export/", views.export, name="export"),
]

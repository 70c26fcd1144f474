"""Routes of the key-supervision list: `api_urlpatterns` under /api/v1/, `urlpatterns`
for the page ("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path

from inspections.key_supervision import api, views

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("key-supervision/", api.KeySupervisionView.as_view(), name="key-supervision"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("key-supervision/", views.key_supervision, name="key_supervision"),
]

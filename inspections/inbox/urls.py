"""Routes of the inbox (pages only; the inbox itself is drawn on the home page)."""

from django.urls import URLPattern, URLResolver, path

from inspections.inbox import views

api_urlpatterns: list[URLPattern | URLResolver] = []

urlpatterns: list[URLPattern | URLResolver] = [
    path("planned/<int:pk>/start/", views.planned_start, name="planned_start"),
]

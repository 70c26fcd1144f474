"""Routes of the outbox's staff page ("credit" namespace); it has no API of its own."""

from django.urls import URLPattern, URLResolver, path

from credit.outbox import views

api_urlpatterns: list[URLPattern | URLResolver] = []

urlpatterns: list[URLPattern | URLResolver] = [
    path("credit/outbox/", views.outbox, name="outbox"),
    path("credit/outbox/deliveries/<int:pk>/retry/", views.retry, name="outbox_retry"),
]

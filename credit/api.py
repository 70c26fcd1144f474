"""API routes of the credit app under /api/v1/, collected from its sub-packages."""

from django.urls import URLPattern, URLResolver

from credit.urls import SUBDOMAINS

urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.api_urlpatterns]

"""API routes of the enforcement app under /api/v1/, collected from its sub-packages."""

from django.urls import URLPattern, URLResolver

from enforcement.urls import SUBDOMAINS

urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.api_urlpatterns]

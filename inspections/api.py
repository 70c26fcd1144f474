"""API routes of the inspections app under /api/v1/, collected from its sub-packages.

The anonymous routes (``public/…``) are served from inspections/public_api.py instead,
which the API's URL table tries first (hangzhou_safety/api/urls.py).
"""

from hangzhou_safety.api.routes import split_public
from inspections.urls import SUBDOMAINS

public_urlpatterns, urlpatterns = split_public(
    p for sub in SUBDOMAINS for p in sub.api_urlpatterns)

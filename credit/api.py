"""API routes of the credit app under /api/v1/, collected from its sub-packages.

The anonymous routes (``public/…``) are served from credit/public_api.py instead,
which the API's URL table tries first (hangzhou_safety/api/urls.py).
"""

from credit.urls import SUBDOMAINS
from hangzhou_safety.api.routes import split_public

public_urlpatterns, urlpatterns = split_public(
    p for sub in SUBDOMAINS for p in sub.api_urlpatterns)

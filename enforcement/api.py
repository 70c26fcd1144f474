"""API routes of the enforcement app under /api/v1/, collected from its sub-packages.

The anonymous routes (``public/…``) are served from enforcement/public_api.py instead,
which the API's URL table tries first (hangzhou_safety/api/urls.py).
"""

from django.urls import URLPattern, URLResolver

from enforcement.urls import SUBDOMAINS

_ALL: list[URLPattern | URLResolver] = [p for sub in SUBDOMAINS for p in sub.api_urlpatterns]

public_urlpatterns = [p for p in _ALL if str(p.pattern).startswith("public/")]
urlpatterns = [p for p in _ALL if not str(p.pattern).startswith("public/")]

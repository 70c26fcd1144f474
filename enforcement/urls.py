"""Routes of the enforcement app, collected from its sub-packages (each owns its routes).

These are the pages, in the "enforcement" namespace; the API routes are collected the
same way in enforcement/api.py. A sub-package joins SUBDOMAINS once it has routes.
"""

from types import ModuleType

from django.urls import URLPattern, URLResolver

from enforcement.cases import urls as cases
from enforcement.grounds import urls as grounds
from enforcement.public_reports import urls as public_reports

SUBDOMAINS: tuple[ModuleType, ...] = (grounds, cases, public_reports)

app_name = "enforcement"
urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.urlpatterns]

"""Routes of the enforcement app, collected from its sub-packages (each owns its routes).

These are the pages, in the "enforcement" namespace; the API routes are collected the
same way in enforcement/api.py. A sub-package joins SUBDOMAINS once it has routes.
"""

from types import ModuleType

from django.urls import URLPattern, URLResolver

from enforcement.accidents import urls as accidents
from enforcement.cases import urls as cases
from enforcement.disclosure import urls as disclosure
from enforcement.grounds import urls as grounds
from enforcement.measures import urls as measures
from enforcement.portal import urls as portal
from enforcement.public_reports import urls as public_reports
from enforcement.transfers import urls as transfers

SUBDOMAINS: tuple[ModuleType, ...] = (grounds, cases, public_reports, measures, transfers,
                                       accidents, disclosure, portal)

app_name = "enforcement"
urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.urlpatterns]

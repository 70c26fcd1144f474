"""Routes of the credit app, collected from its sub-packages (each owns its routes).

These are the pages, in the "credit" namespace; the API routes are collected the same
way in credit/api.py. A sub-package joins SUBDOMAINS once it has routes.
"""

from types import ModuleType

from django.urls import URLPattern, URLResolver

from credit.blacklist import urls as blacklist
from credit.outbox import urls as outbox
from credit.ratings import urls as ratings
from credit.violations import urls as violations

SUBDOMAINS: tuple[ModuleType, ...] = (blacklist, outbox, ratings, violations)

app_name = "credit"
urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.urlpatterns]

"""Routes of the inspections app, collected from its sub-packages (each owns its routes).

These are the pages, in the "inspections" namespace; the API routes are collected the
same way in inspections/api.py.
"""

from django.urls import URLPattern, URLResolver

from inspections.checklists import urls as checklists
from inspections.draws import urls as draws
from inspections.evidence import urls as evidence
from inspections.inbox import urls as inbox
from inspections.key_supervision import urls as key_supervision
from inspections.loop import urls as loop
from inspections.plans import urls as plans

SUBDOMAINS = (plans, checklists, draws, key_supervision, loop, evidence, inbox)

app_name = "inspections"
urlpatterns: list[URLPattern | URLResolver] = [
    p for sub in SUBDOMAINS for p in sub.urlpatterns]

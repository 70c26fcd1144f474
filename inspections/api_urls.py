"""API routes of plans, checklists/schemes and draws (each module owns its routes)."""

from django.urls import include, path

urlpatterns = [
    path("", include("inspections.urls_api_plans")),
    path("", include("inspections.urls_api_checklists")),
    path("", include("inspections.urls_api_draws")),
    path("", include("inspections.urls_api_inspections")),
    path("", include("inspections.urls_api_evidence")),
]

"""Pages of plans, checklists/schemes and draws (each module owns its routes)."""

from django.urls import include, path

app_name = "inspections"
urlpatterns = [
    path("", include("inspections.urls_web_plans")),
    path("", include("inspections.urls_web_checklists")),
    path("", include("inspections.urls_web_draws")),
    path("", include("inspections.urls_web_inspections")),
    path("", include("inspections.urls_web_evidence")),
]

"""Routes of the four-checklist loop, under /api/v1/inspections/ and /api/v1/hazards/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from .api_inspections import HazardViewSet, InspectionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

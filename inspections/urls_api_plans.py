"""Routes of the annual enforcement plan, under /api/v1/plans/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from .api_plans import PlanViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("plans", PlanViewSet, basename="plan")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

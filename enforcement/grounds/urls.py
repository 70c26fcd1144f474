"""Routes of grounds: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.grounds import views
from enforcement.grounds.api import (
    DiscretionBenchmarkViewSet,
    DiscretionVersionViewSet,
    ViolationTypeViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("grounds/versions", DiscretionVersionViewSet, basename="grounds-version")
router.register("grounds/violations", ViolationTypeViewSet, basename="grounds-violation")
router.register("grounds/benchmarks", DiscretionBenchmarkViewSet, basename="grounds-benchmark")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("grounds/discretion/", views.discretion_table, name="discretion_table"),
]

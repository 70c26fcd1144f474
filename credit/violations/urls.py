"""Routes of the violation base: `api_urlpatterns` under /api/v1/ (no pages yet)."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from credit.violations import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("credit/records", api.CreditRecordViewSet, basename="credit-record")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
urlpatterns: list[URLPattern | URLResolver] = []

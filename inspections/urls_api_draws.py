"""Routes of random draws and the key-supervision list, under /api/v1/."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from .api_draws import (
    ConflictViewSet,
    DrawItemListViewSet,
    DrawViewSet,
    KeySupervisionView,
    ObjectDirectoryViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
# The fixed prefixes come first; the draws' detail route only matches digits anyway.
router.register("draws/object-directories", ObjectDirectoryViewSet,
                basename="draw-object-directory")
router.register("draws/item-lists", DrawItemListViewSet, basename="draw-item-list")
router.register("draws/conflicts", ConflictViewSet, basename="draw-conflict")
router.register("draws", DrawViewSet, basename="draw")

urlpatterns: list[URLPattern | URLResolver] = [
    path("key-supervision/", KeySupervisionView.as_view(), name="key-supervision"),
    *router.urls,
]

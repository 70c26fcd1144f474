"""Routes of draws: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspections.draws import views as web_draws
from inspections.draws.api import (
    ConflictViewSet,
    DrawItemListViewSet,
    DrawViewSet,
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

api_urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
]


urlpatterns: list[URLPattern | URLResolver] = [
    path("draws/", web_draws.draw_list, name="draw_list"),
    path("draws/new/", web_draws.draw_create, name="draw_create"),
    path("draws/directories/", web_draws.directory_list, name="draw_directories"),
    path("draws/item-lists/", web_draws.item_list_list, name="draw_item_lists"),
    path("draws/inspectors/", web_draws.inspector_directory, name="draw_inspectors"),
    path("draws/conflicts/", web_draws.conflict_list, name="draw_conflicts"),
    path("draws/<int:pk>/", web_draws.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", web_draws.draw_verify, name="draw_verify"),
    path("draws/<int:pk>/redraw/", web_draws.draw_redraw, name="draw_redraw"),
    path("draws/<int:pk>/publish/", web_draws.draw_publish, name="draw_publish"),
]

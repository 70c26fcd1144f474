"""Routes of checklist templates and inspection schemes under /api/v1/."""

from django.urls import URLPattern, URLResolver
from rest_framework.routers import DefaultRouter

from .api_checklists import ChecklistTemplateViewSet, InspectionSchemeViewSet

# No API root view here: the platform's router already serves /api/v1/.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("checklists", ChecklistTemplateViewSet, basename="checklist")
router.register("schemes", InspectionSchemeViewSet, basename="scheme")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

"""Routes of checklists: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspections.checklists import views
from inspections.checklists.api import ChecklistTemplateViewSet, InspectionSchemeViewSet

# No API root view here: the platform's router already serves /api/v1/.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("checklists", ChecklistTemplateViewSet, basename="checklist")
router.register("schemes", InspectionSchemeViewSet, basename="scheme")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]


urlpatterns: list[URLPattern | URLResolver] = [
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/rebasing/", views.checklist_rebasing, name="checklist_rebasing"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/submit/", views.scheme_submit, name="scheme_submit"),
    path("schemes/<int:pk>/approve/", views.scheme_approve, name="scheme_approve"),
    path("schemes/<int:pk>/return/", views.scheme_return, name="scheme_return"),
]

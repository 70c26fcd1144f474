"""Routes of the registry API, included under /api/v1/ by hangzhou_safety/api/urls.py."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from .api import EnterpriseViewSet, HazardSourceViewSet, InsurancePolicyViewSet

# No API root view here: the platform's router already serves /api/v1/.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

hazard_list = HazardSourceViewSet.as_view({"get": "list", "post": "create"})
hazard_detail = HazardSourceViewSet.as_view({"get": "retrieve"})
hazard_file = HazardSourceViewSet.as_view({"post": "file"})
hazard_cancel = HazardSourceViewSet.as_view({"post": "cancel"})
insurance_list = InsurancePolicyViewSet.as_view({"get": "list", "post": "create"})
insurance_detail = InsurancePolicyViewSet.as_view({"get": "retrieve"})

urlpatterns: list[URLPattern | URLResolver] = [
    path("enterprises/<int:enterprise_pk>/hazard-sources/", hazard_list,
         name="enterprise-hazard-source-list"),
    path("enterprises/<int:enterprise_pk>/hazard-sources/<int:pk>/", hazard_detail,
         name="enterprise-hazard-source-detail"),
    path("enterprises/<int:enterprise_pk>/hazard-sources/<int:pk>/file/", hazard_file,
         name="enterprise-hazard-source-file"),
    path("enterprises/<int:enterprise_pk>/hazard-sources/<int:pk>/cancel/", hazard_cancel,
         name="enterprise-hazard-source-cancel"),
    path("enterprises/<int:enterprise_pk>/insurance/", insurance_list,
         name="enterprise-insurance-list"),
    path("enterprises/<int:enterprise_pk>/insurance/<int:pk>/", insurance_detail,
         name="enterprise-insurance-detail"),
    *router.urls,
]

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from hangzhou_safety.accounts.api import (
    AuthorityViewSet,
    JurisdictionViewSet,
    MeView,
    TokenView,
    UserViewSet,
)
from hangzhou_safety.audit.api import AuditEventViewSet

router = DefaultRouter(trailing_slash=True)
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("authorities", AuthorityViewSet, basename="authority")
router.register("users", UserViewSet, basename="user")
router.register("audit/events", AuditEventViewSet, basename="audit-event")

v1: list[URLPattern | URLResolver] = [
    # The anonymous routes first: the public portal's traffic resolves in a few
    # matches instead of failing through every staff table (issue 12's throughput).
    path("", include("enforcement.public_api")),
    path("", include("inspections.public_api")),
    path("", include("credit.public_api")),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
    path("workdays/", include("hangzhou_safety.workdays.urls")),
    path("", include("enterprises.api_urls")),
    path("", include("inspections.api")),
    path("", include("enforcement.api")),
    path("", include("credit.api")),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its JavaScript as a file, so the strict CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

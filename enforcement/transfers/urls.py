"""Routes of criminal transfers: `api_urlpatterns` under /api/v1/, `urlpatterns` for
the case page's forms ("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.transfers import views
from enforcement.transfers.api import CaseTransfersView, TransferViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("transfers", TransferViewSet, basename="transfer")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:id>/transfers/", CaseTransfersView.as_view(), name="case-transfers"),
    *router.urls,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/transfers/report/", views.report, name="transfer_report"),
    path("transfers/<int:pk>/steps/<slug:step>/", views.transfer_step, name="transfer_step"),
]

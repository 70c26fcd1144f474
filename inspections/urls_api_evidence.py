"""API routes of evidence, footage, signatures and public verification (/api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from . import api_evidence as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/<int:pk>/evidence/", views.EvidenceListCreateView.as_view(),
         name="inspection-evidence"),
    path("inspections/<int:pk>/footage/", views.FootageCreateView.as_view(),
         name="inspection-footage"),
    path("inspections/<int:pk>/signatures/", views.SignatureCreateView.as_view(),
         name="inspection-signatures"),
    path("public/inspections/<str:code>/", views.PublicVerificationView.as_view(),
         name="public-inspection"),
]

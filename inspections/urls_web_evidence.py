"""Pages of evidence, signatures, print views and the public verification page."""

from django.urls import URLPattern, URLResolver, path

from . import web_evidence as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/<int:pk>/preview/", views.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/original/", views.evidence_original, name="evidence_original"),
    path("inspections/<int:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path("inspections/<int:pk>/evidence/upload/", views.evidence_upload,
         name="evidence_upload"),
    path("inspections/<int:pk>/sign/", views.sign_page, name="evidence_sign"),
    path("inspections/<int:pk>/footage/", views.footage_add, name="footage_add"),
    path("inspections/<int:pk>/print/onsite-record/", views.print_onsite_record,
         name="print_onsite_record"),
    path("inspections/<int:pk>/print/rectification-order/",
         views.print_rectification_order, name="print_rectification_order"),
    path("public/verify/<str:code>/", views.public_verify, name="public_verify"),
]

"""Routes of evidence: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path

from inspections.evidence import api, views

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/<int:pk>/evidence/", api.EvidenceListCreateView.as_view(),
         name="inspection-evidence"),
    path("inspections/<int:pk>/footage/", api.FootageCreateView.as_view(),
         name="inspection-footage"),
    path("inspections/<int:pk>/signatures/", api.SignatureCreateView.as_view(),
         name="inspection-signatures"),
    path("inspections/<int:pk>/signature-refusals/",
         api.SignatureRefusalCreateView.as_view(), name="inspection-signature-refusals"),
    path("inspections/<int:pk>/documents/", api.InspectionDocumentsView.as_view(),
         name="inspection-documents"),
    path("inspections/<int:pk>/documents/<int:doc_pk>/pdf/",
         api.InspectionDocumentPdfView.as_view(), name="inspection-document-pdf"),
    path("inspections/<int:pk>/documents/case-file/", api.InspectionCaseFileView.as_view(),
         name="inspection-case-file"),
    path("public/inspections/<str:code>/", api.PublicVerificationView.as_view(),
         name="public-inspection"),
]


urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/<int:pk>/preview/", views.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/thumb/", views.evidence_thumb, name="evidence_thumb"),
    path("evidence/<int:pk>/original/", views.evidence_original, name="evidence_original"),
    path("inspections/<int:pk>/evidence/", views.evidence_list, name="evidence_list"),
    path("inspections/<int:pk>/evidence/upload/", views.evidence_upload,
         name="evidence_upload"),
    path("inspections/<int:pk>/sign/", views.sign_page, name="evidence_sign"),
    path("inspections/<int:pk>/sign/refusal/", views.refusal_record,
         name="evidence_refusal"),
    path("inspections/<int:pk>/footage/", views.footage_add, name="footage_add"),
    path("inspections/<int:pk>/print/onsite-record/", views.print_onsite_record,
         name="print_onsite_record"),
    path("inspections/<int:pk>/print/rectification-order/",
         views.print_rectification_order, name="print_rectification_order"),
    path("inspections/<int:pk>/documents/", views.documents_page,
         name="inspection_documents"),
    path("inspections/<int:pk>/documents/issue/", views.document_issue,
         name="inspection_document_issue"),
    path("inspections/<int:pk>/documents/<int:doc_pk>/pdf/", views.document_pdf,
         name="inspection_document_pdf"),
    path("inspections/<int:pk>/documents/case-file/", views.document_case_file,
         name="inspection_case_file"),
    path("public/verify/<str:code>/", views.public_verify, name="public_verify"),
]

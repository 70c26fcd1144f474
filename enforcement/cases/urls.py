"""Routes of cases: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.cases import queue_views, views
from enforcement.cases.api import CaseViewSet, DecisionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("cases", CaseViewSet, basename="case")
router.register("decisions", DecisionViewSet, basename="decision")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/deadlines/", views.deadlines, name="deadlines"),
    path("cases/reminders/read/", queue_views.reminders_read, name="reminders_read"),
    path("cases/queue/approvals/", queue_views.approval_queue, name="approval_queue"),
    path("cases/queue/legal-review/", queue_views.legal_review_queue,
         name="legal_review_queue"),
    path("cases/queue/agenda/", queue_views.agenda, name="agenda"),
    path("cases/from-hazard/<int:hazard_id>/", views.open_from_hazard, name="open_from_hazard"),
    path("cases/<int:pk>/", views.case_detail_page, name="case_detail"),
    path("cases/<int:pk>/steps/<slug:step>/", views.case_step, name="case_step"),
    path("cases/<int:pk>/decisions/<int:decision_id>/<slug:step>/", views.decision_step,
         name="decision_step"),
    path("cases/<int:pk>/documents/<int:document_id>/", views.case_document,
         name="case_document"),
    path("cases/<int:pk>/case-file/", views.case_file, name="case_file"),
    path("cases/<int:pk>/records/<int:record_id>/document/", views.record_document,
         name="case_record_document"),
    path("cases/<int:pk>/evidence/<int:evidence_id>/decide/", views.preserved_step,
         name="case_preserved"),
]

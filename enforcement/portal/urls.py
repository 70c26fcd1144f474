"""Routes of the public portal: `api_urlpatterns` under /api/v1/ (public/decisions/),
`urlpatterns` for the pages under /public/ ("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path

from enforcement.disclosure.models import PUBLIC_DECISIONS
from enforcement.portal import api, views
from hangzhou_safety.api.cached import cached_answer

# The same answer for every caller, cached until a disclosure changes status.
LIST_PARAMS = ("q", "district", "year", "decision_type", "cursor", "page_size", "format")
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("public/decisions/", cached_answer(api.PublicDecisionListView.as_view(),
                                            PUBLIC_DECISIONS, params=LIST_PARAMS),
         name="public-decisions"),
    path("public/decisions/<int:disclosure_id>/",
         cached_answer(api.PublicDecisionDetailView.as_view(), PUBLIC_DECISIONS,
                       params=("format",)),
         name="public-decision"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("public/", views.home, name="public_home"),
    path("public/verify/", views.verify_code, name="public_verify_code"),
    path("public/decisions/", views.decision_list, name="public_decisions"),
    path("public/decisions/export.csv", views.export_csv, name="public_decisions_csv"),
    path("public/decisions/export.json", views.export_json, name="public_decisions_json"),
    path("public/decisions/<int:disclosure_id>/", views.decision_detail, name="public_decision"),
    path("public/decisions/<int:disclosure_id>/pdf/", views.decision_pdf,
         name="public_decision_pdf"),
    path("public/decisions/<int:disclosure_id>/objection/", views.decision_objection,
         name="public_decision_objection"),
]

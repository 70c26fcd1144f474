"""Routes of 12350 reports: `api_urlpatterns` under /api/v1/ (public ones under
public/reports/), `urlpatterns` for the pages ("enforcement" namespace). The public
pages sit under /public/ beside the inspection verification page; the portal home and
the decision pages are added there by the disclosure work."""

from django.urls import URLPattern, URLResolver, path

from enforcement.public_reports import api, views

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("public/reports/", api.PublicReportCreateView.as_view(), name="public-reports"),
    path("public/reports/challenge/", api.PublicReportChallengeView.as_view(),
         name="public-report-challenge"),
    path("public/reports/enterprises/", api.PublicReportEnterprisesView.as_view(),
         name="public-report-enterprises"),
    path("public/reports/<str:tracking_no>/", api.PublicReportProgressView.as_view(),
         name="public-report-progress"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("public/report/", views.public_report_alias, name="public_report"),
    path("public/reports/new/", views.public_report_form, name="public_report_form"),
    path("public/reports/track/", views.public_report_track, name="public_report_track"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/identity/", views.report_identity, name="report_identity"),
    path("reports/<int:pk>/photos/<int:photo_id>/", views.report_photo, name="report_photo"),
    path("reports/<int:pk>/steps/<slug:step>/", views.report_step, name="report_step"),
]

"""Mounted by hangzhou_safety/api/urls.py under api/v1/workdays/ (no app_name)."""

from django.urls import path

from .views import DeadlineView, SpecialDaysView

urlpatterns = [
    path("deadline/", DeadlineView.as_view(), name="workdays-deadline"),
    path("days/", SpecialDaysView.as_view(), name="workdays-days"),
]

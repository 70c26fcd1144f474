"""Pages of checklist templates and inspection schemes (namespace "inspections")."""

from django.urls import URLPattern, URLResolver, path

from . import web_checklists as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/submit/", views.scheme_submit, name="scheme_submit"),
    path("schemes/<int:pk>/approve/", views.scheme_approve, name="scheme_approve"),
    path("schemes/<int:pk>/return/", views.scheme_return, name="scheme_return"),
]

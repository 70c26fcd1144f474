from django.urls import path

from . import web

app_name = "enterprises"
urlpatterns = [
    path("", web.enterprise_list, name="list"),
    path("new/", web.enterprise_create, name="create"),
    path("reports/", web.registry_reports, name="reports"),
    path("<int:pk>/", web.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", web.enterprise_edit, name="edit"),
    path("<int:pk>/hazard-sources/<int:source_id>/file/", web.hazard_source_file,
         name="hazard_file"),
    path("<int:pk>/hazard-sources/<int:source_id>/cancel/", web.hazard_source_cancel,
         name="hazard_cancel"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from . import health, offline, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/done/", views.relogin_done, name="relogin_done"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jurisdictions/", views.jurisdiction_list, name="jurisdictions"),
    path("jurisdictions/<str:code>/", views.jurisdiction_detail, name="jurisdiction"),
    path("calendar/", views.calendar, name="calendar"),
    path("audit/", views.audit_log, name="audit"),
]

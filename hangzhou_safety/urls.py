from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", include("hangzhou_safety.api.urls")),
    path("enterprises/", include("enterprises.importing.urls")),
    path("enterprises/", include("enterprises.web_urls")),
    path("", include("inspections.urls")),
    path("", include("enforcement.urls")),
    path("", include("credit.urls")),
    path("", include("hangzhou_safety.web.urls")),
]

handler400 = "hangzhou_safety.boundary.responses.bad_request"
handler403 = "hangzhou_safety.boundary.responses.permission_denied"
handler404 = "hangzhou_safety.boundary.responses.not_found"
handler500 = "hangzhou_safety.boundary.responses.server_error"

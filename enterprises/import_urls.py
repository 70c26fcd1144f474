from django.urls import URLPattern, URLResolver

app_name = "enterprise_import"
urlpatterns: list[URLPattern | URLResolver] = []

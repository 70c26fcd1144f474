"""Routes of accidents: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.accidents import views
from enforcement.accidents.api import AccidentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("accidents", AccidentViewSet, basename="accident")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("accidents/", views.accident_list, name="accident_list"),
    path("accidents/new/", views.accident_create, name="accident_create"),
    path("accidents/<int:pk>/", views.accident_detail_page, name="accident_detail"),
    path("accidents/<int:pk>/steps/<slug:step>/", views.accident_step, name="accident_step"),
]

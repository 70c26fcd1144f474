"""Routes of disclosures: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.disclosure import views
from enforcement.disclosure.api import DisclosureViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("disclosures", DisclosureViewSet, basename="disclosure")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<int:pk>/steps/<slug:step>/", views.disclosure_step,
         name="disclosure_step"),
]

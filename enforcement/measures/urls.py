"""Routes of measures: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("enforcement" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from enforcement.measures import views
from enforcement.measures.api import CaseMeasureViewSet, MeasureViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("measures", MeasureViewSet, basename="measure")
router.register(r"cases/(?P<case_id>[0-9]+)/measures", CaseMeasureViewSet,
                basename="case-measure")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<int:pk>/measures/", views.propose, name="measure_propose"),
    path("cases/<int:pk>/measures/emergency/", views.emergency, name="measure_emergency"),
    path("cases/<int:pk>/measures/<int:measure_id>/items/<int:item_pk>/dispose/",
         views.dispose, name="measure_dispose"),
    path("cases/<int:pk>/measures/<int:measure_id>/<slug:step>/", views.measure_step,
         name="measure_step"),
]

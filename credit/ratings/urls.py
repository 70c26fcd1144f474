"""Routes of ratings: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("credit" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from credit.ratings import api, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("credit/ratings", api.RatingViewSet, basename="rating")
router.register("credit/commitments", api.CommitmentViewSet, basename="commitment")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]

urlpatterns: list[URLPattern | URLResolver] = [
    path("credit/ratings/", views.rating_list, name="rating_list"),
    path("credit/ratings/compute/", views.rating_compute, name="rating_compute"),
    path("credit/ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("credit/ratings/<int:pk>/commitments/", views.commitment_add,
         name="rating_commitment_add"),
    path("credit/commitments/<int:pk>/breach/", views.commitment_breach,
         name="commitment_breach"),
    path("credit/ratings/<int:pk>/<slug:step>/", views.rating_step, name="rating_step"),
]

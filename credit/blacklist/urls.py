"""Routes of the blacklist: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("credit" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from credit.blacklist import api, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("credit/blacklist", api.BlacklistViewSet, basename="blacklist")

api_urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path("credit/restrictions/", api.RestrictionQueryView.as_view(),
         name="credit-restrictions"),
    path("public/blacklist/", api.PublicBlacklistView.as_view(), name="public-blacklist"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("credit/blacklist/", views.entry_list, name="blacklist_list"),
    path("credit/blacklist/<int:pk>/", views.entry_detail, name="blacklist_detail"),
    path("credit/blacklist/<int:pk>/<slug:step>/", views.entry_step, name="blacklist_step"),
    path("public/blacklist/", views.public_list, name="public_blacklist"),
]

"""Routes of plans: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspections.plans import views as web_plans
from inspections.plans.api import PlanViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("plans", PlanViewSet, basename="plan")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]


urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", web_plans.plan_list, name="plan_list"),
    path("plans/new/", web_plans.plan_create, name="plan_create"),
    path("plans/queue/", web_plans.plan_queue, name="plan_queue"),
    path("plans/<int:pk>/", web_plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", web_plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/diff/", web_plans.plan_diff, name="plan_diff"),
    path("plans/<int:pk>/quotas/", web_plans.plan_quotas, name="plan_quotas"),
    path("plans/<int:pk>/campaigns/", web_plans.campaign_propose, name="plan_campaign_propose"),
    path("plans/<int:pk>/campaigns/<int:cid>/<str:decision>/", web_plans.campaign_decide,
         name="plan_campaign_decide"),
    path("plans/<int:pk>/<str:step>/", web_plans.plan_step, name="plan_step"),
]

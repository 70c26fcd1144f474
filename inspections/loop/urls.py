"""Routes of loop: `api_urlpatterns` under /api/v1/, `urlpatterns` for the pages
("inspections" namespace)."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import DefaultRouter

from inspections.loop import supervision_views, views
from inspections.loop.api import HazardViewSet, InspectionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("hazards", HazardViewSet, basename="hazard")

api_urlpatterns: list[URLPattern | URLResolver] = [*router.urls]


urlpatterns: list[URLPattern | URLResolver] = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/new/enterprises/", views.enterprise_search,
         name="inspection_enterprise_search"),
    path("inspections/due-date/", views.order_due_date, name="order_due_date"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/items/<int:item_id>/answer/", views.answer_item,
         name="inspection_answer"),
    path("inspections/<int:pk>/hazards/<int:hid>/order/", views.hazard_order,
         name="inspection_hazard_order"),
    # Explicit verbs, not <str:...>: /inspections/<id>/sign/ and /evidence/... belong to
    # the evidence module, included after this one.
    *[path(f"inspections/<int:pk>/hazards/<int:hid>/{action}/", views.hazard_action,
           {"action": action}, name=f"inspection_hazard_{action}")
      for action in ("report", "withdraw", "accept", "fail", "extend", "extension")],
    # A major hidden danger's own path (挂牌督办, 治理方案, 复产申请, 核销).
    *[path(f"inspections/<int:pk>/hazards/<int:hid>/{action}/",
           supervision_views.major_action, {"action": action},
           name=f"inspection_hazard_{action}")
      for action in supervision_views.MAJOR_ACTIONS],
    *[path(f"inspections/<int:pk>/{step}/", views.inspection_step, {"step": step},
           name=f"inspection_{step}")
      for step in ("start", "complete", "close", "cancel")],
]
